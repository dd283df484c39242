package strtab

import "encoding/binary"

// MaxHits is the most hits a cache slot counts. A hit raises a slot's
// count, a colliding new value lowers it and takes the slot only at zero,
// so values that repeat survive values seen once.
const MaxHits = 8

// Table is an Arena that interns: Intern returns the same string for the
// same bytes while the value keeps its slot. Its cache is a fixed set of
// slots, so a collision may cost a second copy, never a wrong string.
type Table struct {
	Arena
	slots   [256]slot
	written Written // the slots written since the last Reset
}

// slot holds an interned value and its hits (see MaxHits).
type slot struct {
	s    string
	hits uint8
}

// Reset drops the arena's chunk and every interned value; strings it
// returned stay valid. It clears only the slots written since the last
// Reset, while they are few.
func (t *Table) Reset() {
	t.Arena.Reset()
	ClearWritten(&t.written, t.slots[:])
}

// Intern returns b as a string, the same string as the last time b was
// seen when its slot still holds it, else a copy in the arena (pos and
// total as for Copy).
func (t *Table) Intern(b []byte, pos, total int) string {
	if len(b) == 0 {
		return ""
	}
	// Two-way: a value may sit in either slot of its pair.
	i := hashBytes(b) % uint64(len(t.slots)) &^ 1
	x, y := &t.slots[i], &t.slots[i+1]
	if x.s == string(b) {
		x.hits = min(x.hits+1, MaxHits)
		return x.s
	}
	if y.s == string(b) {
		y.hits = min(y.hits+1, MaxHits)
		return y.s
	}
	s := t.Copy(b, pos, total)
	j := int(i)
	if y.hits < x.hits {
		x, j = y, j+1
	}
	if x.hits == 0 {
		x.s = s
		t.written.Note(j)
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

// Written records which slots of a cache were written since they were
// last cleared, so that a small document costs a small reset: up to a
// few dozen slots by number, then just that there were more. Its zero
// value has room for none: a first Note makes ClearWritten clear all.
type Written struct {
	list []uint16
	all  bool
	room [32]uint16
}

// Note records that slot i (0 to 65535) was written.
func (w *Written) Note(i int) {
	if w.all {
		return
	}
	if len(w.list) == cap(w.list) {
		w.all = true
		return
	}
	w.list = append(w.list, uint16(i))
}

// ClearWritten sets to the zero value the slots that w recorded as
// written (all of them, when they were too many to list) and forgets
// them.
func ClearWritten[T any](w *Written, slots []T) {
	if w.all {
		clear(slots)
	} else {
		var zero T
		for _, i := range w.list {
			slots[i] = zero
		}
	}
	w.list, w.all = w.room[:0], false
}
