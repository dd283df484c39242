package fakegw

import (
	"strconv"
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestRequestLog_Ring(t *testing.T) {
	paths := func(rs []Request) []string {
		out := []string{}
		for _, r := range rs {
			out = append(out, r.Path)
		}
		return out
	}
	l := newRequestLog(3)
	assert.Empty(t, l.all())
	for i := range 7 {
		l.add(Request{Path: strconv.Itoa(i)})
		want := []string{}
		for j := max(0, i-2); j <= i; j++ {
			want = append(want, strconv.Itoa(j))
		}
		assert.Equal(t, want, paths(l.all()), "after %d", i)
	}

	// all returns a new slice.
	got := l.all()
	got[0].Path = "changed"
	assert.Equal(t, []string{"4", "5", "6"}, paths(l.all()))

	l.reset()
	assert.Empty(t, l.all())
	l.add(Request{Path: "a"})
	assert.Equal(t, []string{"a"}, paths(l.all()))
}

func TestRequestLog_Bound(t *testing.T) {
	assert.Equal(t, DefaultMaxRequests, newRequestLog(0).max)
	assert.Equal(t, DefaultMaxRequests, newRequestLog(-1).max)
	assert.Equal(t, 2, newRequestLog(2).max)
}
