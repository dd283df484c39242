package fakegw_test

import (
	"bufio"
	"bytes"
	"fmt"
	"io"
	"log"
	"net"
	"net/http"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/cph-go/cph/internal/fakegw"
)

// routedServer serves operation "Get" on GET /v1/{id}/thing, answering the
// id, with Default answering "default".
func routedServer(t *testing.T, cfg fakegw.Config) *fakegw.Server {
	t.Helper()
	cfg.Routes = append(cfg.Routes, fakegw.Route{
		Operation: "Get",
		Pattern:   "GET /v1/{id}/thing",
		Handler: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			_, _ = io.WriteString(w, "thing "+r.PathValue("id"))
		}),
	})
	return newServer(t, cfg)
}

func TestRouting(t *testing.T) {
	s := routedServer(t, fakegw.Config{Default: text("default")})
	tests := map[string]struct {
		method, path string
		want         string
	}{
		"the route, with its path value": {path: "/v1/abc/thing", want: "thing abc"},
		"HEAD of a GET route":            {method: http.MethodHead, path: "/v1/abc/thing", want: ""},
		"another method":                 {method: http.MethodPost, path: "/v1/abc/thing", want: "default"},
		"another path":                   {path: "/v2/abc/thing", want: "default"},
		"a path that is not clean":       {path: "/v1/x/../abc/thing", want: "default"},
		"the root":                       {path: "/", want: "default"},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			a := call{method: tc.method, path: tc.path}.do(t, s)
			assert.Equal(t, http.StatusOK, a.status, "no redirect")
			assert.Equal(t, tc.want, a.body)
		})
	}
}

func TestDefaultNotFound(t *testing.T) {
	s := routedServer(t, fakegw.Config{})
	a := call{path: "/nowhere"}.do(t, s)
	assert.Equal(t, http.StatusNotFound, a.status)
	assert.Equal(t, "application/json", a.header.Get("Content-Type"))
	assert.JSONEq(t, `{"error_code":"APIGW.0101","error_msg":"The API does not exist or has not been published in the environment.","request_id":""}`, a.body)
}

func TestRequestIDAndDate(t *testing.T) {
	at := time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)
	s := routedServer(t, fakegw.Config{
		Now:       func() time.Time { return at },
		RequestID: func(n uint64) string { return "id-" + strconv.FormatUint(n, 10) },
	})
	for i := 1; i <= 2; i++ {
		a := call{path: "/v1/a/thing"}.do(t, s)
		assert.Equal(t, "id-"+strconv.Itoa(i), a.header.Get("X-Request-Id"))
		assert.Equal(t, "Sun, 01 Mar 2026 12:00:00 GMT", a.header.Get("Date"), "the server's clock")
	}
	a := call{path: "/nowhere"}.do(t, s)
	assert.Contains(t, a.body, `"request_id":"id-3"`, "an error document carries the answer's ID")

	t.Run("without RequestID", func(t *testing.T) {
		s := routedServer(t, fakegw.Config{Now: func() time.Time { return at }})
		a := call{path: "/v1/a/thing"}.do(t, s)
		assert.Empty(t, a.header.Values("X-Request-Id"))
		assert.NotEqual(t, "Sun, 01 Mar 2026 12:00:00 GMT", a.header.Get("Date"), "net/http's Date, by the real clock")
	})
}

func TestNumberServedConns(t *testing.T) {
	s := newServer(t, fakegw.Config{Default: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, _ = fmt.Fprint(w, fakegw.Number(r))
	})})
	for i := 1; i <= 3; i++ {
		assert.Equal(t, strconv.Itoa(i), call{path: "/"}.do(t, s).body)
	}
	assert.Equal(t, 3, s.Served())
	assert.Equal(t, 1, s.Conns(), "one kept-alive connection")
	assert.Zero(t, fakegw.Number(httptestRequest(t)), "a request that did not come through a Server")
}

func httptestRequest(t *testing.T) *http.Request {
	r, err := http.NewRequest(http.MethodGet, "http://127.0.0.1/", nil)
	require.NoError(t, err)
	return r
}

func TestRequestsRecorded(t *testing.T) {
	at := time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)
	var handled atomic.Value
	s := newServer(t, fakegw.Config{
		Now: func() time.Time { return at },
		Default: http.HandlerFunc(func(_ http.ResponseWriter, r *http.Request) {
			b, _ := io.ReadAll(r.Body)
			handled.Store(string(b))
		}),
	})
	call{method: http.MethodPost, path: "/a?x=1&x=2", body: `{"k":"v"}`}.do(t, s)
	assert.Equal(t, `{"k":"v"}`, handled.Load(), "the handler reads the body the gateway read")
	call{path: "/b"}.do(t, s)

	got := s.Requests()
	require.Len(t, got, 2)
	assert.Equal(t, http.MethodPost, got[0].Method)
	assert.Equal(t, "/a", got[0].Path)
	assert.Equal(t, []string{"1", "2"}, got[0].Query["x"])
	assert.Equal(t, "9", got[0].Header.Get("Content-Length"))
	assert.Equal(t, `{"k":"v"}`, string(got[0].Body))
	assert.Equal(t, at, got[0].Time)
	assert.Nil(t, got[1].Body, "no body is nil")

	got[0].Query.Set("x", "changed")
	got[0].Header.Set("Content-Length", "changed")
	got[0].Body[0] = 'X'
	again := s.Requests()
	assert.Equal(t, []string{"1", "2"}, again[0].Query["x"], "copies")
	assert.Equal(t, "9", again[0].Header.Get("Content-Length"))
	assert.Equal(t, `{"k":"v"}`, string(again[0].Body))

	s.ResetRequests()
	assert.Empty(t, s.Requests())
	call{path: "/c"}.do(t, s)
	require.Len(t, s.Requests(), 1)
	assert.Equal(t, 3, s.Served(), "the numbering goes on")
}

func TestRequestsBounded(t *testing.T) {
	assert.Equal(t, 10_000, fakegw.DefaultMaxRequests)
	assert.Equal(t, fakegw.DefaultMaxRequests, newServer(t, fakegw.Config{}).MaxRequests())

	s := newServer(t, fakegw.Config{MaxRequests: 2, Default: text("")})
	for i := range 4 {
		call{path: "/r" + strconv.Itoa(i)}.do(t, s)
	}
	var paths []string
	for _, r := range s.Requests() {
		paths = append(paths, r.Path)
	}
	assert.Equal(t, []string{"/r2", "/r3"}, paths, "the newest, in order")
}

// A request whose body does not arrive whole is recorded with what came,
// gets no fault, and is dropped before any handler sees it.
func TestBodyCutShort(t *testing.T) {
	var handled atomic.Bool
	s := newServer(t, fakegw.Config{Default: http.HandlerFunc(func(http.ResponseWriter, *http.Request) { handled.Store(true) })})
	s.InjectFault(1, fakegw.Fault{Status: 503})
	conn, err := net.Dial("tcp", strings.TrimPrefix(s.URL, "http://"))
	require.NoError(t, err)
	_, err = io.WriteString(conn, "POST /cut HTTP/1.1\r\nHost: x\r\nContent-Length: 10\r\n\r\nabcde")
	require.NoError(t, err)
	require.NoError(t, conn.(*net.TCPConn).CloseWrite())
	_, err = http.ReadResponse(bufio.NewReader(conn), nil)
	assert.Error(t, err, "no answer")
	require.NoError(t, conn.Close())

	got := s.Requests()
	require.Len(t, got, 1)
	assert.Equal(t, "/cut", got[0].Path)
	assert.Equal(t, "abcde", string(got[0].Body))
	assert.False(t, handled.Load())
	assert.Equal(t, http.StatusServiceUnavailable, call{path: "/"}.do(t, s).status, "the fault is still pending")
}

func TestTLS(t *testing.T) {
	errs := &syncWriter{w: &bytes.Buffer{}}
	s := newServer(t, fakegw.Config{TLS: true, Default: text("secure"), ErrorLog: log.New(errs, "", 0)})
	require.True(t, strings.HasPrefix(s.URL, "https://"), s.URL)
	assert.Equal(t, "secure", call{path: "/"}.do(t, s).body, "Client trusts the server")

	_, err := call{path: "/"}.try(t, &http.Client{Transport: &http.Transport{}}, s.URL)
	require.Error(t, err, "another client does not")
	assert.Equal(t, 1, s.Served(), "the refused handshake is no request")
	assert.Equal(t, 2, s.Conns())
	require.Eventually(t, func() bool { return strings.Contains(errs.String(), "TLS handshake error") }, 5*time.Second, time.Millisecond,
		"net/http's errors go to ErrorLog")
}
