package cph

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"io"
	"net"
	"net/http"
	"strconv"
	"strings"
	"syscall"
	"time"
)

// retryReason says why the failed attempt r of cl may be retried, or ""
// when it must not be. It is the one retry rule, a function of the
// operation, the attempt's answer or error, and whether the caller's
// context has ended (ctxErr):
//
//   - never when the caller's context is done, the body was over the size
//     cap, the certificate or TLS handshake failed, or the answer is one
//     that a retry cannot change (4xx other than 429 and throttling, 501,
//     3xx); authentication failures neither (the one exception, a clock
//     skew, is correctSkew's);
//   - the gateway's throttling answer (429, APIGW.0308), whatever the
//     operation: the gateway did not pass the request on;
//   - a request that never reached the service (a refused or failed
//     connection, DNS, the TLS handshake), whatever the operation;
//   - a 5xx the service may recover from (500, 502, 503, 504), or a
//     connection cut or timed out after the request may have reached the
//     service, only for an idempotent operation: another may have been
//     acted on already.
func retryReason(cl call, r result, ctxErr error) string {
	if ctxErr != nil || r.err == nil {
		return ""
	}
	if e, ok := asAPIError(r.err); ok {
		switch {
		case IsThrottled(e) && e.StatusCode == http.StatusTooManyRequests:
			return "throttled (status 429)"
		case IsThrottled(e):
			return "throttled (" + e.Code + ")"
		case !cl.idempotent:
			return ""
		case e.StatusCode == http.StatusInternalServerError,
			e.StatusCode == http.StatusBadGateway,
			e.StatusCode == http.StatusServiceUnavailable,
			e.StatusCode == http.StatusGatewayTimeout:
			return "status " + strconv.Itoa(e.StatusCode)
		}
		return ""
	}
	if r.reached && !cl.idempotent {
		return ""
	}
	return transientReason(r.err)
}

// mayHaveReached reports whether a request whose send failed with err may
// have reached the service. Only failures before the connection was made
// are certain not to have: a dial that failed or was refused (DNS
// included), a proxy's connect, and the TLS handshake.
func mayHaveReached(err error) bool {
	var (
		opErr  *net.OpError
		dnsErr *net.DNSError
	)
	switch {
	case errors.As(err, &opErr) && (opErr.Op == "dial" || opErr.Op == "proxyconnect"),
		errors.As(err, &dnsErr),
		errors.Is(err, syscall.ECONNREFUSED),
		isTLSFailure(err):
		return false
	}
	return true
}

// isTLSFailure reports whether err is a failed TLS handshake: a record
// that is not TLS, an alert from the server, or a certificate that does
// not verify. Such a failure comes before any request byte is sent, and
// a retry does not get past it.
func isTLSFailure(err error) bool {
	var (
		recordErr tls.RecordHeaderError
		alertErr  tls.AlertError
		verifyErr *tls.CertificateVerificationError
		unknownCA x509.UnknownAuthorityError
		invalid   x509.CertificateInvalidError
		hostErr   x509.HostnameError
	)
	return errors.As(err, &recordErr) || errors.As(err, &alertErr) || errors.As(err, &verifyErr) ||
		errors.As(err, &unknownCA) || errors.As(err, &invalid) || errors.As(err, &hostErr)
}

// transientReason names the transport fault err is, if it is one a retry
// can get past: a refused or reset connection, a connection closed before
// the whole answer came, or a per-attempt timeout. TLS and certificate
// failures and an oversized body are not.
func transientReason(err error) string {
	var (
		dnsErr *net.DNSError
		netErr net.Error
	)
	switch {
	case errors.Is(err, ErrResponseTooLarge), isTLSFailure(err):
		return ""
	case errors.Is(err, syscall.ECONNREFUSED):
		return "connection refused"
	case errors.Is(err, syscall.ECONNRESET), errors.Is(err, syscall.ECONNABORTED), errors.Is(err, syscall.EPIPE):
		return "connection reset"
	case errors.Is(err, io.ErrUnexpectedEOF):
		return "response cut off"
	case errors.Is(err, io.EOF):
		return "connection closed before the response"
	case errors.As(err, &dnsErr):
		if dnsErr.IsTimeout || dnsErr.IsTemporary {
			return "temporary DNS failure"
		}
		return ""
	case errors.As(err, &netErr) && netErr.Timeout():
		return "attempt timed out"
	}
	return ""
}

// backoff returns the wait before retry i (from 0): a random duration in
// [0, min(max, base·2^i)), from the client's jitter source. A zero base
// never waits, however many retries came before.
func (c *Client) backoff(i int) time.Duration {
	ceiling := c.backoffMax
	// base·2^i is at most max exactly when base <= max>>i; past 62 the
	// shift leaves 0, so that only a zero base stays under max.
	if shift := uint(min(i, 63)); c.backoffBase <= c.backoffMax>>shift {
		ceiling = c.backoffBase << shift
	}
	if ceiling <= 0 {
		return 0
	}
	return time.Duration(c.rand(int64(ceiling)))
}

// retryAfter reads a Retry-After header, in seconds or as an HTTP date
// (relative to now, when the answer came), as a wait of at least 0. A
// number of seconds too large to read is the longest Duration: the
// service asked for a long wait, not for none.
func retryAfter(h http.Header, now time.Time) (time.Duration, bool) {
	v := strings.TrimSpace(h.Get("Retry-After"))
	if v == "" {
		return 0, false
	}
	if isDigits(v) {
		const maxSecs = int64(1<<63-1) / int64(time.Second)
		secs, err := strconv.ParseInt(v, 10, 64)
		if err != nil || secs > maxSecs { // only a range error is possible
			return time.Duration(1<<63 - 1), true
		}
		return time.Duration(secs) * time.Second, true
	}
	t, err := http.ParseTime(v)
	if err != nil {
		return 0, false
	}
	return max(t.Sub(now), 0), true
}

// isDigits reports whether s is one or more ASCII digits.
func isDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return s != ""
}

// retryWait returns how long to wait before retry i (from 0) after the
// failed attempt r: the service's Retry-After if it sent one (counted from
// when the answer came), else the jittered backoff. tooLong is true when
// the service asks for a longer wait than the client's maximum
// (WithMaxRetryAfter).
func (c *Client) retryWait(i int, r result) (wait time.Duration, tooLong bool) {
	if d, has := retryAfter(r.header, r.received); has {
		return d, d > c.maxRetryAfter
	}
	return c.backoff(i), false
}

// sleepCtx waits for d, or until ctx is done, and then returns ctx.Err().
func sleepCtx(ctx context.Context, d time.Duration) error {
	if d <= 0 {
		return ctx.Err()
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}

// minSkewCorrection is the smallest change of the clock offset that is
// worth a retry: the gateway accepts signatures up to 15 minutes off, so a
// correction smaller than this cannot be why it said "expired".
const minSkewCorrection = time.Minute

// isSignatureExpired reports whether an answer says the request's
// signature time is too far from the gateway's clock.
func isSignatureExpired(e *APIError) bool {
	return e.StatusCode == http.StatusUnauthorized &&
		strings.Contains(strings.ToLower(e.Message), "signature expired")
}

// correctSkew learns the offset of the gateway's clock from the Date
// header of r, a 401 "signature expired" answer, and keeps it for every
// later request of the client. It reports whether the offset differs
// enough from the one r was signed with to be worth one retry. Answers
// with an Age header (served from a cache, so their Date is old) and
// answers without a usable Date are ignored.
func (c *Client) correctSkew(r result) bool {
	e, ok := asAPIError(r.err)
	if !ok || r.header == nil || !isSignatureExpired(e) || r.header.Get("Age") != "" {
		return false
	}
	date, err := http.ParseTime(r.header.Get("Date"))
	if err != nil {
		return false
	}
	// Compare with the offset this request was signed with, not the
	// client's current one: a concurrent call may have learned it already.
	offset := date.Sub(r.received)
	if d := offset - r.skew; d > -minSkewCorrection && d < minSkewCorrection {
		return false
	}
	c.skew.Store(int64(offset))
	return true
}

// signingTime returns the time to sign a request with, the local clock
// corrected by the offset learned from the gateway, and that offset.
func (c *Client) signingTime() (time.Time, time.Duration) {
	skew := time.Duration(c.skew.Load())
	return c.now().Add(skew), skew
}
