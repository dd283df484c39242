package strtab

import (
	"bytes"
	"fmt"
	"testing"
	"unsafe"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// inChunk reports whether s's bytes lie in a's current chunk.
func inChunk(a *Arena, s string) bool {
	c := a.chunk.String()
	if c == "" {
		return false
	}
	base := uintptr(unsafe.Pointer(unsafe.StringData(c)))
	p := uintptr(unsafe.Pointer(unsafe.StringData(s)))
	return base <= p && p+uintptr(len(s)) <= base+uintptr(a.chunk.Cap())
}

// TestArenaChunks holds Arena to its promise for strings of every
// length, in a body large enough that the predicted chunk would be far
// larger: no chunk holds more than MaxChunk bytes, a
// string up to MaxShared long goes into one, a string longer than a chunk
// gets an allocation of its own, and every string keeps its value.
func TestArenaChunks(t *testing.T) {
	const total = 16 << 20
	for _, n := range []int{1, 32, MaxShared - 1, MaxShared, MaxShared + 1, MaxChunk - 1, MaxChunk, MaxChunk + 1, 64 << 10} {
		t.Run(fmt.Sprint(n), func(t *testing.T) {
			var a Arena
			var got, want []string
			pos := 0
			for i := range 3*MaxChunk/n + 3 {
				b := bytes.Repeat([]byte{'a' + byte(i%26)}, n)
				pos += n + 16
				s := a.Copy(b, pos, total)
				got, want = append(got, s), append(want, string(b))
				require.LessOrEqual(t, a.chunk.Cap(), MaxChunk, "a chunk's size")
				switch {
				case n <= MaxShared:
					assert.True(t, inChunk(&a, s), "a string of %d bytes is in the current chunk", n)
				case n > MaxChunk:
					assert.False(t, inChunk(&a, s), "a string of %d bytes is in a chunk", n)
				}
			}
			assert.Equal(t, want, got)
			a.Reset()
			assert.Zero(t, a.chunk.Cap(), "reset keeps a chunk")
		})
	}
}

// TestTableInternKeepsFirstCopy holds intern to returning the first
// copy of a repeated value, in the chunk it was copied into, after later
// strings have moved the arena on to other chunks.
func TestTableInternKeepsFirstCopy(t *testing.T) {
	var st Table
	first := st.Intern([]byte("Android10"), 10, 1<<20)
	require.True(t, inChunk(&st.Arena, first))
	for i := range 4 * MaxChunk / 32 {
		st.Copy([]byte(fmt.Sprintf("%032d", i)), 100+i*40, 1<<20)
	}
	require.False(t, inChunk(&st.Arena, first), "the arena moved on to another chunk")
	again := st.Intern([]byte("Android10"), 1<<19, 1<<20)
	assert.Equal(t, "Android10", again)
	assert.Same(t, unsafe.StringData(first), unsafe.StringData(again))
}
