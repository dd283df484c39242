package cph

import (
	"context"
	"crypto/tls"
	"errors"
	"io"
	"log/slog"
	"net/http"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/cph-go/cph/internal/fakegw"
)

// TestFaultMatrix sends one call through each fault a cloud API has and
// checks what the client made of it, and with exactly how many requests.
func TestFaultMatrix(t *testing.T) {
	const throttled = `{"error_code":"APIGW.0308","error_msg":"The throttling threshold has been reached","request_id":"rt"}`
	html502 := "<html><head><title>502 Bad Gateway</title></head><body><center><h1>502 Bad Gateway</h1></center><hr><center>nginx</center></body></html>"
	tests := map[string]struct {
		handler      faultHandler
		opts         []Option
		hc           func() *http.Client // the client's HTTP client, if not the library's
		wantRequests int
		wantStatus   int   // the *APIError's status; 0 for success or a transport error
		wantIs       error // errors.Is target of the error, for a transport error
		wantMsg      string
	}{
		// Retried: the call succeeds once the fault passes.
		"429 twice then ok":               {handler: failFirst(2, status(429, throttled)), wantRequests: 3},
		"500 once then ok":                {handler: failFirst(1, status(500, `{"error_code":"CPS.9999","error_msg":"internal"}`)), wantRequests: 2},
		"502 HTML once then ok":           {handler: failFirst(1, status(502, html502, "Content-Type", "text/html")), wantRequests: 2},
		"503 once then ok":                {handler: failFirst(1, status(503, "")), wantRequests: 2},
		"504 once then ok":                {handler: failFirst(1, status(504, "gateway timeout")), wantRequests: 2},
		"APIG.0308 on a 400 once then ok": {handler: failFirst(1, status(400, `{"error_code":"APIG.0308","error_msg":"throttled"}`)), wantRequests: 2},
		"Retry-After 0 then ok":           {handler: failFirst(1, status(429, throttled, "Retry-After", "0")), wantRequests: 2},
		"connection reset once then ok":   {handler: failFirst(1, resetConn), wantRequests: 2},
		"closed before answering then ok": {handler: failFirst(1, closeConn), wantRequests: 2},
		"headers cut off then ok":         {handler: failFirst(1, cutHeaders), wantRequests: 2},
		"body cut mid-read then ok":       {handler: failFirst(1, cutBody), wantRequests: 2},
		"attempt timeout then ok": {
			handler: failFirst(1, hang), wantRequests: 2,
			hc: func() *http.Client {
				return &http.Client{Timeout: 100 * time.Millisecond, Transport: &http.Transport{}}
			},
		},
		"response header timeout of the library's client then ok": {
			handler: failFirst(1, hang), wantRequests: 2,
			hc: func() *http.Client {
				hc := newHTTPClient()
				hc.Transport.(*http.Transport).ResponseHeaderTimeout = 100 * time.Millisecond
				return hc
			},
		},
		"retry-after 0 on 503 twice then ok": {handler: failFirst(2, status(503, "", "Retry-After", "0")), wantRequests: 3},

		// Retried until the attempts run out.
		"503 always":             {handler: always(status(503, "")), wantRequests: 3, wantStatus: 503},
		"502 HTML always":        {handler: always(status(502, html502, "Content-Type", "text/html")), wantRequests: 3, wantStatus: 502, wantMsg: "502 Bad Gateway nginx"},
		"APIGW.0308 always":      {handler: always(status(429, throttled)), wantRequests: 3, wantStatus: 429, wantMsg: "APIGW.0308"},
		"503 always, 5 attempts": {handler: always(status(503, "")), opts: []Option{WithMaxAttempts(5)}, wantRequests: 5, wantStatus: 503},
		"connection reset always": {
			handler: always(resetConn), wantRequests: 3, wantMsg: "after 3 attempts",
		},
		"body cut always": {
			handler: always(cutBody), wantRequests: 3, wantIs: io.ErrUnexpectedEOF, wantMsg: "after 3 attempts",
		},

		// Not retried.
		"max attempts 1 turns retries off": {handler: always(status(503, "")), opts: []Option{WithMaxAttempts(1)}, wantRequests: 1, wantStatus: 503},
		"400":                              {handler: always(status(400, `{"error_code":"CPS.0005","error_msg":"bad"}`)), wantRequests: 1, wantStatus: 400},
		"404":                              {handler: always(status(404, `{"error":{"code":"CPS.0404","message":"no"}}`)), wantRequests: 1, wantStatus: 404},
		"501":                              {handler: always(status(501, "")), wantRequests: 1, wantStatus: 501},
		"401 bad signature": {
			handler:      always(status(401, `{"error_code":"APIGW.0301","error_msg":"Incorrect IAM authentication information: verify aksk signature fail"}`)),
			wantRequests: 1, wantStatus: 401,
		},
		"403 not authorized": {
			handler:      always(status(403, `{"error_code":"APIGW.0302","error_msg":"The IAM user is not authorized to access the API"}`)),
			wantRequests: 1, wantStatus: 403,
		},
		"Retry-After longer than the max backoff": {
			handler: always(status(429, throttled, "Retry-After", "120")), wantRequests: 1, wantStatus: 429,
		},
		"oversized body streamed": {
			handler: always(streamBody(8 << 20)), opts: []Option{WithMaxResponseBytes(64 << 10)},
			wantRequests: 1, wantIs: ErrResponseTooLarge, wantMsg: "after 1 attempt",
		},
		"oversized Content-Length": {
			handler: always(func(w http.ResponseWriter, _ *http.Request, _ int) { serveOK(w) }), opts: []Option{WithMaxResponseBytes(100)},
			wantRequests: 1, wantIs: ErrResponseTooLarge,
		},
		"oversized error body is capped, not fatal": {
			handler:      always(status(400, strings.Repeat("x", 200<<10))),
			wantRequests: 1, wantStatus: 400,
		},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			s := newFaultServer(t, tc.handler, false)
			opts := tc.opts
			if tc.hc != nil {
				opts = append(opts, WithHTTPClient(tc.hc()))
			}
			c := newFaultClient(t, s.URL, opts...)

			out, err := c.ListPhoneImages(context.Background())

			assert.Equal(t, tc.wantRequests, s.Served(), "requests")
			if tc.wantStatus == 0 && tc.wantIs == nil && tc.wantMsg == "" {
				require.NoError(t, err)
				assert.Len(t, out.Images, 3)
				return
			}
			require.Error(t, err)
			assert.Nil(t, out)
			var apiErr *APIError
			if tc.wantStatus != 0 {
				require.ErrorAs(t, err, &apiErr)
				assert.Equal(t, tc.wantStatus, apiErr.StatusCode)
				assert.Equal(t, tc.wantRequests, apiErr.Attempts, "APIError.Attempts")
			} else {
				assert.False(t, errors.As(err, &apiErr), "a transport error is not an *APIError: %v", err)
			}
			if tc.wantIs != nil {
				assert.ErrorIs(t, err, tc.wantIs)
			}
			if tc.wantMsg != "" {
				assert.Contains(t, err.Error(), tc.wantMsg)
			}
			assert.True(t, strings.HasPrefix(err.Error(), "cph: ListPhoneImages: "), err.Error())
			assertNoSecrets(t, err.Error(), s.Requests())
		})
	}
}

// TestConnectionRefusedRetried dials a closed port: every attempt is
// refused, and the error says how many attempts were made.
func TestConnectionRefusedRetried(t *testing.T) {
	dials, err := listFromClosedPort(t)

	require.Error(t, err)
	assert.ErrorIs(t, err, syscall.ECONNREFUSED)
	assert.Equal(t, 3, dials, "dials")
}

// listFromClosedPort calls ListPhoneImages on a loopback port where
// nothing listens, and returns how many times the client dialed and the
// error.
func listFromClosedPort(t *testing.T) (int, error) {
	t.Helper()
	c, dials := newClosedPortClient(t)
	_, err := c.ListPhoneImages(context.Background())
	return dials(), err
}

// TestRedirectNotFollowed checks that a 3xx comes back as an *APIError and
// that the signed request never reaches the Location host.
func TestRedirectNotFollowed(t *testing.T) {
	target := newFaultServer(t, always(func(w http.ResponseWriter, _ *http.Request, _ int) { serveOK(w) }), false)
	for name, code := range map[string]int{"301": 301, "302": 302, "307": 307, "308": 308} {
		t.Run(name, func(t *testing.T) {
			s := newFaultServer(t, always(func(w http.ResponseWriter, r *http.Request, _ int) {
				http.Redirect(w, r, target.URL+r.URL.Path, code)
			}), false)
			c := newFaultClient(t, s.URL)

			_, err := c.ListPhoneImages(context.Background())

			var apiErr *APIError
			require.ErrorAs(t, err, &apiErr)
			assert.Equal(t, code, apiErr.StatusCode)
			assert.Equal(t, 1, apiErr.Attempts)
			assert.Equal(t, 1, s.Served(), "requests to the redirecting server")
			assert.Equal(t, 0, target.Served(), "requests to the Location host")
		})
	}
}

// TestUntrustedCertificateNotRetried talks to a TLS server whose
// certificate the library's client does not trust: one handshake, no
// retry, no request served.
func TestUntrustedCertificateNotRetried(t *testing.T) {
	s := newFaultServer(t, always(func(w http.ResponseWriter, _ *http.Request, _ int) { serveOK(w) }), true)
	c := newFaultClient(t, s.URL)

	_, err := c.ListPhoneImages(context.Background())

	require.Error(t, err)
	var verifyErr *tls.CertificateVerificationError
	assert.ErrorAs(t, err, &verifyErr)
	assert.Contains(t, err.Error(), "after 1 attempt:")
	assert.Equal(t, 1, s.Conns(), "connections (TLS handshakes)")
	assert.Equal(t, 0, s.Served(), "requests served")
}

// TestTrustedTLSServer checks the other side: the same server, trusted
// through WithHTTPClient, answers.
func TestTrustedTLSServer(t *testing.T) {
	s := newFaultServer(t, failFirst(1, status(503, "")), true)
	c := newFaultClient(t, s.URL, WithHTTPClient(s.Client()))

	out, err := c.ListPhoneImages(context.Background())

	require.NoError(t, err)
	assert.Len(t, out.Images, 3)
	assert.Equal(t, 2, s.Served())
}

// TestRetryAfterPastDeadline: when the service's Retry-After would pass the
// context's deadline, the call returns at once, with an error that is both
// the last *APIError and context.DeadlineExceeded, and says why.
func TestRetryAfterPastDeadline(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()

	s, err := listPastRetryAfter(t, ctx)

	var apiErr *APIError
	require.ErrorAs(t, err, &apiErr)
	assert.True(t, IsThrottled(err))
	assert.Equal(t, 1, apiErr.Attempts)
	assert.Equal(t, time.Hour, apiErr.RetryAfter)
	assert.ErrorIs(t, err, context.DeadlineExceeded)
	assert.NoError(t, ctx.Err(), "returned before the deadline")
	assert.Equal(t, 1, s.Served())
}

// listPastRetryAfter calls ListPhoneImages with ctx on a gateway that
// throttles every request with a Retry-After of an hour, and returns the
// gateway and the error.
func listPastRetryAfter(t *testing.T, ctx context.Context) (*fakegw.Server, error) {
	t.Helper()
	s := newFaultServer(t, always(status(429, `{"error_code":"APIGW.0308","error_msg":"throttled"}`, "Retry-After", "3600")), false)
	c := newFaultClient(t, s.URL, WithBackoff(time.Millisecond, 2*time.Hour), WithMaxRetryAfter(2*time.Hour))
	_, err := c.ListPhoneImages(ctx)
	return s, err
}

// TestBackoffPastDeadline: the same for the client's own backoff, and for
// an error without an answer.
func TestBackoffPastDeadline(t *testing.T) {
	for name, h := range map[string]faultHandler{"503": status(503, ""), "reset": resetConn} {
		t.Run(name, func(t *testing.T) {
			s := newFaultServer(t, always(h), false)
			c := newFaultClient(t, s.URL, WithBackoff(time.Hour, time.Hour))
			c.setJitter(func(n int64) int64 { return n - 1 })
			ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
			defer cancel()

			_, err := c.ListPhoneImages(ctx)

			assert.ErrorIs(t, err, context.DeadlineExceeded)
			assert.Contains(t, err.Error(), "would come after the context's deadline")
			if name == "503" {
				var apiErr *APIError
				require.ErrorAs(t, err, &apiErr)
				assert.Equal(t, 503, apiErr.StatusCode)
			} else {
				assert.True(t, errors.Is(err, syscall.ECONNRESET), err.Error())
			}
			assert.NoError(t, ctx.Err(), "returned before the deadline")
			assert.Equal(t, 1, s.Served())
		})
	}
}

// TestCancelDuringBackoff cancels the context while the client waits an
// hour to retry: the call returns at once with an error that is both the
// context's error and the last *APIError.
func TestCancelDuringBackoff(t *testing.T) {
	h, s, err := listCanceledDuringBackoff(t)

	require.Error(t, err)
	assert.ErrorIs(t, err, context.Canceled)
	var apiErr *APIError
	require.ErrorAs(t, err, &apiErr, "the last answer is kept")
	assert.Equal(t, 503, apiErr.StatusCode)
	assert.Equal(t, 1, apiErr.Attempts)
	assert.Len(t, h.at(slog.LevelWarn), 1, "retry warnings")
	assert.Equal(t, 1, s.Served())
}

// listCanceledDuringBackoff calls ListPhoneImages on a gateway that
// answers 503 to every request, with a context canceled just before the
// client waits an hour to retry; it returns the client's log handler,
// the gateway and the error.
func listCanceledDuringBackoff(t *testing.T) (*recordingHandler, *fakegw.Server, error) {
	t.Helper()
	s := newFaultServer(t, always(status(503, "")), false)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	h := &recordingHandler{onWarn: cancel} // cancels just before the client waits
	c := newFaultClient(t, s.URL, WithBackoff(time.Hour, time.Hour), WithLogger(slog.New(h)))
	c.setJitter(func(n int64) int64 { return n - 1 })
	_, err := c.ListPhoneImages(ctx)
	return h, s, err
}

// TestCallerDeadlineNotRetried: the caller's own deadline ends the call; it
// is not a per-attempt timeout to retry.
func TestCallerDeadlineNotRetried(t *testing.T) {
	s := newFaultServer(t, always(hang), false)
	c := newFaultClient(t, s.URL)
	ctx, cancel := context.WithTimeout(context.Background(), 100*time.Millisecond)
	defer cancel()

	_, err := c.ListPhoneImages(ctx)

	require.Error(t, err)
	assert.ErrorIs(t, err, context.DeadlineExceeded)
	assert.Contains(t, err.Error(), "after 1 attempt")
	assert.Equal(t, 1, s.Served())
}

// TestCallerCancelNotRetried: cancellation during a request ends the call.
func TestCallerCancelNotRetried(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	s := newFaultServer(t, always(func(w http.ResponseWriter, r *http.Request, n int) {
		cancel()
		hang(w, r, n)
	}), false)
	c := newFaultClient(t, s.URL)

	_, err := c.ListPhoneImages(ctx)

	require.Error(t, err)
	assert.ErrorIs(t, err, context.Canceled)
	assert.Equal(t, 1, s.Served())
}

// TestBodyDrainedBeforeRetry checks that the rest of an error body past the
// 64 KiB cap is drained, when short, so that the retry reuses the
// connection; a long rest is not read, and the connection is dropped.
func TestBodyDrainedBeforeRetry(t *testing.T) {
	tests := map[string]struct {
		bodySize  int
		wantConns int
	}{
		"short body":                        {bodySize: 1 << 10, wantConns: 1},
		"body 2 KiB past the cap":           {bodySize: 66 << 10, wantConns: 1},
		"body far past the cap is not read": {bodySize: 1 << 20, wantConns: 3},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			s := newFaultServer(t, failFirst(2, status(503, strings.Repeat("x", tc.bodySize))), false)
			c := newFaultClient(t, s.URL)

			_, err := c.ListPhoneImages(context.Background())

			require.NoError(t, err)
			assert.Equal(t, 3, s.Served(), "requests")
			assert.Equal(t, tc.wantConns, s.Conns(), "connections")
		})
	}
}
