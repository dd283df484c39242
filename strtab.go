package cph

import (
	"encoding/binary"

	"github.com/cph-go/cph/internal/strtab"
)

// stringTable makes the strings of one decoded document: a strtab.Table
// (an arena of small chunks that interns values repeated across images:
// names, OS types and names, labels; see its package for what keeping a
// string keeps alive), and for the interned fields the caches of their
// literals (match, remember), which know this document's field numbers.
type stringTable struct {
	strtab.Table
	// The values of the interned fields by the bytes of their literal:
	// a litCache per field, entry i of field f at f*litCacheSize+i.
	lits        [litFields * litCacheSize]litEntry
	litsWritten strtab.Written // the lits written since the last reset
}

// reset drops every reference the table holds, before it goes back to a
// pool.
func (t *stringTable) reset() {
	t.Table.Reset()
	strtab.ClearWritten(&t.litsWritten, t.lits[:])
}

// litCacheSize is the number of entries of a litCache. A field's litCache
// remembers its values by the bytes of their string literals, so that a
// repeated value costs a comparison of three words instead of a scan, a
// hash and a string comparison. It is
// direct-mapped by the first sixteen bytes after the opening quote (for a
// short value these include what follows the literal, which in a document
// of a fixed member order repeats along with the value). Only values whose
// literal is the value itself (no escapes, no invalid UTF-8) are there, so
// the bytes matching the value and a quote right after them is the whole
// literal.
const litCacheSize = 32

// litFields is the number of litCaches: one per field from image_name to
// image_label (is_public's goes unused), indexed from fieldImageName.
const litFields = fieldImageLabel - fieldImageName + 1

// litWords is how many words of a literal an entry compares at once; a
// longer value compares the rest as a string.
const litWords = 3

// litEntry is a value in a litCache: w holds the first bytes of its
// literal after the opening quote (the value and the closing quote,
// masked by m); hits counts how well it earned its place, as in
// strtab.Table's slots (see strtab.MaxHits).
type litEntry struct {
	w, m [litWords]uint64
	s    string
	hits uint8
}

// litIndex returns the litCache slot of a literal whose first sixteen
// bytes after the opening quote are w0 and w1.
func litIndex(w0, w1 uint64) int {
	return int((w0*0x9E3779B97F4A7C15 ^ w1*0xC2B2AE3D27D4EB4F) >> 59)
}

// litMask returns the mask that keeps the first n bytes of a word (all of
// them for n of 8 or more, none for n of 0 or less).
func litMask(n int) uint64 {
	if n >= 8 {
		return ^uint64(0)
	}
	if n <= 0 {
		return 0
	}
	return 1<<(8*n) - 1
}

// match returns the value of field f whose string literal starts at
// data[pos] (the opening quote) and the index past the literal, or -1.
func (t *stringTable) match(f int, data []byte, pos int) (string, int) {
	if pos+1+8*litWords > len(data) {
		return "", -1
	}
	w := data[pos+1 : pos+1+8*litWords]
	w0 := binary.LittleEndian.Uint64(w)
	w1 := binary.LittleEndian.Uint64(w[8:])
	w2 := binary.LittleEndian.Uint64(w[16:])
	e := &t.lits[f*litCacheSize+litIndex(w0, w1)]
	if (w0^e.w[0])&e.m[0]|(w1^e.w[1])&e.m[1]|(w2^e.w[2])&e.m[2] != 0 || e.s == "" {
		return "", -1
	}
	n := len(e.s)
	if n < 8*litWords {
		// The words held the whole value and its closing quote.
		if e.hits < strtab.MaxHits {
			e.hits++
		}
		return e.s, pos + n + 2
	}
	end := pos + 1 + n
	if end < len(data) && data[end] == '"' && string(data[pos+1+8*litWords:end]) == e.s[8*litWords:] {
		if e.hits < strtab.MaxHits {
			e.hits++
		}
		return e.s, end + 1
	}
	return "", -1
}

// remember records s for match: the value of field f's string literal at
// data[pos], which must be s itself between quotes.
func (t *stringTable) remember(f int, data []byte, pos int, s string) {
	if pos+1+8*litWords > len(data) || s == "" {
		return
	}
	w := data[pos+1 : pos+1+8*litWords]
	w0 := binary.LittleEndian.Uint64(w)
	w1 := binary.LittleEndian.Uint64(w[8:])
	i := litIndex(w0, w1)
	e := &t.lits[f*litCacheSize+i]
	if e.hits > 0 {
		e.hits--
		return
	}
	e.s, e.hits = s, 0
	for j := range e.w {
		e.m[j] = litMask(len(s) + 1 - 8*j)
		e.w[j] = binary.LittleEndian.Uint64(w[8*j:]) & e.m[j]
	}
	t.litsWritten.Note(f*litCacheSize + i)
}
