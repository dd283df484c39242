package cph

import (
	"crypto/tls"
	"net"
	"net/http"
	"time"
)

// newHTTPClient returns the library's own HTTP client: TLS 1.2 or newer with
// verification on, bounded dial, handshake and response-header waits, at
// most 1 MiB of response headers, pooled keep-alive connections (up to 128
// idle per host, 256 in all, each closed after 90 s unused), and no
// redirects followed (a signed request and its token must not travel to
// another host; a 3xx comes back as an *APIError). It never shares state
// with http.DefaultClient. Its timeouts bound each attempt; the caller's
// context bounds the whole call.
//
// The pool is sized for a service sharing one Client between many
// goroutines. Over HTTP/1.1 every call in flight holds a connection of its
// own, and one that comes back to a full pool is closed, so a pool smaller
// than the calls in flight makes the client dial, and the server accept, a
// connection for every call it could not keep one for. With 16 idle
// connections per host, rounds of 64 calls at once opened 48 new ones per
// round on loopback (TestSharedClientKeepsItsConnections; see also
// BenchmarkListPhoneImagesParallel); with 64 or more, 64 in all. The limits
// cost nothing below them: the pool holds only the connections the busiest
// moment opened, hands out the most recently used first, and closes each
// one left idle for 90 s (http.DefaultTransport's timeout). 128 per host is
// twice the 64 goroutines measured; the price is that after a burst of 128
// calls, 128 connections (a file descriptor, two goroutines and 8 KiB of
// buffers each) stay open until they time out. The total leaves room for a
// second host of the same size: project-ID discovery asks IAM through this
// client too.
func newHTTPClient() *http.Client {
	dialer := &net.Dialer{Timeout: 10 * time.Second, KeepAlive: 30 * time.Second}
	tr := &http.Transport{
		Proxy:                  http.ProxyFromEnvironment,
		DialContext:            dialer.DialContext,
		TLSClientConfig:        &tls.Config{MinVersion: tls.VersionTLS12},
		TLSHandshakeTimeout:    10 * time.Second,
		ResponseHeaderTimeout:  30 * time.Second,
		MaxResponseHeaderBytes: 1 << 20,
		ExpectContinueTimeout:  time.Second,
		ForceAttemptHTTP2:      true,
		MaxIdleConns:           256,
		MaxIdleConnsPerHost:    128,
		IdleConnTimeout:        90 * time.Second,
	}
	return &http.Client{
		Transport:     tr,
		CheckRedirect: refuseRedirect,
	}
}
