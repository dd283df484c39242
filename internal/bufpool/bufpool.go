// Package bufpool reads bodies into buffers taken from size-class pools,
// and gives them back, so that reading a body of a size read before
// allocates (almost) nothing.
package bufpool

import (
	"errors"
	"io"
	"math"
	"math/bits"
	"sync"
)

// Bodies are read into buffers taken from size-class pools: one pool per
// power of two from 512 bytes to 32 MiB (MaxPooled), the client's default
// cap, so that every body the default cap lets through has a pooled
// buffer. A body is read straight into its buffer (no bufio in
// between) and the buffer goes back to its pool once the body is decoded.
// Nothing decoded may point into a pooled buffer: the decoders copy every
// string they keep.
const (
	minBufShift = 9  // 512 bytes
	maxBufShift = 25 // 32 MiB
)

// MaxPooled is the size of the largest pooled buffer: Get of more
// allocates a buffer that Release leaves to the garbage collector.
const MaxPooled = 1 << maxBufShift

// ErrLimit is what ReadCapped returns when a body is longer than its
// limit.
var ErrLimit = errors.New("body exceeds the limit")

// The first buffer of a body, and how fast it grows, are paced by the bytes
// that arrive rather than by the length a server declares, so that a server
// which declares 30 MiB and sends ten bytes makes the client allocate
// 256 KiB at most, not 30 MiB:
//
//   - lengthHint is how much of a declared Content-Length ReadCapped trusts
//     before any byte has arrived: a body declared up to 256 KiB gets its
//     whole buffer at once (almost every answer of the API is far smaller);
//     one declared longer gets a pooled buffer of its full size if one is
//     free (taking it costs nothing), else 256 KiB to begin with. 256 KiB is
//     small next to the cap (a lying server costs at most that per attempt
//     beyond what it sends, and the buffer goes back to its pool for the
//     next attempt), and big enough that an honest
//     large body pays for one copy of at most 256 KiB, next to the megabytes
//     it takes to receive, before its buffer grows to the declared length.
//   - growPace bounds each new buffer to that many times the bytes received
//     so far (and to the declared length and the limit): with 8, the
//     10,000-image list (1.69 MB) grows from 256 KiB to its 2 MiB class in
//     one step, and what a body allocates stays within about 10 times what
//     arrived, plus lengthHint.
//   - unknownLengthStart is the first buffer of a body without a length
//     (chunked, or decompressed by the transport); it then doubles, so a
//     body allocates at most about twice its size in all.
const (
	lengthHint         = 256 << 10
	growPace           = 8
	unknownLengthStart = 4 << 10
)

// probeSize is the most that ReadCapped reads into a small buffer of its
// own to learn whether a full buffer's body goes on.
const probeSize = 1 << minBufShift

// bufPools hold *[]byte by size class. A buffer taken out leaves its
// pointer in holders, for the next buffer given back to travel in, so that
// neither taking nor giving back allocates.
var (
	bufPools [maxBufShift - minBufShift + 1]sync.Pool
	holders  sync.Pool
)

// bufClass returns the pool index of the smallest class holding n bytes,
// or -1 when n is larger than the largest class.
func bufClass(n int64) int {
	if n <= 1<<minBufShift {
		return 0
	}
	shift := bits.Len64(uint64(n - 1))
	if shift > maxBufShift {
		return -1
	}
	return shift - minBufShift
}

// Get returns an empty buffer with room for at least n bytes, from the
// pools when n fits a class (the buffer's capacity is then n rounded up
// to a power of two, at least 512). The caller gives it back with Release.
func Get(n int64) []byte {
	if b, ok := pooledBuf(n); ok {
		return b
	}
	c := bufClass(n)
	if c < 0 {
		return make([]byte, 0, n)
	}
	return make([]byte, 0, 1<<(c+minBufShift))
}

// pooledBuf returns an empty buffer of n bytes' class if its pool has one,
// allocating nothing either way.
func pooledBuf(n int64) ([]byte, bool) {
	c := bufClass(n)
	if c < 0 {
		return nil, false
	}
	h, _ := bufPools[c].Get().(*[]byte)
	if h == nil {
		return nil, false
	}
	b := (*h)[:0]
	*h = nil
	holders.Put(h)
	return b, true
}

// Release gives a buffer from Get (or ReadCapped) back to its pool.
// The caller must not use b, or anything that aliases it, afterwards.
// Buffers of other sizes are left to the garbage collector.
func Release(b []byte) {
	n := cap(b)
	if n < 1<<minBufShift || n > 1<<maxBufShift || n&(n-1) != 0 {
		return
	}
	h, _ := holders.Get().(*[]byte)
	if h == nil {
		h = new([]byte)
	}
	*h = b[:0]
	bufPools[bits.Len(uint(n))-1-minBufShift].Put(h)
}

// ReadCapped reads body whole, up to limit bytes, into a pooled buffer,
// straight from body (no bufio in between); the caller gives it back with
// Release when done with it. declared is the length the body says it has
// (a Content-Length), -1 if unknown; it is a hint: the buffer is sized
// from it up to lengthHint, and past that grows only as bytes arrive (see
// growPace), so what a body allocates stays within a small multiple of
// what it sent. It never asks for a buffer of more than limit bytes (a
// pool class may round that up): a full buffer's body is probed with a
// read into a small buffer of its own. Past the limit it returns what it
// read (limit bytes, at most math.MaxInt) and ErrLimit; it never reads
// more than limit+1 bytes. Any limit is safe, math.MaxInt64 included; a
// negative one is 0. A read error other than io.EOF is returned as it is,
// with what was read before it.
func ReadCapped(body io.Reader, declared, limit int64) ([]byte, error) {
	// A []byte holds at most math.MaxInt bytes (a bound only on 32-bit
	// platforms); a body longer than that is too large to read.
	limit = min(max(limit, 0), math.MaxInt)
	buf := firstBuf(declared, limit)
	for {
		room := min(int64(cap(buf)), limit)
		if int64(len(buf)) == room {
			var done bool
			var err error
			buf, done, err = growOrEnd(body, buf, declared, limit)
			if done {
				return buf, err
			}
			continue
		}
		n, err := body.Read(buf[len(buf):room])
		buf = buf[:len(buf)+n]
		if err == io.EOF {
			return buf, nil
		}
		if err != nil {
			return buf, err
		}
	}
}

// firstBuf returns the buffer a body of the declared length (-1: unknown)
// starts in.
func firstBuf(declared, limit int64) []byte {
	if declared < 0 {
		return Get(min(unknownLengthStart, limit))
	}
	want := min(declared, limit)
	if want <= lengthHint {
		return Get(want)
	}
	if b, ok := pooledBuf(want); ok {
		return b
	}
	return Get(lengthHint)
}

// growOrEnd is ReadCapped's step for a full buf (as full as the limit
// lets it be): it reads a little of the body into a small buffer of its
// own and, if the body goes on, moves buf into a bigger buffer with those
// bytes appended. done reports that the body ended, failed (err) or passed
// the limit (err is ErrLimit; buf then holds limit bytes).
func growOrEnd(body io.Reader, buf []byte, declared, limit int64) (_ []byte, done bool, _ error) {
	got := int64(len(buf))
	probe := Get(probeSize)
	defer Release(probe)
	// One byte past the limit is enough to show the body is over it.
	n, err := body.Read(probe[:min(probeSize, limit-got+1)])
	if n == 0 {
		if err == io.EOF {
			return buf, true, nil
		}
		return buf, err != nil, err
	}
	over := int64(n) > limit-got
	if over {
		n = int(limit - got)
	}
	if n > 0 {
		next := 2 * int64(cap(buf))
		if declared > got {
			next = max(next, min(declared, growPace*got))
		}
		bigger := Get(min(max(next, got+int64(n)), limit))
		bigger = append(bigger, buf...)
		Release(buf)
		buf = append(bigger, probe[:n]...)
	}
	if over {
		return buf, true, ErrLimit
	}
	if err == io.EOF {
		return buf, true, nil
	}
	return buf, err != nil, err
}
