package cph

import (
	"fmt"
	"io"
	"math"
	"math/bits"
	"net/http"
	"sync"
)

// Response bodies are read into buffers taken from size-class pools: one
// pool per power of two from 512 bytes to 32 MiB, the default cap
// (defaultMaxBodyBytes), so that every body the default cap lets through
// has a pooled buffer. A body is read straight into its buffer (no bufio in
// between) and the buffer goes back to its pool once the body is decoded.
// Nothing decoded may point into a pooled buffer: the decoders copy every
// string they keep.
const (
	minBufShift = 9  // 512 bytes
	maxBufShift = 25 // 32 MiB
)

// The first buffer of a body, and how fast it grows, are paced by the bytes
// that arrive rather than by the length a server declares, so that a server
// which declares 30 MiB and sends ten bytes makes the client allocate
// 256 KiB at most, not 30 MiB:
//
//   - lengthHint is how much of a declared Content-Length readCapped trusts
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

// probeSize is the most that readCapped reads into a small buffer of its
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

// getBuf returns an empty buffer with room for at least n bytes, from the
// pools when n fits a class.
func getBuf(n int64) []byte {
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

// releaseBody gives a buffer from getBuf (or readCapped) back to its pool.
// The caller must not use b, or anything that aliases it, afterwards.
// Buffers of other sizes are left to the garbage collector.
func releaseBody(b []byte) {
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

// readCapped reads resp's body whole, up to limit bytes, into a pooled
// buffer, straight from the connection; the caller gives it back with
// releaseBody when done with it. Content-Length is a hint: the buffer is
// sized from it up to lengthHint, and past that grows only as bytes arrive
// (see growPace), so what a body allocates stays within a small multiple of
// what it sent. It never asks for a buffer of more than limit bytes (a
// pool class may round that up): a full buffer's body is probed with a
// read into a small buffer of its own. Past the limit
// it returns what it read (limit bytes) and an error wrapping
// ErrResponseTooLarge; it never reads more than limit+1 bytes. Any limit is
// safe, math.MaxInt64 included.
func readCapped(resp *http.Response, limit int64) ([]byte, error) {
	// A []byte holds at most math.MaxInt bytes (a bound only on 32-bit
	// platforms); a body longer than that is too large to read.
	limit = min(max(limit, 0), math.MaxInt)
	declared := resp.ContentLength
	buf := firstBuf(declared, limit)
	for {
		room := min(int64(cap(buf)), limit)
		if int64(len(buf)) == room {
			var done bool
			var err error
			buf, done, err = growOrEnd(resp.Body, buf, declared, limit)
			if done {
				return buf, err
			}
			continue
		}
		n, err := resp.Body.Read(buf[len(buf):room])
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
		return getBuf(min(unknownLengthStart, limit))
	}
	want := min(declared, limit)
	if want <= lengthHint {
		return getBuf(want)
	}
	if b, ok := pooledBuf(want); ok {
		return b
	}
	return getBuf(lengthHint)
}

// growOrEnd is readCapped's step for a full buf (as full as the limit
// lets it be): it reads a little of the body into a small buffer of its
// own and, if the body goes on, moves buf into a bigger buffer with those
// bytes appended. done reports that the body ended, failed (err) or passed
// the limit (err wraps ErrResponseTooLarge; buf then holds limit bytes).
func growOrEnd(body io.Reader, buf []byte, declared, limit int64) (_ []byte, done bool, _ error) {
	got := int64(len(buf))
	probe := getBuf(probeSize)
	defer releaseBody(probe)
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
		bigger := getBuf(min(max(next, got+int64(n)), limit))
		bigger = append(bigger, buf...)
		releaseBody(buf)
		buf = append(bigger, probe[:n]...)
	}
	if over {
		return buf, true, fmt.Errorf("%w: body exceeds %d bytes", ErrResponseTooLarge, limit)
	}
	if err == io.EOF {
		return buf, true, nil
	}
	return buf, err != nil, err
}
