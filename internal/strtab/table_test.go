package strtab

import (
	"fmt"
	"testing"
	"unsafe"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestCopyDoesNotAlias(t *testing.T) {
	var a Arena
	b := []byte("image-0001")
	s := a.Copy(b, 10, 100)
	copy(b, "XXXXXXXXXX")
	assert.Equal(t, "image-0001", s)
	assert.Empty(t, a.Copy(nil, 10, 100))
}

func TestTableInternEmpty(t *testing.T) {
	var st Table
	assert.Empty(t, st.Intern(nil, 0, 10))
	assert.Empty(t, st.Intern([]byte{}, 0, 10))
}

// pairOf returns the first slot of the pair where Table interns b.
func pairOf(b []byte) uint64 {
	return hashBytes(b) % uint64(len(Table{}.slots)) &^ 1
}

// colliding returns n values that share the pair of slots of "Android10".
func colliding(t *testing.T, n int) [][]byte {
	t.Helper()
	want := pairOf([]byte("Android10"))
	var out [][]byte
	for i := 0; len(out) < n && i < 1<<20; i++ {
		if b := []byte(fmt.Sprintf("name-%d", i)); pairOf(b) == want {
			out = append(out, b)
		}
	}
	require.Len(t, out, n, "values that collide")
	return out
}

// TestTableRepeatedValueSurvives holds Intern to keeping a value that
// repeats against colliding values seen once each: they cost copies of
// their own, and the repeated value keeps its first copy.
func TestTableRepeatedValueSurvives(t *testing.T) {
	var st Table
	first := st.Intern([]byte("Android10"), 10, 1<<20)
	for range 3 {
		st.Intern([]byte("Android10"), 20, 1<<20)
	}
	for _, b := range colliding(t, 6) {
		assert.Equal(t, string(b), st.Intern(b, 30, 1<<20))
	}
	again := st.Intern([]byte("Android10"), 40, 1<<20)
	assert.Same(t, unsafe.StringData(first), unsafe.StringData(again))
}

// TestTableResetDropsValues holds Reset to dropping every interned value
// and the arena's chunk, while the strings already returned keep their
// values.
func TestTableResetDropsValues(t *testing.T) {
	for _, n := range []int{1, 40} { // listed slots, and too many to list
		t.Run(fmt.Sprint(n), func(t *testing.T) {
			var st Table
			st.Reset()
			var got []string
			for i := range n {
				got = append(got, st.Intern([]byte(fmt.Sprintf("value-%d", i)), i*10, 1<<20))
			}
			st.Reset()
			assert.Equal(t, [len(Table{}.slots)]slot{}, st.slots, "interned values left")
			assert.Zero(t, st.chunk.Cap(), "a chunk left")
			for i, s := range got {
				assert.Equal(t, fmt.Sprintf("value-%d", i), s)
			}
		})
	}
}

func TestClearWritten(t *testing.T) {
	filled := func() []int {
		s := make([]int, 64)
		for i := range s {
			s[i] = i + 1
		}
		return s
	}
	t.Run("zero value clears all", func(t *testing.T) {
		var w Written
		s := filled()
		w.Note(3)
		ClearWritten(&w, s)
		assert.Equal(t, make([]int, 64), s)
	})
	t.Run("few clears those noted", func(t *testing.T) {
		var w Written
		ClearWritten(&w, filled()) // now with room to list
		s := filled()
		w.Note(3)
		w.Note(60)
		ClearWritten(&w, s)
		want := filled()
		want[3], want[60] = 0, 0
		assert.Equal(t, want, s)
	})
	t.Run("many clears all", func(t *testing.T) {
		var w Written
		ClearWritten(&w, filled())
		s := filled()
		for i := range len(w.room) + 1 {
			w.Note(i)
		}
		ClearWritten(&w, s)
		assert.Equal(t, make([]int, 64), s)
	})
	t.Run("forgets", func(t *testing.T) {
		var w Written
		ClearWritten(&w, filled())
		w.Note(1)
		ClearWritten(&w, filled())
		s := filled()
		ClearWritten(&w, s)
		assert.Equal(t, filled(), s, "a second clear clears nothing")
	})
}
