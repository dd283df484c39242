package cph

import (
	"crypto/tls"
	"net"
	"net/http"
	"time"
)

// newHTTPClient returns the library's own HTTP client: TLS 1.2 or newer with
// verification on, bounded dial, handshake and response-header waits, at
// most 1 MiB of response headers, pooled keep-alive connections, and no
// redirects followed (a signed request and its token must not travel to
// another host; a 3xx comes back as an *APIError). It never shares state
// with http.DefaultClient. Its timeouts bound each attempt; the caller's
// context bounds the whole call.
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
		MaxIdleConns:           100,
		MaxIdleConnsPerHost:    16,
		IdleConnTimeout:        90 * time.Second,
	}
	return &http.Client{
		Transport:     tr,
		CheckRedirect: refuseRedirect,
	}
}
