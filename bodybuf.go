package cph

import (
	"fmt"
	"io"
	"math/bits"
	"net/http"
	"sync"
)

// Response bodies are read into buffers taken from size-class pools: one
// pool per power of two from 512 bytes to 16 MiB. A buffer is sized from
// Content-Length, so a body is read straight into the one buffer it ends in
// (no bufio in between, no growing copies) and the buffer goes back to its
// pool once the body is decoded. Nothing decoded may point into a pooled
// buffer: the decoders copy every string they keep.
const (
	minBufShift = 9  // 512 bytes
	maxBufShift = 24 // 16 MiB
)

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
	c := bufClass(n)
	if c < 0 {
		return make([]byte, 0, n)
	}
	if h, _ := bufPools[c].Get().(*[]byte); h != nil {
		b := (*h)[:0]
		*h = nil
		holders.Put(h)
		return b
	}
	return make([]byte, 0, 1<<(c+minBufShift))
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
// buffer sized from Content-Length, straight from the connection (no
// buffer in between, no growing copies when the length is right); the
// caller gives it back with releaseBody when done with it. Past the limit
// it returns what it read (limit bytes) and an error wrapping
// ErrResponseTooLarge; it never reads more than limit+1 bytes.
func readCapped(resp *http.Response, limit int64) ([]byte, error) {
	// One byte more than the body so that the read which meets EOF has
	// room, and so that a body longer than limit shows itself.
	size := int64(4 << 10)
	if n := resp.ContentLength; n >= 0 {
		size = n + 1
	}
	buf := getBuf(min(size, limit+1))
	for {
		if int64(len(buf)) > limit {
			return buf[:limit], fmt.Errorf("%w: body exceeds %d bytes", ErrResponseTooLarge, limit)
		}
		if len(buf) == cap(buf) {
			// No or a wrong Content-Length: move to the next class.
			bigger := getBuf(min(2*int64(cap(buf)), limit+1))
			bigger = append(bigger, buf...)
			releaseBody(buf)
			buf = bigger
		}
		room := min(int64(cap(buf)), limit+1)
		n, err := resp.Body.Read(buf[len(buf):room])
		buf = buf[:len(buf)+n]
		if err == io.EOF {
			if int64(len(buf)) > limit {
				return buf[:limit], fmt.Errorf("%w: body exceeds %d bytes", ErrResponseTooLarge, limit)
			}
			return buf, nil
		}
		if err != nil {
			return buf, err
		}
	}
}
