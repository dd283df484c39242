package cph

import (
	"bytes"
	"context"
	"errors"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"runtime"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"testing/iotest"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/cph-go/cph/internal/benchdata"
	"github.com/cph-go/cph/internal/bufpool"
)

// TestReadCappedTooLarge: past the limit, the client's reader returns the
// limit's bytes and an error wrapping ErrResponseTooLarge that names the
// limit; other errors pass as they are.
func TestReadCappedTooLarge(t *testing.T) {
	body := bytes.Repeat([]byte("x"), 5000)
	for name, contentLength := range map[string]int64{"Content-Length": 5000, "unknown length": -1} {
		t.Run(name, func(t *testing.T) {
			got, err := readCapped(&http.Response{Body: io.NopCloser(bytes.NewReader(body)), ContentLength: contentLength}, 4096)
			require.ErrorIs(t, err, ErrResponseTooLarge)
			assert.Equal(t, "response too large: body exceeds 4096 bytes", err.Error())
			assert.Len(t, got, 4096)
			bufpool.Release(got)
		})
	}
	t.Run("a read error", func(t *testing.T) {
		boom := errors.New("connection reset")
		r := io.MultiReader(strings.NewReader("partial"), iotest.ErrReader(boom))
		got, err := readCapped(&http.Response{Body: io.NopCloser(r), ContentLength: 100}, 1<<20)
		assert.Equal(t, boom, err)
		assert.Equal(t, "partial", string(got))
	})
}

// TestDefaultCapIsPooled: every body the default cap lets through has a
// pooled buffer.
func TestDefaultCapIsPooled(t *testing.T) {
	assert.Equal(t, int64(bufpool.MaxPooled), int64(defaultMaxBodyBytes))
}

// countingServer serves handler and counts the connections clients open.
func countingServer(t testing.TB, handler http.HandlerFunc) (*httptest.Server, *atomic.Int32) {
	t.Helper()
	var conns atomic.Int32
	srv := httptest.NewUnstartedServer(handler)
	srv.Config.ConnState = func(_ net.Conn, s http.ConnState) {
		if s == http.StateNew {
			conns.Add(1)
		}
	}
	srv.Start()
	t.Cleanup(srv.Close)
	return srv, &conns
}

func TestSequentialCallsReuseOneConnection(t *testing.T) {
	sample := fixture(t, "list_phone_images.json")
	large := benchdata.Large()
	tests := map[string]struct {
		status  int
		body    []byte
		chunked bool
		images  int
	}{
		"documented sample":          {status: http.StatusOK, body: sample, images: 3},
		"10,000 images":              {status: http.StatusOK, body: large, images: benchImages},
		"no Content-Length":          {status: http.StatusOK, body: large, chunked: true, images: benchImages},
		"error answers":              {status: http.StatusNotFound, body: []byte(`{"error_code":"CPS.0005","error_msg":"not found"}`)},
		"error answer, unknown size": {status: http.StatusBadRequest, body: []byte(`{"error":{"code":"APIGW.0101","message":"bad"}}`), chunked: true},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			srv, conns := countingServer(t, func(w http.ResponseWriter, _ *http.Request) {
				w.Header().Set("Content-Type", "application/json")
				if !tc.chunked {
					w.Header().Set("Content-Length", strconv.Itoa(len(tc.body)))
				}
				w.WriteHeader(tc.status)
				if tc.chunked {
					// Two writes with a flush between: chunked encoding.
					_, _ = w.Write(tc.body[:len(tc.body)/2])
					w.(http.Flusher).Flush()
					_, _ = w.Write(tc.body[len(tc.body)/2:])
					return
				}
				_, _ = w.Write(tc.body)
			})
			c, err := NewClient(WithEndpoint(srv.URL), WithProjectID(testProjectID), WithCredentials(testCreds))
			require.NoError(t, err)
			call := func() {
				out, err := c.ListPhoneImages(context.Background())
				if tc.status != http.StatusOK {
					var apiErr *APIError
					require.ErrorAs(t, err, &apiErr)
					assert.Equal(t, tc.status, apiErr.StatusCode)
					return
				}
				require.NoError(t, err)
				assert.Len(t, out.Images, tc.images)
			}
			call()
			goroutines := runtime.NumGoroutine()
			for range 10 {
				call()
			}
			assert.Equal(t, int32(1), conns.Load(), "sequential calls opened more than one connection")
			// Goroutines of the server and transport come and go; one left
			// behind per call would stay.
			// (Polled here: assert.Eventually runs goroutines of its own.)
			for deadline := time.Now().Add(2 * time.Second); runtime.NumGoroutine() > goroutines && time.Now().Before(deadline); {
				time.Sleep(5 * time.Millisecond)
			}
			assert.LessOrEqual(t, runtime.NumGoroutine(), goroutines, "calls left goroutines behind")
		})
	}
}

// TestPooledBodyNotAliased checks that an output stays intact when later
// calls read other bodies into the buffer its body was read into.
func TestPooledBodyNotAliased(t *testing.T) {
	bodies := [][]byte{benchdata.Body(50), bytes.ReplaceAll(benchdata.Body(50), []byte("0"), []byte("1"))}
	require.Equal(t, len(bodies[0]), len(bodies[1]), "same size, so the same pool class")
	var next atomic.Int32
	srv, _ := countingServer(t, func(w http.ResponseWriter, _ *http.Request) {
		b := bodies[next.Add(1)%2]
		w.Header().Set("Content-Length", strconv.Itoa(len(b)))
		_, _ = w.Write(b)
	})
	c, err := NewClient(WithEndpoint(srv.URL), WithProjectID(testProjectID), WithCredentials(testCreds))
	require.NoError(t, err)
	first, err := c.ListPhoneImages(context.Background())
	require.NoError(t, err)
	want, err := decodeListPhoneImagesStd(bodies[1])
	require.NoError(t, err)
	require.Equal(t, want, first)
	for range 5 {
		_, err := c.ListPhoneImages(context.Background())
		require.NoError(t, err)
	}
	assert.Equal(t, want, first)
}
