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
)

func TestReadCapped(t *testing.T) {
	body := func(n int) []byte { return bytes.Repeat([]byte("0123456789abcdef"), n/16+1)[:n] }
	tests := map[string]struct {
		body          []byte
		contentLength int64 // -1: unknown (chunked)
		limit         int64
		reader        func(io.Reader) io.Reader // wraps the body; nil: as is
		wantLen       int
		wantErr       error
	}{
		"sized":                      {body: body(836), contentLength: 836, limit: 1 << 20, wantLen: 836},
		"empty":                      {body: nil, contentLength: 0, limit: 1 << 20, wantLen: 0},
		"unknown length, small":      {body: body(300), contentLength: -1, limit: 1 << 20, wantLen: 300},
		"unknown length, large":      {body: body(300_000), contentLength: -1, limit: 1 << 20, wantLen: 300_000},
		"length too small":           {body: body(10_000), contentLength: 100, limit: 1 << 20, wantLen: 10_000},
		"one byte at a time":         {body: body(5000), contentLength: 5000, limit: 1 << 20, reader: iotest.OneByteReader, wantLen: 5000},
		"exactly the limit":          {body: body(4096), contentLength: 4096, limit: 4096, wantLen: 4096},
		"exactly the limit, unknown": {body: body(4096), contentLength: -1, limit: 4096, wantLen: 4096},
		"over the limit":             {body: body(4097), contentLength: 4097, limit: 4096, wantLen: 4096, wantErr: ErrResponseTooLarge},
		"over the limit, unknown":    {body: body(100_000), contentLength: -1, limit: 4096, wantLen: 4096, wantErr: ErrResponseTooLarge},
		"far over a small limit":     {body: body(100_000), contentLength: 100_000, limit: 10, wantLen: 10, wantErr: ErrResponseTooLarge},
		"larger than the pools":      {body: body(17 << 20), contentLength: 17 << 20, limit: 32 << 20, wantLen: 17 << 20},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			var r io.Reader = bytes.NewReader(tc.body)
			if tc.reader != nil {
				r = tc.reader(r)
			}
			resp := &http.Response{Body: io.NopCloser(r), ContentLength: tc.contentLength}
			got, err := readCapped(resp, tc.limit)
			if tc.wantErr != nil {
				require.ErrorIs(t, err, tc.wantErr)
				assert.Contains(t, err.Error(), "body exceeds "+strconv.FormatInt(tc.limit, 10)+" bytes")
			} else {
				require.NoError(t, err)
			}
			require.Len(t, got, tc.wantLen)
			assert.True(t, bytes.Equal(tc.body[:tc.wantLen], got), "body differs")
			releaseBody(got)
		})
	}
}

func TestReadCappedReadError(t *testing.T) {
	boom := errors.New("connection reset")
	resp := &http.Response{
		Body:          io.NopCloser(io.MultiReader(strings.NewReader("partial"), iotest.ErrReader(boom))),
		ContentLength: 100,
	}
	got, err := readCapped(resp, 1<<20)
	require.ErrorIs(t, err, boom)
	assert.NotErrorIs(t, err, ErrResponseTooLarge)
	assert.Equal(t, "partial", string(got))
}

func TestBodyBuffersArePooledBySize(t *testing.T) {
	tests := map[string]struct {
		n       int64
		wantCap int
	}{
		"tiny":            {n: 1, wantCap: 512},
		"smallest class":  {n: 512, wantCap: 512},
		"next class":      {n: 513, wantCap: 1024},
		"sample":          {n: 837, wantCap: 1024},
		"large list":      {n: 1_600_001, wantCap: 2 << 20},
		"16 MiB":          {n: 16 << 20, wantCap: 16 << 20},
		"over 16 MiB":     {n: 16<<20 + 1, wantCap: 32 << 20},
		"largest class":   {n: 32 << 20, wantCap: 32 << 20},
		"past the pools":  {n: 32<<20 + 1, wantCap: 32<<20 + 1},
		"exactly 64 KiB":  {n: 64 << 10, wantCap: 64 << 10},
		"just over 64KiB": {n: 64<<10 + 1, wantCap: 128 << 10},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			b := getBuf(tc.n)
			assert.Empty(t, b)
			assert.Equal(t, tc.wantCap, cap(b))
			releaseBody(append(b, 'x'))
			again := getBuf(tc.n)
			assert.Empty(t, again, "a released buffer comes back empty")
			assert.GreaterOrEqual(t, int64(cap(again)), tc.n)
		})
	}
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
