// Package strtab makes the strings of one decoded document: their bytes
// are copied (never aliased, so the document may sit in a pooled buffer)
// into small arena chunks instead of one allocation per string, and a
// Table interns values that repeat, so a repeated value costs neither an
// allocation nor arena bytes.
//
// Keeping a string keeps its chunk alive, and no more of the document: a
// chunk holds at most MaxChunk bytes, and a string longer than MaxShared
// that does not fit in the current chunk gets an allocation of its own,
// which keeps only itself. An interned value lives in the chunk of its
// first copy, so keeping any set of strings keeps at most one chunk (or
// the string alone) for each of them.
//
// Arena, Table and Written are not safe for concurrent use; their zero
// values are ready to use, and Reset (ClearWritten) drops every reference
// they hold, so that they can go back to a pool with the decoder that
// holds them.
package strtab

import "strings"

// MaxChunk is the most bytes an arena chunk holds, a size class of Go's
// allocator (no rounding up). It trades what keeping one string keeps
// alive against allocations, about one per MaxChunk bytes of strings.
const MaxChunk = 2 << 10

// MaxShared is the longest string copied into a chunk when it does not
// fit in the current one; a longer one gets an allocation of its own, so
// a chunk left for a new one has less than MaxShared bytes unused.
const MaxShared = MaxChunk / 8

// Arena copies byte strings into chunks of at most MaxChunk bytes.
type Arena struct {
	chunk strings.Builder // the current chunk
	used  int             // bytes copied before the current chunk
}

// Reset drops the arena's chunk. Strings it returned stay valid.
func (a *Arena) Reset() {
	a.chunk = strings.Builder{}
	a.used = 0
}

// Copy returns b as a string in the arena (the empty string costs
// nothing). pos and total, the decoder's offset in the document and the
// document's length, size a new chunk: the bytes copied so far per byte
// of document read predict what the rest needs.
func (a *Arena) Copy(b []byte, pos, total int) string {
	if len(b) == 0 {
		return ""
	}
	if a.chunk.Cap()-a.chunk.Len() < len(b) {
		if len(b) > MaxShared {
			a.used += len(b)
			return string(b)
		}
		a.newChunk(len(b), pos, total)
	}
	start := a.chunk.Len()
	a.chunk.Write(b)
	// A Builder never changes bytes it has written, so the string it
	// returns now stays valid when more is written or when it is dropped.
	return a.chunk.String()[start:]
}

// newChunk starts a chunk with room for at least n bytes (n at most
// MaxShared), sized from the bytes copied so far per byte of document
// read, and at most MaxChunk.
func (a *Arena) newChunk(n, pos, total int) {
	a.used += a.chunk.Len()
	size := total/4 + 64
	if a.used > 0 && pos > 0 {
		size = int(float64(a.used)/float64(pos)*float64(total-pos)*1.125) + 64
	}
	a.chunk = strings.Builder{}
	a.chunk.Grow(min(max(size, n), MaxChunk))
}
