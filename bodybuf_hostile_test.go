package cph

import (
	"bytes"
	"compress/gzip"
	"context"
	"fmt"
	"io"
	"math"
	"net"
	"net/http"
	"runtime"
	"strconv"
	"testing"
	"testing/iotest"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// allocated returns how many bytes of heap f allocates (in the whole
// process: no test of this package runs in parallel), after collecting
// twice so that the buffer pools start empty: sync.Pool keeps what it
// held before a collection until the next one.
func allocated(f func()) uint64 {
	var before, after runtime.MemStats
	runtime.GC()
	runtime.GC()
	runtime.ReadMemStats(&before)
	f()
	runtime.ReadMemStats(&after)
	return after.TotalAlloc - before.TotalAlloc
}

// skipIfRacing skips a test that counts allocations: the race detector
// makes sync.Pool drop items at random and adds allocations of its own.
func skipIfRacing(t *testing.T) {
	t.Helper()
	if raceDetector {
		t.Skip("the race detector changes allocations")
	}
}

// emptyListBody is a 200 body of exactly size bytes: the list of no images,
// padded with spaces.
func emptyListBody(size int) []byte {
	const doc = `{"phone_images":[]}`
	return append([]byte(doc), bytes.Repeat([]byte(" "), size-len(doc))...)
}

// lyingLength answers 200 with a Content-Length of declared bytes, sends
// sent bytes of them and closes the connection.
func lyingLength(declared int64, sent int) faultHandler {
	return hijack(func(c *net.TCPConn) {
		_, _ = fmt.Fprintf(c, "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: %d\r\n\r\n", declared)
		_, _ = c.Write(bytes.Repeat([]byte(" "), sent))
	})
}

// TestMaxResponseBytesExtremeValues: no limit a caller may set makes a
// call panic, however large; a small body passes every limit but 1.
func TestMaxResponseBytesExtremeValues(t *testing.T) {
	handlers := map[string]faultHandler{
		"Content-Length": func(w http.ResponseWriter, _ *http.Request, _ int) { serveOK(w) },
		"chunked": func(w http.ResponseWriter, _ *http.Request, _ int) {
			w.Header().Set("Content-Type", "application/json")
			_, _ = w.Write(sampleBody[:len(sampleBody)/2])
			w.(http.Flusher).Flush()
			_, _ = w.Write(sampleBody[len(sampleBody)/2:])
		},
	}
	limits := map[string]struct {
		limit   int64
		wantErr error
	}{
		"1":            {limit: 1, wantErr: ErrResponseTooLarge},
		"MaxInt64":     {limit: math.MaxInt64},
		"MaxInt64 - 1": {limit: math.MaxInt64 - 1},
		"1 TiB":        {limit: 1 << 40},
	}
	for limitName, lc := range limits {
		for bodyName, h := range handlers {
			t.Run(limitName+", "+bodyName, func(t *testing.T) {
				s := newFaultServer(t, always(h), false)
				c := newFaultClient(t, s.URL, WithMaxResponseBytes(lc.limit))
				require.Equal(t, lc.limit, c.maxBodyBytes, "the limit is taken as it is")
				var out *ListPhoneImagesOutput
				var err error
				require.NotPanics(t, func() { out, err = c.ListPhoneImages(context.Background()) })
				if lc.wantErr != nil {
					require.ErrorIs(t, err, lc.wantErr)
					assert.Equal(t, 1, s.Served(), "not retried")
					return
				}
				require.NoError(t, err)
				assert.Equal(t, documentedImages, out.Images)
			})
		}
	}
}

// TestLyingContentLengthAllocatesWhatArrives: a server that declares
// 30 MiB, sends a few bytes and closes, three attempts in a row, makes the
// call allocate about what arrived, not what was declared (a reader that
// trusted the declared length would allocate 90 MiB).
func TestLyingContentLengthAllocatesWhatArrives(t *testing.T) {
	skipIfRacing(t)
	s := newFaultServer(t, always(lyingLength(30<<20, 1000)), false)
	c := newFaultClient(t, s.URL)
	var err error
	n := allocated(func() { _, err = c.ListPhoneImages(context.Background()) })
	require.ErrorIs(t, err, io.ErrUnexpectedEOF)
	require.Equal(t, 3, s.Served(), "attempts")
	t.Logf("allocated %d bytes", n)
	assert.Less(t, n, uint64(1<<20), "bytes allocated by a call that received 3 x 1000 bytes of body")
}

// TestReadCappedAllocationPacedByArrival: whatever length a body declares,
// readCapped allocates at most the length hint (256 KiB) plus a small
// multiple of the bytes that actually arrive.
func TestReadCappedAllocationPacedByArrival(t *testing.T) {
	skipIfRacing(t)
	const declared, limit = 30 << 20, 32 << 20
	for _, sent := range []int{0, 10, 100 << 10, 300 << 10, 3 << 20} {
		t.Run(strconv.Itoa(sent)+" bytes sent", func(t *testing.T) {
			body := bytes.Repeat([]byte("x"), sent)
			var got []byte
			var err error
			n := allocated(func() {
				r := io.MultiReader(bytes.NewReader(body), iotest.ErrReader(io.ErrUnexpectedEOF))
				got, err = readCapped(&http.Response{Body: io.NopCloser(r), ContentLength: declared}, limit)
			})
			require.ErrorIs(t, err, io.ErrUnexpectedEOF)
			require.Len(t, got, sent)
			t.Logf("allocated %d bytes", n)
			bound := uint64(256<<10 + 10*sent + 64<<10)
			assert.LessOrEqual(t, n, bound, "bytes allocated for %d bytes received", sent)
			releaseBody(got)
		})
	}
}

// TestUnknownLengthNearTheCapAllocation: a body of unknown length right at
// the cap, as a gzip body is once the transport has decompressed it, is
// read with at most about twice the cap allocated (the buffers it grows
// through), never a buffer past the cap.
func TestUnknownLengthNearTheCapAllocation(t *testing.T) {
	skipIfRacing(t)
	t.Run("readCapped", func(t *testing.T) {
		const limit = 4 << 20
		for name, size := range map[string]int{"at the cap": limit, "one byte under": limit - 1, "one byte over": limit + 1} {
			t.Run(name, func(t *testing.T) {
				body := bytes.Repeat([]byte("x"), size)
				var got []byte
				var err error
				n := allocated(func() {
					got, err = readCapped(&http.Response{Body: io.NopCloser(bytes.NewReader(body)), ContentLength: -1}, limit)
				})
				if size > limit {
					require.ErrorIs(t, err, ErrResponseTooLarge)
				} else {
					require.NoError(t, err)
				}
				assert.Len(t, got, min(size, limit))
				assert.LessOrEqual(t, cap(got), limit, "a buffer past the cap")
				t.Logf("allocated %d bytes", n)
				assert.LessOrEqual(t, n, uint64(2*limit+64<<10), "bytes allocated")
				releaseBody(got)
			})
		}
	})
	t.Run("gzip call at the default cap", func(t *testing.T) {
		const size = defaultMaxBodyBytes
		var zipped bytes.Buffer
		zw := gzip.NewWriter(&zipped)
		_, err := zw.Write(emptyListBody(size))
		require.NoError(t, err)
		require.NoError(t, zw.Close())
		s := newFaultServer(t, always(func(w http.ResponseWriter, _ *http.Request, _ int) {
			w.Header().Set("Content-Type", "application/json")
			w.Header().Set("Content-Encoding", "gzip")
			_, _ = w.Write(zipped.Bytes())
		}), false)
		c := newFaultClient(t, s.URL)
		var out *ListPhoneImagesOutput
		n := allocated(func() { out, err = c.ListPhoneImages(context.Background()) })
		require.NoError(t, err)
		assert.Empty(t, out.Images)
		t.Logf("allocated %d bytes", n)
		assert.LessOrEqual(t, n, uint64(2*size+1<<20), "bytes allocated for a %d-byte body", size)
	})
}

// TestLargeBodyBufferIsPooled: a body between 16 MiB and the default cap
// is read into a pooled buffer, so the next one of its size allocates
// (almost) nothing.
//
// A buffer given back waits in the pool of the P (the scheduler's
// processor) it was given back on, where a goroutine that has moved to
// another P does not always find it: each check tries a few times, and a
// buffer that is not pooled fails every try.
func TestLargeBodyBufferIsPooled(t *testing.T) {
	skipIfRacing(t)
	const size, tries = 20 << 20, 5
	t.Run("getBuf", func(t *testing.T) {
		b := getBuf(size)
		require.GreaterOrEqual(t, cap(b), size)
		reused := false
		for range tries {
			releaseBody(b)
			// b stays reachable, so a new buffer cannot take its place.
			again := getBuf(size)
			if reused = &again[:1][0] == &b[:1][0]; reused {
				break
			}
			b = again
		}
		assert.True(t, reused, "a released buffer came back from its pool")
	})
	t.Run("readCapped", func(t *testing.T) {
		body := bytes.Repeat([]byte("x"), size)
		read := func() {
			got, err := readCapped(&http.Response{Body: io.NopCloser(bytes.NewReader(body)), ContentLength: size}, defaultMaxBodyBytes)
			require.NoError(t, err)
			require.Len(t, got, size)
			releaseBody(got)
		}
		read()
		n := leastAllocated(tries, read)
		t.Logf("allocated %d bytes", n)
		assert.Less(t, n, uint64(1<<20), "bytes allocated by a read after the first")
	})
	t.Run("call", func(t *testing.T) {
		body := emptyListBody(size)
		s := newFaultServer(t, always(func(w http.ResponseWriter, _ *http.Request, _ int) {
			w.Header().Set("Content-Type", "application/json")
			w.Header().Set("Content-Length", strconv.Itoa(len(body)))
			_, _ = w.Write(body)
		}), false)
		c := newFaultClient(t, s.URL)
		call := func() {
			out, err := c.ListPhoneImages(context.Background())
			require.NoError(t, err)
			require.Empty(t, out.Images)
		}
		call()
		n := leastAllocated(tries, call)
		t.Logf("allocated %d bytes", n)
		assert.Less(t, n, uint64(1<<20), "bytes allocated by a call after the first")
	})
}

// leastAllocated returns the fewest bytes of heap one of tries runs of f
// allocates, the pools left as they are.
func leastAllocated(tries int, f func()) uint64 {
	least := uint64(math.MaxUint64)
	for range tries {
		var before, after runtime.MemStats
		runtime.ReadMemStats(&before)
		f()
		runtime.ReadMemStats(&after)
		least = min(least, after.TotalAlloc-before.TotalAlloc)
	}
	return least
}

// TestReadCappedNeverNeedsMoreThanTheLimit: a body of exactly the limit
// fits a buffer of the limit's size (over it is found with a read into a
// small buffer of its own), so a limit that is a pool class is read in a
// buffer of that class.
func TestReadCappedNeverNeedsMoreThanTheLimit(t *testing.T) {
	for _, limit := range []int64{512, 4 << 10, 64 << 10, 32 << 20} {
		for name, contentLength := range map[string]int64{"Content-Length": limit, "unknown length": -1} {
			t.Run(strconv.FormatInt(limit, 10)+", "+name, func(t *testing.T) {
				body := bytes.Repeat([]byte("x"), int(limit))
				got, err := readCapped(&http.Response{Body: io.NopCloser(bytes.NewReader(body)), ContentLength: contentLength}, limit)
				require.NoError(t, err)
				assert.Len(t, got, int(limit))
				assert.Equal(t, int(limit), cap(got), "buffer size")
				releaseBody(got)
			})
		}
	}
}

// firstReads records the size of the buffer each Read of r is given.
type firstReads struct {
	r     io.Reader
	sizes []int
}

func (f *firstReads) Read(p []byte) (int, error) {
	f.sizes = append(f.sizes, len(p))
	return f.r.Read(p)
}

// TestReadCappedTakesAFreeBufferOfTheDeclaredSize: a body declared longer
// than the length hint is read straight into a pooled buffer of its whole
// size when one is free (as between calls of the same size), so an honest
// large body is not copied from a smaller first buffer.
func TestReadCappedTakesAFreeBufferOfTheDeclaredSize(t *testing.T) {
	skipIfRacing(t)
	body := bytes.Repeat([]byte("x"), 1_690_000)
	var reads *firstReads
	for range 5 { // the pool of another P may hold the buffer (see TestLargeBodyBufferIsPooled)
		releaseBody(getBuf(int64(len(body))))
		reads = &firstReads{r: bytes.NewReader(body)}
		got, err := readCapped(&http.Response{Body: io.NopCloser(reads), ContentLength: int64(len(body))}, defaultMaxBodyBytes)
		require.NoError(t, err)
		require.Equal(t, body, got)
		releaseBody(got)
		if reads.sizes[0] >= len(body) {
			break
		}
	}
	assert.GreaterOrEqual(t, reads.sizes[0], len(body), "the first read's buffer")
}
