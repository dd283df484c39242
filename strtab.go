package cph

import (
	"encoding/binary"
	"strings"
)

// stringTable makes the strings of one decoded document. Their bytes are
// copied (never aliased: the body sits in a pooled buffer) into a few large
// arena chunks instead of one allocation per string, and values that repeat
// across images (names, OS types and names, labels) are interned, so a
// repeated value costs neither an allocation nor arena bytes.
//
// The strings of one document share its chunks: keeping any of them keeps
// its chunk alive. A chunk is at most about the size of the body.
type stringTable struct {
	chunk strings.Builder // the current arena chunk
	used  int             // bytes copied into chunks so far
	slots [256]internSlot // interned values, by hash, two slots a value
	raw   [256]rawSlot    // the same, by the first bytes of their literal

	// The slots written since the last reset (raw ones numbered after
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
		clear(t.raw[:])
	} else {
		for _, i := range t.written {
			if int(i) < len(t.slots) {
				t.slots[i] = internSlot{}
			} else {
				t.raw[int(i)-len(t.slots)] = rawSlot{}
			}
		}
	}
	t.written, t.tooMany = t.writtenRoom[:0], false
}

// wrote notes that slot i (raw slots after the interned ones) changed.
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

// copy returns b as a string in the arena. pos and total, the decoder's
// offset in the body and the body's length, size a new chunk: the bytes
// copied so far per byte of body read predict what the rest needs.
func (t *stringTable) copy(b []byte, pos, total int) string {
	if len(b) == 0 {
		return ""
	}
	if t.chunk.Cap()-t.chunk.Len() < len(b) {
		size := total/4 + 64
		if t.used > 0 && pos > 0 {
			size = int(float64(t.used)/float64(pos)*float64(total-pos)*1.125) + 64
		}
		t.chunk = strings.Builder{}
		t.chunk.Grow(max(size, len(b)))
	}
	start := t.chunk.Len()
	t.chunk.Write(b)
	t.used += len(b)
	// A Builder never changes bytes it has written, so the string it
	// returns now stays valid when more is written or when it is dropped.
	return t.chunk.String()[start:]
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

// match looks for an interned value whose string literal starts at
// data[pos] (the opening quote), so that a repeated value costs neither a
// scan nor a hash of the whole string. It returns the value and the index
// past the closing quote. Only values whose literal is the value itself
// (no escapes, no invalid UTF-8: see remember) are there, so the bytes
// matching the value and a quote right after them is the whole literal.
func (t *stringTable) match(data []byte, pos int) (string, int, bool) {
	if pos+9 > len(data) {
		return "", 0, false
	}
	k := binary.LittleEndian.Uint64(data[pos+1:])
	i := rawIndex(k)
	if s, end, ok := t.raw[i].match(k, data, pos); ok {
		return s, end, true
	}
	return t.raw[i+1].match(k, data, pos)
}

// rawSlot holds a value for match, with k, the first eight bytes after
// the opening quote of the literal it was seen in.
type rawSlot struct {
	k    uint64
	s    string
	hits uint8
}

func (r *rawSlot) match(k uint64, data []byte, pos int) (string, int, bool) {
	if r.k != k || r.s == "" {
		return "", 0, false
	}
	n := len(r.s)
	if n < 8 {
		// k holds the whole value and its closing quote.
		r.hits = min(r.hits+1, maxInternHits)
		return r.s, pos + n + 2, true
	}
	end := pos + 1 + n
	if end < len(data) && data[end] == '"' && string(data[pos+9:end]) == r.s[8:] {
		r.hits = min(r.hits+1, maxInternHits)
		return r.s, end + 1, true
	}
	return "", 0, false
}

// remember records s for match: the value of the string literal at
// data[pos], which must be s itself between quotes.
func (t *stringTable) remember(data []byte, pos int, s string) {
	if pos+9 > len(data) {
		return
	}
	k := binary.LittleEndian.Uint64(data[pos+1:])
	i := rawIndex(k)
	x, y := &t.raw[i], &t.raw[i+1]
	j := len(t.slots) + i
	if y.hits < x.hits {
		x, j = y, j+1
	}
	if x.hits == 0 {
		x.k, x.s = k, s
		t.wrote(j)
	} else {
		x.hits--
	}
}

// rawIndex returns the first of the two raw slots for k.
func rawIndex(k uint64) int {
	return int(k*0x9E3779B97F4A7C15>>57) &^ 1
}
