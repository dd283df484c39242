package cph

import (
	"context"
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

// faultHandler answers request n (from 1) of a fault server.
type faultHandler func(w http.ResponseWriter, r *http.Request, n int)

// newFaultServer starts a fake gateway (internal/fakegw) on loopback,
// plain HTTP or TLS with tlsServer, whose every answer h makes. The
// gateway counts and records the requests (Served, Requests) and counts
// the connections (Conns); it stamps nothing on h's answers.
func newFaultServer(t testing.TB, h faultHandler, tlsServer bool) *fakegw.Server {
	t.Helper()
	s := fakegw.New(fakegw.Config{
		Default:  handleFaults(h),
		TLS:      tlsServer,
		ErrorLog: log.New(io.Discard, "", 0), // TLS handshake failures are expected
	})
	t.Cleanup(s.Close)
	return s
}

// handleFaults is h as an http.Handler of a fakegw server.
func handleFaults(h faultHandler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h(w, r, int(fakegw.Number(r)))
	})
}

// newSignedServer starts a plain HTTP fake gateway (internal/fakegw) on
// loopback whose ListPhoneImages route answers with h only the requests
// signed with creds (and carrying creds' security token, if any) by the
// clock now (nil for time.Now); it refuses the others with 401
// APIGW.0301, and Refusals says why. Other paths get the gateway's 404.
func newSignedServer(t testing.TB, creds Credentials, h http.Handler, now func() time.Time) *fakegw.Server {
	t.Helper()
	s := fakegw.New(fakegw.Config{
		Routes:      []fakegw.Route{{Pattern: "GET " + imagesPath("{project_id}"), Signed: true, Handler: h}},
		Credentials: []fakegw.Credentials{fakegw.Credentials(creds)},
		Now:         now,
	})
	t.Cleanup(s.Close)
	return s
}

// assertNoSecrets checks that text holds none of the credentials' secrets
// nor any signature the requests carried.
func assertNoSecrets(t *testing.T, text string, reqs []fakegw.Request) {
	t.Helper()
	assertNoSecret(t, text)
	for _, r := range reqs {
		auth := r.Header.Get("Authorization")
		_, sig, _ := strings.Cut(auth, "Signature=")
		require.NotEmpty(t, sig, "request carried no signature")
		assert.NotContains(t, text, sig)
		assert.NotContains(t, text, auth)
	}
}

// newFaultClient returns a client of endpoint with fast retries (1 ms to
// 5 ms) and temporary credentials; its idle connections are closed when
// the test ends.
func newFaultClient(t testing.TB, endpoint string, opts ...Option) *Client {
	t.Helper()
	base := []Option{
		WithEndpoint(endpoint),
		WithProjectID(testProjectID),
		WithCredentials(testTempCreds),
		WithBackoff(time.Millisecond, 5*time.Millisecond),
	}
	c, err := NewClient(append(base, opts...)...)
	require.NoError(t, err)
	t.Cleanup(c.hc.CloseIdleConnections)
	return c
}

// newClosedPortClient returns a client (newFaultClient's, with opts) of a
// loopback port where nothing listens, so that every connection is
// refused, and a func that tells how many times the client dialled.
func newClosedPortClient(t testing.TB, opts ...Option) (*Client, func() int) {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	addr := ln.Addr().String()
	require.NoError(t, ln.Close()) // nothing listens there now: refused

	var dials atomic.Int32
	dialer := &net.Dialer{Timeout: time.Second}
	hc := &http.Client{Transport: &http.Transport{
		DialContext: func(ctx context.Context, network, a string) (net.Conn, error) {
			dials.Add(1)
			return dialer.DialContext(ctx, network, a)
		},
	}}
	c := newFaultClient(t, "http://"+addr, append([]Option{WithHTTPClient(hc)}, opts...)...)
	return c, func() int { return int(dials.Load()) }
}

// failFirst runs fault for the first k requests and answers the documented
// sample after that.
func failFirst(k int, fault faultHandler) faultHandler {
	return func(w http.ResponseWriter, r *http.Request, n int) {
		if n <= k {
			fault(w, r, n)
			return
		}
		serveOK(w)
	}
}

// always runs fault for every request.
func always(fault faultHandler) faultHandler { return failFirst(1<<30, fault) }

func serveOK(w http.ResponseWriter) {
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("X-Request-Id", "req-ok")
	_, _ = w.Write(sampleBody)
}

// status answers with code, a body and extra headers (name, value pairs).
func status(code int, body string, headers ...string) faultHandler {
	return func(w http.ResponseWriter, _ *http.Request, n int) {
		for i := 0; i+1 < len(headers); i += 2 {
			w.Header().Set(headers[i], headers[i+1])
		}
		w.Header().Set("X-Request-Id", "req-"+strconv.Itoa(n))
		w.WriteHeader(code)
		_, _ = io.WriteString(w, body)
	}
}

// hijack takes the connection over and hands it to f, then closes it.
func hijack(f func(c *net.TCPConn)) faultHandler {
	return func(w http.ResponseWriter, _ *http.Request, _ int) {
		conn, _, err := w.(http.Hijacker).Hijack()
		if err != nil {
			panic(err)
		}
		tc := conn.(*net.TCPConn)
		f(tc)
		_ = tc.Close()
	}
}

// resetConn answers with a TCP reset.
func resetConn(w http.ResponseWriter, _ *http.Request, _ int) { fakegw.ResetConnection(w) }

// closeConn closes the connection without answering.
var closeConn = hijack(func(*net.TCPConn) {})

// cutHeaders closes the connection before the headers end.
var cutHeaders = hijack(func(c *net.TCPConn) {
	_, _ = io.WriteString(c, "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n")
})

// cutBody declares the sample's length but sends only its first half.
func cutBody(w http.ResponseWriter, _ *http.Request, _ int) {
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Content-Length", strconv.Itoa(len(sampleBody)))
	_, _ = w.Write(sampleBody[:len(sampleBody)/2])
}

// streamBody sends a 200 of size bytes in chunks, without Content-Length,
// until the client goes away.
func streamBody(size int) faultHandler {
	return func(w http.ResponseWriter, _ *http.Request, _ int) {
		w.Header().Set("Content-Type", "application/json")
		chunk := make([]byte, 16<<10)
		for i := range chunk {
			chunk[i] = ' '
		}
		for sent := 0; sent < size; sent += len(chunk) {
			if _, err := w.Write(chunk); err != nil {
				return
			}
			w.(http.Flusher).Flush()
		}
	}
}

// hang answers nothing until the client gives up.
func hang(_ http.ResponseWriter, r *http.Request, _ int) { <-r.Context().Done() }
