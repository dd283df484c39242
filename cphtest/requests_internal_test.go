package cphtest

import (
	"io"
	"net/http"
	"strconv"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
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
	assert.Equal(t, 10_000, maxRequests, "the package documents the newest 10,000")
	srv := NewServer()
	defer srv.Close()
	assert.Equal(t, maxRequests, srv.log.max)
}

// A server whose log keeps 3 requests: Requests returns the newest 3, in
// order. (Sending 10,001 requests would make the test slow under -race.)
func TestRequests_DropsTheOldest(t *testing.T) {
	srv := NewServer()
	defer srv.Close()
	srv.mu.Lock()
	srv.log = newRequestLog(3)
	srv.mu.Unlock()
	for i := range 5 {
		resp, err := http.Get(srv.URL + "/r" + strconv.Itoa(i))
		require.NoError(t, err)
		_, _ = io.Copy(io.Discard, resp.Body)
		require.NoError(t, resp.Body.Close())
	}
	var got []string
	for _, r := range srv.Requests() {
		got = append(got, r.Path)
	}
	assert.Equal(t, []string{"/r2", "/r3", "/r4"}, got)
}
