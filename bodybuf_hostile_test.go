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
	"strconv"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/cph-go/cph/internal/alloctest"
)

// allocated, leastAllocated and skipIfRacing are alloctest's, named for
// the tests of this package.
var (
	allocated      = alloctest.Allocated
	leastAllocated = alloctest.LeastAllocated
	skipIfRacing   = alloctest.SkipIfRacing
)

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

// TestUnknownLengthNearTheCapAllocation: a gzip body that decompresses to
// the default cap (a body of unknown length, once the transport has
// decompressed it) is read with at most about twice the cap allocated
// (bufpool's TestReadCappedUnknownLengthNearTheLimitAllocation checks the
// reader itself).
func TestUnknownLengthNearTheCapAllocation(t *testing.T) {
	skipIfRacing(t)
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

// TestLargeBodyBufferIsPooled: a call whose body is between 16 MiB and the
// default cap reads it into a pooled buffer, so the next call of its size
// allocates (almost) nothing (bufpool's TestLargeBufferIsPooled checks
// the pool itself).
//
// A buffer given back waits in the pool of the P (the scheduler's
// processor) it was given back on, where a goroutine that has moved to
// another P does not always find it: each check tries a few times, and a
// buffer that is not pooled fails every try.
func TestLargeBodyBufferIsPooled(t *testing.T) {
	skipIfRacing(t)
	const size, tries = 20 << 20, 5
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
