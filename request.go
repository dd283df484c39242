package cph

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/cph-go/cph/internal/bufpool"
	"github.com/cph-go/cph/internal/redact"
)

// The request path, one straight line for every operation: an operation
// builds a call; do resolves where it goes and with which credentials;
// send runs the attempts and the retry policy (retry.go); attempt signs,
// sends and reads one; the operation decodes the answer (answer.go).

// service is the API a call goes to.
type service int

const (
	serviceCPH service = iota // the CPH endpoint, with the project ID in the path and X-Project-Id
	serviceIAM                // IAM, a global service: its own endpoint, no X-Project-Id
)

// call is one API operation to send.
type call struct {
	op      string     // the operation's name, for errors and logs: "ListPhoneImages"
	method  string     // http.MethodGet, ...
	service service    // where it goes
	path    string     // below the endpoint, with {name} placeholders: "{project_id}" and params'
	params  []param    // the path's other placeholders, each validated and escaped
	query   url.Values // may be nil
	body    []byte     // the exact bytes sent, as JSON; nil for none

	// idempotent operations may be resent after they may have reached the
	// service (a 5xx, a timeout, a connection cut after sending); others
	// only when it is certain the service never acted on them.
	idempotent bool

	// iam is, for a serviceIAM call, the credentials' source that
	// discovery read: its credentials sign the call, and it may name the
	// IAM endpoint.
	iam *source
}

// param is a path placeholder {name} and its value.
type param struct{ name, value string }

// do is the one place that sends a request. It resolves where the call
// goes (the endpoint, the project ID) and the credentials, sends it and
// returns its 2xx answer. A non-2xx answer becomes an *APIError; every
// error starts with "cph: <op>:" and wraps its cause.
func (c *Client) do(ctx context.Context, cl call) (*answer, error) {
	if ctx == nil {
		return nil, fmt.Errorf("cph: %s: %w: nil context", cl.op, ErrInvalidParameter)
	}
	if err := ctx.Err(); err != nil {
		return nil, fmt.Errorf("cph: %s: %w", cl.op, err)
	}
	t, err := c.target(ctx, cl)
	if err != nil {
		return nil, fmt.Errorf("cph: %s: %w", cl.op, err)
	}
	u, err := t.url(cl)
	if err != nil {
		return nil, fmt.Errorf("cph: %s: %w", cl.op, err)
	}
	return c.send(ctx, cl, &u, t.projectID, t.creds)
}

// target is where a call goes and what signs it.
type target struct {
	base      *url.URL    // the endpoint
	projectID string      // for {project_id} and X-Project-Id; "" for IAM
	creds     Credentials // what signs it
}

// target resolves where cl goes: CPH with the client's project ID and
// credentials, or IAM with the credentials of the source discovery read.
func (c *Client) target(ctx context.Context, cl call) (target, error) {
	if cl.service == serviceIAM {
		src := source{creds: c.signer().creds}
		if cl.iam != nil {
			src = *cl.iam
		}
		base, err := c.disc.iam.endpoint(c.region, src)
		if err != nil {
			return target{}, err
		}
		return target{base: base, creds: src.creds}, nil
	}
	projectID, err := c.resolveProjectID(ctx)
	if err != nil {
		return target{}, err
	}
	creds, err := c.resolveCredentials(ctx)
	if err != nil {
		return target{}, err
	}
	return target{base: c.endpoint, projectID: projectID, creds: creds}, nil
}

// url returns the URL of cl at t: the endpoint, then cl's path with its
// placeholders filled (each value validated and escaped), then the query.
func (t target) url(cl call) (url.URL, error) {
	path := cl.path
	if t.projectID != "" {
		path = strings.ReplaceAll(path, "{project_id}", t.projectID)
	}
	rawPath := path // project IDs need no escaping
	if len(cl.params) > 0 {
		// One pass over the path for every placeholder, so that a value
		// that spells a placeholder ("{member_id}") stays that text.
		plain := make([]string, 0, 2*len(cl.params))
		escaped := make([]string, 0, 2*len(cl.params))
		for _, p := range cl.params {
			if err := checkPathParam(p); err != nil {
				return url.URL{}, err
			}
			placeholder := "{" + p.name + "}"
			plain = append(plain, placeholder, p.value)
			escaped = append(escaped, placeholder, url.PathEscape(p.value))
		}
		path = strings.NewReplacer(plain...).Replace(path)
		rawPath = strings.NewReplacer(escaped...).Replace(rawPath)
	}
	u := *t.base
	u.Path = t.base.Path + path
	if rawPath != path {
		u.RawPath = t.base.EscapedPath() + rawPath
	}
	u.RawQuery = cl.query.Encode()
	return u, nil
}

// checkPathParam refuses a path value that could leave its segment or name
// nothing: empty, with "/" or "\", ".." or ".", white space or control
// characters; and one that names no ID: longer than maxFilterBytes, or not
// UTF-8. The error wraps ErrInvalidParameter and quotes at most the
// value's first 64 bytes.
func checkPathParam(p param) error {
	v := p.value
	bad := ""
	switch {
	case v == "":
		bad = "is empty"
	case len(v) > maxFilterBytes:
		bad = "is longer than " + strconv.Itoa(maxFilterBytes) + " bytes"
	case !utf8.ValidString(v):
		bad = "is not valid UTF-8"
	case v == "." || strings.Contains(v, ".."):
		bad = "has \".\" or \"..\", which name another path"
	case strings.ContainsAny(v, "/\\"):
		bad = "has a slash"
	case strings.ContainsFunc(v, func(r rune) bool {
		return r <= ' ' || r == 0x7f || r == 0x85 || r == 0xa0 || r == 0x2028 || r == 0x2029
	}):
		bad = "has white space or control characters"
	default:
		return nil
	}
	return fmt.Errorf("%w: %s %q %s", ErrInvalidParameter, p.name, v[:min(len(v), 64)], bad)
}

// answer is a 2xx answer read whole: its body is in a pooled buffer that
// the caller gives back with bufpool.Release once decoded. (An
// *http.Response, still to be read, is a resp; the documents its body
// holds are the wire package's.)
type answer struct {
	status   int
	header   http.Header
	body     []byte
	attempts int       // the attempt that got it
	secrets  [3]string // what its request carried that must not be shown
}

// requestID returns the request ID of the answer: fromBody, the body's
// request_id, else the X-Request-Id header; cleaned, capped at
// maxRequestID bytes and redacted, since a server may put anything there.
func (r *answer) requestID(fromBody string) string {
	if fromBody == "" {
		fromBody = r.header.Get("X-Request-Id")
	}
	return cleanQuote(fromBody, maxRequestID, r.secrets[:])
}

// invalid returns the error of operation op for a body that err says is
// not the documented document: an *InvalidResponseError with the request
// ID (from the body, if decoding read it), the start of the body and err,
// every secret redacted. Call it before releasing the body.
func (r *answer) invalid(op string, err error) error {
	fromBody := ""
	var de *decodeError
	if errors.As(err, &de) {
		fromBody = de.requestID
	}
	return &InvalidResponseError{
		Operation:  op,
		StatusCode: r.status,
		RequestID:  r.requestID(fromBody),
		BodyStart:  bodyStart(r.body, r.secrets[:]),
		Attempts:   r.attempts,
		Err:        redact.Error(err, r.secrets[:]),
	}
}

// result is what one attempt came to.
type result struct {
	answer   *answer       // the 2xx answer; nil with an error
	header   http.Header   // the answer's headers; nil if no answer came
	received time.Time     // the local clock (c.now) when the answer came
	skew     time.Duration // the clock offset the request was signed with
	err      error         // nil for a 2xx answer
	sent     bool          // the request went out (or may have), so a retry may help
	// reached is false when it is certain the request never reached the
	// service: it was never sent, or its connection was never made (a
	// refused or failed dial, DNS, the TLS handshake).
	reached bool
}

// send sends the call to u, retrying what a retry can get past (see
// retryReason) up to the client's maximum attempts, each signed afresh.
// Between attempts it waits the service's Retry-After (up to the client's
// maximum, else it returns at once) or a jittered backoff, and gives up at
// once when that wait would pass ctx's deadline; cancellation while
// waiting returns at once. A 401 "signature expired" whose Date shows the
// local clock is off is retried once with the corrected time. The final
// error carries the number of attempts.
func (c *Client) send(ctx context.Context, cl call, u *url.URL, projectID string, creds Credentials) (*answer, error) {
	skewCorrected := false
	for n := 1; ; n++ {
		r := c.attempt(ctx, cl, u, projectID, creds, n)
		if r.err == nil {
			return r.answer, nil
		}
		if !r.sent {
			return nil, r.err
		}
		final := finalError(cl.op, r.err, n)
		reason := retryReason(cl, r, ctx.Err())
		var wait time.Duration
		if !skewCorrected && c.correctSkew(r) && ctx.Err() == nil {
			skewCorrected = true
			reason = "signature expired: clock skew corrected from the Date header"
		} else if reason != "" && n < c.maxAttempts {
			var tooLong bool
			if wait, tooLong = c.retryWait(n-1, r); tooLong {
				return nil, fmt.Errorf("%w; not retried: the service asks to wait %v (Retry-After), longer than the %v allowed (WithMaxRetryAfter)",
					final, wait, c.maxRetryAfter)
			}
		}
		if reason == "" || n >= c.maxAttempts {
			return nil, final
		}
		if deadline, ok := ctx.Deadline(); ok {
			if left := time.Until(deadline); left < wait {
				return nil, fmt.Errorf("%w; not retried: the next attempt, %v from now, would come after the context's deadline, %v from now: %w",
					final, wait, left.Round(time.Millisecond), context.DeadlineExceeded)
			}
		}
		c.logRetry(ctx, cl.op, n, reason, wait)
		if err := sleepCtx(ctx, wait); err != nil {
			return nil, fmt.Errorf("cph: %s: %w while waiting to retry %s; last error: %w", cl.op, err, attemptsText(n), final)
		}
	}
}

// finalError is the error a call returns after n attempts ending in err:
// an *APIError with its Attempts set, or err prefixed with the operation
// and the number of attempts.
func finalError(op string, err error, n int) error {
	if e, ok := asAPIError(err); ok {
		e.Attempts = n
		return e
	}
	return fmt.Errorf("cph: %s: %s: %w", op, attemptsText(n), err)
}

// attemptsText says "after 1 attempt" or "after 3 attempts".
func attemptsText(n int) string {
	if n == 1 {
		return "after 1 attempt"
	}
	return fmt.Sprintf("after %d attempts", n)
}

// attempt sends attempt n of the call, signed afresh, and reads its answer
// through the size cap. Errors before sending start with "cph: <op>:";
// transport and read errors are returned bare (redacted) for send to
// finish; a non-2xx answer is an *APIError.
func (c *Client) attempt(ctx context.Context, cl call, u *url.URL, projectID string, creds Credentials, n int) result {
	req, secrets, skew, err := c.newRequest(ctx, cl, u, projectID, creds)
	if err != nil {
		return result{err: fmt.Errorf("cph: %s: %w", cl.op, err)}
	}
	start := time.Now()
	resp, err := c.hc.Do(req)
	if err != nil {
		err = c.noteUnknownRegion(redact.Error(err, secrets[:]))
		c.logAttempt(ctx, cl.op, req, n, nil, time.Since(start), err, secrets[:])
		return result{err: err, sent: true, reached: mayHaveReached(err)}
	}
	defer drainAndClose(resp.Body)
	r := result{header: resp.Header, received: c.now(), skew: skew, sent: true, reached: true}
	body, err := c.readBody(ctx, resp)
	switch {
	case err != nil:
		r.err = redact.Error(fmt.Errorf("read response: %w", err), secrets[:])
	case resp.StatusCode < 200 || resp.StatusCode > 299:
		r.err = newAnswerError(cl.op, resp.StatusCode, resp.Header, body, r.received, n, secrets[:])
		bufpool.Release(body)
	default:
		r.answer = &answer{status: resp.StatusCode, header: resp.Header, body: body, attempts: n, secrets: secrets}
	}
	c.logAttempt(ctx, cl.op, req, n, resp, time.Since(start), r.err, secrets[:])
	return r
}

// newRequest builds attempt's request of cl to u, with its headers and a
// fresh signature. It returns the secrets the request carries, which must
// not be shown, and the clock offset it was signed with.
func (c *Client) newRequest(ctx context.Context, cl call, u *url.URL, projectID string, creds Credentials) (*http.Request, [3]string, time.Duration, error) {
	var body io.Reader
	if cl.body != nil {
		body = bytes.NewReader(cl.body)
	}
	req, err := http.NewRequestWithContext(ctx, cl.method, u.String(), body)
	if err != nil {
		return nil, [3]string{}, 0, err
	}
	// The keys are canonical already: set them without Set's work.
	req.Header["User-Agent"] = []string{c.userAgent}
	req.Header["Accept"] = []string{"application/json"}
	if cl.body != nil {
		req.Header["Content-Type"] = []string{contentTypeJSON}
	}
	if cl.service == serviceCPH && projectID != "" { // IAM, a global service, takes none
		req.Header[headerProjectID] = []string{projectID}
	}
	if creds.SecurityToken != "" {
		req.Header[headerSecurityToken] = []string{creds.SecurityToken}
	}
	signingTime, skew := c.signingTime()
	sig, err := sign(req, c.signer().scheme, creds, signingTime, cl.body)
	if err != nil {
		return nil, [3]string{}, 0, err
	}
	return req, [3]string{sig, creds.SecurityToken, creds.SecretKey}, skew, nil
}

// contentTypeJSON is the Content-Type of every request body.
const contentTypeJSON = "application/json"

// readBody reads resp's body through its cap: the client's maximum for a
// 2xx answer, which needs its whole body; 64 KiB for an error answer,
// which is an *APIError with its status whatever became of its body (cut
// off, or over the cap: it is built from what arrived), unless the
// caller's context ended the read. The body is in a pooled buffer; on an
// error it has been given back already.
func (c *Client) readBody(ctx context.Context, resp *http.Response) ([]byte, error) {
	ok := resp.StatusCode >= 200 && resp.StatusCode < 300
	if ok && resp.ContentLength > c.maxBodyBytes {
		return nil, fmt.Errorf("%w: Content-Length %d exceeds %d bytes", ErrResponseTooLarge, resp.ContentLength, c.maxBodyBytes)
	}
	limit := c.maxErrorBytes
	if ok {
		limit = c.maxBodyBytes
	}
	body, err := readCapped(resp, limit)
	if err != nil && (ok || ctx.Err() != nil) {
		bufpool.Release(body)
		return nil, err
	}
	return body, nil
}

// maxDrain is how much of an unread body the client reads before closing
// it, so that the connection can be reused; a longer rest closes the
// connection instead.
const maxDrain = 4 << 10

// drainAndClose reads what is left of body, up to maxDrain bytes, and
// closes it.
func drainAndClose(body io.ReadCloser) {
	buf := bufpool.Get(maxDrain)
	_, _ = io.ReadFull(body, buf[:maxDrain])
	bufpool.Release(buf)
	_ = body.Close()
}
