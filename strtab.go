package cph

import (
	"encoding/binary"
	"strings"
)

// stringTable makes the strings of one decoded document. Their bytes are
// copied (never aliased: the body sits in a pooled buffer) into small
// arena chunks instead of one allocation per string, and values that
// repeat across images (names, OS types and names, labels) are interned,
// so a repeated value costs neither an allocation nor arena bytes.
//
// Keeping a string keeps its chunk alive, and no more of the document: a
// chunk holds at most maxChunk bytes, and a string longer than maxShared
// that does not fit in the current chunk gets an allocation of its own,
// which keeps only itself. An interned value lives in the chunk of its
// first copy, so keeping one decoded image keeps at most one chunk (or
// the string alone) for each of its strings, shared ones included.
type stringTable struct {
	chunk strings.Builder     // the current arena chunk
	used  int                 // bytes copied before the current chunk
	slots [256]internSlot     // interned values, by hash, two slots a value
	lits  [litFields]litCache // the same, by the bytes of their literal, per field

	// The slots written since the last reset (literal ones numbered after
	// the others), so that a small document costs a small reset; tooMany
	// once they outgrow writtenRoom, and then reset clears all.
	written     []uint16
	tooMany     bool
	writtenRoom [32]uint16
}

// internSlot holds an interned value and how well it earned its place: a
// hit raises hits, a colliding new value lowers it and takes the slot only
// at zero, so values that repeat survive values seen once.
type internSlot struct {
	s    string
	hits uint8
}

const maxInternHits = 8

// reset drops every reference the table holds, before it goes back to a
// pool.
func (t *stringTable) reset() {
	t.chunk = strings.Builder{}
	t.used = 0
	if t.tooMany {
		clear(t.slots[:])
		clear(t.lits[:])
	} else {
		for _, i := range t.written {
			if int(i) < len(t.slots) {
				t.slots[i] = internSlot{}
			} else {
				j := int(i) - len(t.slots)
				t.lits[j/litCacheSize][j%litCacheSize] = litEntry{}
			}
		}
	}
	t.written, t.tooMany = t.writtenRoom[:0], false
}

// wrote notes that slot i (literal slots after the interned ones) changed.
func (t *stringTable) wrote(i int) {
	if t.tooMany {
		return
	}
	if len(t.written) == cap(t.written) {
		t.tooMany = true
		return
	}
	t.written = append(t.written, uint16(i))
}

// maxChunk is the most bytes an arena chunk holds, a size class of Go's
// allocator (no rounding up). It trades what keeping one string keeps
// alive against allocations, about one per maxChunk bytes of strings.
const maxChunk = 2 << 10

// maxShared is the longest string copied into a chunk when it does not
// fit in the current one; a longer one gets an allocation of its own, so
// a chunk left for a new one has less than maxShared bytes unused.
const maxShared = maxChunk / 8

// copy returns b as a string in the arena. pos and total, the decoder's
// offset in the body and the body's length, size a new chunk: the bytes
// copied so far per byte of body read predict what the rest needs.
func (t *stringTable) copy(b []byte, pos, total int) string {
	if len(b) == 0 {
		return ""
	}
	if t.chunk.Cap()-t.chunk.Len() < len(b) {
		if len(b) > maxShared {
			t.used += len(b)
			return string(b)
		}
		t.newChunk(len(b), pos, total)
	}
	start := t.chunk.Len()
	t.chunk.Write(b)
	// A Builder never changes bytes it has written, so the string it
	// returns now stays valid when more is written or when it is dropped.
	return t.chunk.String()[start:]
}

// newChunk starts a chunk with room for at least n bytes (n at most
// maxShared), sized from the bytes copied so far per byte of body read,
// and at most maxChunk.
func (t *stringTable) newChunk(n, pos, total int) {
	t.used += t.chunk.Len()
	size := total/4 + 64
	if t.used > 0 && pos > 0 {
		size = int(float64(t.used)/float64(pos)*float64(total-pos)*1.125) + 64
	}
	t.chunk = strings.Builder{}
	t.chunk.Grow(min(max(size, n), maxChunk))
}

// intern returns b as a string, the same string as the last time b was
// seen when its slot still holds it.
func (t *stringTable) intern(b []byte, pos, total int) string {
	if len(b) == 0 {
		return ""
	}
	// Two-way: a value may sit in either slot of its pair.
	i := hashBytes(b) % uint64(len(t.slots)) &^ 1
	x, y := &t.slots[i], &t.slots[i+1]
	if x.s == string(b) {
		x.hits = min(x.hits+1, maxInternHits)
		return x.s
	}
	if y.s == string(b) {
		y.hits = min(y.hits+1, maxInternHits)
		return y.s
	}
	s := t.copy(b, pos, total)
	j := int(i)
	if y.hits < x.hits {
		x, j = y, j+1
	}
	if x.hits == 0 {
		x.s = s
		t.wrote(j)
	} else {
		x.hits--
	}
	return s
}

// hashBytes hashes b (not empty) from its length and up to eight bytes at
// each end, which tell apart the values that repeat in a document.
func hashBytes(b []byte) uint64 {
	var head, tail uint64
	if len(b) >= 8 {
		head = binary.LittleEndian.Uint64(b)
		tail = binary.LittleEndian.Uint64(b[len(b)-8:])
	} else {
		for i, c := range b {
			head |= uint64(c) << (8 * i)
		}
	}
	h := (head*0x9E3779B97F4A7C15 ^ tail*0xC2B2AE3D27D4EB4F ^ uint64(len(b))) * 0x165667B19E3779F9
	return h >> 56
}

// litCache remembers the values of one interned field by the bytes of
// their string literals, so that a repeated value costs a comparison of
// three words instead of a scan, a hash and a string comparison. It is
// direct-mapped by the first sixteen bytes after the opening quote (for a
// short value these include what follows the literal, which in a document
// of a fixed member order repeats along with the value). Only values whose
// literal is the value itself (no escapes, no invalid UTF-8) are there, so
// the bytes matching the value and a quote right after them is the whole
// literal.
type litCache [litCacheSize]litEntry

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
// internSlot.
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
	e := &t.lits[f][litIndex(w0, w1)]
	if (w0^e.w[0])&e.m[0]|(w1^e.w[1])&e.m[1]|(w2^e.w[2])&e.m[2] != 0 || e.s == "" {
		return "", -1
	}
	n := len(e.s)
	if n < 8*litWords {
		// The words held the whole value and its closing quote.
		if e.hits < maxInternHits {
			e.hits++
		}
		return e.s, pos + n + 2
	}
	end := pos + 1 + n
	if end < len(data) && data[end] == '"' && string(data[pos+1+8*litWords:end]) == e.s[8*litWords:] {
		if e.hits < maxInternHits {
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
	e := &t.lits[f][i]
	if e.hits > 0 {
		e.hits--
		return
	}
	e.s, e.hits = s, 0
	for j := range e.w {
		e.m[j] = litMask(len(s) + 1 - 8*j)
		e.w[j] = binary.LittleEndian.Uint64(w[8*j:]) & e.m[j]
	}
	t.wrote(len(t.slots) + f*litCacheSize + i)
}
