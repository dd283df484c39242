package cph

import (
	"bytes"
	"fmt"
	"strings"
	"testing"
	"unsafe"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// inChunk reports whether s's bytes lie in t's current chunk.
func inChunk(t *stringTable, s string) bool {
	c := t.chunk.String()
	if c == "" {
		return false
	}
	base := uintptr(unsafe.Pointer(unsafe.StringData(c)))
	p := uintptr(unsafe.Pointer(unsafe.StringData(s)))
	return base <= p && p+uintptr(len(s)) <= base+uintptr(t.chunk.Cap())
}

// TestStringTableChunks holds stringTable's arena to its promise for
// strings of every length, in a body large enough that the predicted
// chunk would be far larger: no chunk holds more than maxChunk bytes, a
// string up to maxShared long goes into one, a string longer than a chunk
// gets an allocation of its own, and every string keeps its value.
func TestStringTableChunks(t *testing.T) {
	const total = 16 << 20
	for _, n := range []int{1, 32, maxShared - 1, maxShared, maxShared + 1, maxChunk - 1, maxChunk, maxChunk + 1, 64 << 10} {
		t.Run(fmt.Sprint(n), func(t *testing.T) {
			var st stringTable
			var got, want []string
			pos := 0
			for i := range 3*maxChunk/n + 3 {
				b := bytes.Repeat([]byte{'a' + byte(i%26)}, n)
				pos += n + 16
				s := st.copy(b, pos, total)
				got, want = append(got, s), append(want, string(b))
				require.LessOrEqual(t, st.chunk.Cap(), maxChunk, "a chunk's size")
				switch {
				case n <= maxShared:
					assert.True(t, inChunk(&st, s), "a string of %d bytes is in the current chunk", n)
				case n > maxChunk:
					assert.False(t, inChunk(&st, s), "a string of %d bytes is in a chunk", n)
				}
			}
			assert.Equal(t, want, got)
			st.reset()
			assert.Zero(t, st.chunk.Cap(), "reset keeps a chunk")
		})
	}
}

// TestStringTableInternKeepsFirstCopy holds intern to returning the first
// copy of a repeated value, in the chunk it was copied into, after later
// strings have moved the arena on to other chunks.
func TestStringTableInternKeepsFirstCopy(t *testing.T) {
	var st stringTable
	first := st.intern([]byte("Android10"), 10, 1<<20)
	require.True(t, inChunk(&st, first))
	for i := range 4 * maxChunk / 32 {
		st.copy([]byte(fmt.Sprintf("%032d", i)), 100+i*40, 1<<20)
	}
	require.False(t, inChunk(&st, first), "the arena moved on to another chunk")
	again := st.intern([]byte("Android10"), 1<<19, 1<<20)
	assert.Equal(t, "Android10", again)
	assert.Same(t, unsafe.StringData(first), unsafe.StringData(again))
}

// TestDecodeLongValuesMatchEncodingJSON decodes values of the lengths
// around the arena's limits, plain and with escapes, in every string
// field, and holds the output to encoding/json's.
func TestDecodeLongValuesMatchEncodingJSON(t *testing.T) {
	for _, n := range []int{maxShared - 1, maxShared, maxShared + 1, maxChunk - 1, maxChunk, maxChunk + 1, 3 * maxChunk} {
		for _, escaped := range []bool{false, true} {
			t.Run(fmt.Sprintf("%d bytes, escaped %v", n, escaped), func(t *testing.T) {
				val := func(c string) string {
					v := strings.Repeat(c, n)
					if escaped {
						v = `\"` + v[2:]
					}
					return `"` + v + `"`
				}
				var b strings.Builder
				b.WriteString(`{"phone_images":[`)
				for i := range 20 {
					if i > 0 {
						b.WriteByte(',')
					}
					fmt.Fprintf(&b, `{"image_name":%s,"os_type":%s,"is_public":1,"os_name":%s,"image_label":%s,"image_id":%s}`,
						val(string(rune('a'+i%3))), val("t"), val(string(rune('o'+i%2))), val("l"), val(string(rune('A'+i))))
				}
				fmt.Fprintf(&b, `],"request_id":%s}`, val("r"))
				checkMatchesEncodingJSON(t, []byte(b.String()))
			})
		}
	}
}
