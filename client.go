// Package cph is a client for the Huawei Cloud Cloud Phone Host (CPH) API.
//
// It lists the cloud phone images a project can use
// (GET /v1/{project_id}/cloud-phone/phone-images), signing every request
// with the account's AK/SK (SDK-HMAC-SHA256, computed by the official core
// signer). Calls take a context.Context, models are plain values, and
// failures are typed: *APIError for answers of the service, sentinel errors
// for configuration, reachable with errors.As and errors.Is.
//
//	client, err := cph.NewClient(
//		cph.WithRegion("cn-north-4"),
//		cph.WithProjectID(projectID),
//		cph.WithCredentials(cph.Credentials{AccessKey: ak, SecretKey: sk}),
//	)
//	if err != nil { ... }
//	out, err := client.ListPhoneImages(ctx, cph.WithImageType(cph.ImageTypePublic))
package cph

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync/atomic"
	"time"
)

// Option configures a Client. Options validate what they are given, and
// NewClient reports every problem they find, joined with what is missing;
// a nil Option is ignored.
type Option func(*config) error

// config is what the options set; NewClient turns it into a Client.
type config struct {
	region     string
	endpoint   string
	projectID  string
	creds      Credentials
	provider   CredentialsProvider
	iam        string // WithIAMEndpoint
	signing    SigningAlgorithm
	httpClient *http.Client
	userAgent  string
	logger     *slog.Logger

	reliability reliability // options_reliability.go

	// Set by an option that refused its value, so that NewClient does not
	// also report that setting as missing.
	endpointRefused, projectIDRefused bool
}

// WithRegion sets the region, such as "cn-north-4". The endpoint is then
// https://cph.{region}.myhuaweicloud.com unless WithEndpoint overrides it.
func WithRegion(region string) Option {
	return func(c *config) error {
		if region != "" && !isRegionID(region) {
			c.endpointRefused = true
			return fmt.Errorf("%w: region %q is not a region ID such as \"cn-north-4\"", ErrInvalidEndpoint, region)
		}
		c.region = region
		return nil
	}
}

// WithEndpoint sets the endpoint, an absolute http(s) URL such as
// "https://cph.cn-north-4.myhuaweicloud.com"; it overrides the region's.
func WithEndpoint(endpoint string) Option {
	return func(c *config) error {
		if endpoint != "" {
			if _, err := parseEndpoint(endpoint); err != nil {
				c.endpointRefused = true
				return err
			}
		}
		c.endpoint = endpoint
		return nil
	}
}

// WithProjectID sets the project (tenant) ID the calls act on.
func WithProjectID(id string) Option {
	return func(c *config) error {
		if id != "" && !isProjectID(id) {
			c.projectIDRefused = true
			return fmt.Errorf("%w: %q has characters a project ID cannot have", ErrInvalidProjectID, id)
		}
		c.projectID = id
		return nil
	}
}

// WithCredentials sets the AK/SK (and security token) that sign requests.
// The last of WithCredentials and WithCredentialsProvider wins; empty
// Credentials mean neither was given.
func WithCredentials(creds Credentials) Option {
	return func(c *config) error {
		c.creds = creds
		c.provider = nil
		return nil
	}
}

// WithHTTPClient makes the client send its requests through hc: its
// transport, timeouts, cookie jar and TLS settings. Its redirect policy is
// not used: the client never follows a redirect (a signed request and its
// security token must not travel to another host), and a 3xx answer is an
// *APIError. hc itself is left unchanged: the client sends through a copy
// of it that refuses redirects. Nil keeps the library's own client.
func WithHTTPClient(hc *http.Client) Option {
	return func(c *config) error {
		c.httpClient = hc
		return nil
	}
}

// maxUserAgent is the longest user agent WithUserAgent takes: gateways
// refuse long header lines, and a user agent names a program and version.
const maxUserAgent = 1 << 10

// WithUserAgent appends ua to the default User-Agent "cph-go/<Version>".
// A ua with control characters, or longer than 1 KiB, is an error wrapping
// ErrInvalidParameter.
func WithUserAgent(ua string) Option {
	return func(c *config) error {
		if strings.ContainsFunc(ua, func(r rune) bool { return r < ' ' || r == 0x7f }) {
			return fmt.Errorf("%w: user agent has control characters", ErrInvalidParameter)
		}
		if len(ua) > maxUserAgent {
			return fmt.Errorf("%w: user agent of %d bytes is longer than %d", ErrInvalidParameter, len(ua), maxUserAgent)
		}
		c.userAgent = strings.TrimSpace(ua)
		return nil
	}
}

// WithLogger makes the client log to l one debug record per attempt
// (operation, method, path, status, attempt, duration, request ID, and the
// error if any) and one warning per retry with its reason and wait. The
// secret key, security token, Authorization header and signature are never
// logged. Without it, or with nil, the client logs nothing.
func WithLogger(l *slog.Logger) Option {
	return func(c *config) error {
		c.logger = l
		return nil
	}
}

// Client calls the CPH API. It is safe for concurrent use; create one and
// reuse it, so connections are reused.
type Client struct {
	region    string
	endpoint  *url.URL
	projectID string
	hc        *http.Client
	userAgent string
	logger    *slog.Logger
	now       func() time.Time
	// authRef holds the credentials, sealed so that no fmt verb reaches
	// them through reflection, even in a copy of the Client.
	authRef sealed[*authState]

	maxBodyBytes  int64
	maxErrorBytes int64

	// Retry policy (retry.go).
	maxAttempts int
	backoffBase time.Duration
	backoffMax  time.Duration
	// maxRetryAfter is the longest Retry-After the client waits out.
	maxRetryAfter time.Duration
	rand          func(n int64) int64 // jitter source: a number in [0, n)
	skew          atomic.Int64        // offset of the gateway's clock, in ns
}

// Default limits on what the client reads of a response.
const (
	defaultMaxBodyBytes  = 32 << 20
	defaultMaxErrorBytes = 64 << 10
)

// NewClient returns a client configured by opts. It needs a region or an
// endpoint, credentials, and a project ID or a region to discover it with;
// without WithCredentials or WithCredentialsProvider it reads the
// credentials from the environment, else the profile file (see
// EnvCredentials and ProfileCredentials). It reports what is missing or
// malformed with an error wrapping ErrMissingEndpoint, ErrInvalidEndpoint,
// ErrMissingProjectID, ErrInvalidProjectID, ErrMissingCredentials,
// ErrInvalidCredentials or ErrInsecureEndpoint. It sends nothing and
// writes nothing.
func NewClient(opts ...Option) (*Client, error) {
	var cfg config
	var errs []error
	for _, opt := range opts {
		if opt == nil {
			continue
		}
		if err := opt(&cfg); err != nil {
			errs = append(errs, err)
		}
	}
	c := &Client{
		region:        cfg.region,
		projectID:     cfg.projectID,
		authRef:       seal(&authState{creds: cfg.creds}),
		hc:            withoutRedirects(cfg.httpClient),
		userAgent:     "cph-go/" + Version,
		logger:        cfg.logger,
		now:           time.Now,
		maxBodyBytes:  defaultMaxBodyBytes,
		maxErrorBytes: defaultMaxErrorBytes,
	}
	if cfg.userAgent != "" {
		c.userAgent += " " + cfg.userAgent
	}
	c.applyReliability(cfg.reliability)
	errs = append(errs, c.configureEndpoint(&cfg)...)
	errs = append(errs, c.configureAuth(&cfg)...)
	for i, err := range errs {
		errs[i] = fmt.Errorf("cph: NewClient: %w", err)
	}
	if err := errors.Join(errs...); err != nil {
		return nil, err
	}
	return c, nil
}

// configureEndpoint sets the client's endpoint from cfg's endpoint, else
// its region's, and returns what is missing or wrong with it.
func (c *Client) configureEndpoint(cfg *config) []error {
	endpoint, endpointFrom := cfg.endpoint, ""
	if endpoint == "" && cfg.region != "" {
		endpoint, endpointFrom = endpointForRegion(cfg.region)
	}
	if endpoint == "" {
		if cfg.endpointRefused {
			return nil // the option's own error says it
		}
		return []error{ErrMissingEndpoint}
	}
	u, err := parseEndpoint(endpoint)
	if err == nil {
		err = checkInsecure(u, cfg.reliability)
	}
	c.endpoint = u
	if err == nil {
		return nil
	}
	if endpointFrom != "" {
		err = fmt.Errorf("%s: %w", endpointFrom, err)
	}
	return []error{err}
}

// withoutRedirects returns the HTTP client to send through: the library's
// own when hc is nil, else a copy of hc that never follows a redirect
// (hc itself is not changed).
func withoutRedirects(hc *http.Client) *http.Client {
	if hc == nil {
		return newHTTPClient()
	}
	cp := *hc
	cp.CheckRedirect = refuseRedirect
	return &cp
}

// refuseRedirect is a CheckRedirect that returns the 3xx answer itself, so
// that nothing of a signed request reaches another URL.
func refuseRedirect(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }

// auth returns how the client signs: its credentials or provider.
func (c *Client) auth() *authState { return c.authRef.open() }

// isProjectID reports whether s can be a project ID: at most 64 letters,
// digits, '-' or '_' (Huawei Cloud's are 32 hex digits).
func isProjectID(s string) bool {
	if len(s) == 0 || len(s) > 64 {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !('a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || c == '-' || c == '_') {
			return false
		}
	}
	return true
}

// Region returns the region the client was given, or "" if it was given
// only an endpoint.
func (c *Client) Region() string { return c.region }

// Endpoint returns the endpoint the client sends to, such as
// "https://cph.cn-north-4.myhuaweicloud.com".
func (c *Client) Endpoint() string { return c.endpoint.String() }

// ProjectID returns the project ID the calls act on: the one given or
// found in the environment or profile, else the one discovered by the first
// call, else "" until then.
func (c *Client) ProjectID() string {
	if c.projectID != "" {
		return c.projectID
	}
	return c.auth().disc.projectID()
}

// response is a 2xx answer, its body read whole into a pooled buffer that
// the caller gives back with releaseBody once decoded.
type response struct {
	status   int
	header   http.Header
	body     []byte
	attempts int       // the attempt that got it
	secrets  [3]string // what its request carried that must not be shown
}

// requestID returns the request ID of the answer: fromBody, the body's
// request_id, else the X-Request-Id header; cleaned, capped at
// maxRequestID bytes and redacted, since a server may put anything there.
func (r *response) requestID(fromBody string) string {
	if fromBody == "" {
		fromBody = r.header.Get("X-Request-Id")
	}
	return cleanQuote(fromBody, maxRequestID, r.secrets[:])
}

// invalid returns the error of operation op for a body that err says is
// not the documented document: an *InvalidResponseError with the request
// ID (from the body, if decoding read it), the start of the body and err,
// every secret redacted. Call it before releasing the body.
func (r *response) invalid(op string, err error) error {
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
		Err:        redactError(err, r.secrets[:]),
	}
}

// call is one API operation to send.
type call struct {
	op     string     // the operation's name, for errors and logs: "ListPhoneImages"
	method string     // http.MethodGet
	path   string     // below the endpoint; "{project_id}" is replaced by the project ID
	query  url.Values // may be nil
}

// do is the one place that sends a request. It resolves the project ID and
// credentials, then sends the call and returns its 2xx answer. A non-2xx
// answer becomes an *APIError; every error starts with "cph: <op>:" and
// wraps its cause.
func (c *Client) do(ctx context.Context, cl call) (*response, error) {
	if ctx == nil {
		return nil, fmt.Errorf("cph: %s: %w: nil context", cl.op, ErrInvalidParameter)
	}
	if err := ctx.Err(); err != nil {
		return nil, fmt.Errorf("cph: %s: %w", cl.op, err)
	}
	projectID, err := c.resolveProjectID(ctx)
	if err != nil {
		return nil, fmt.Errorf("cph: %s: %w", cl.op, err)
	}
	creds, err := c.resolveCredentials(ctx)
	if err != nil {
		return nil, fmt.Errorf("cph: %s: %w", cl.op, err)
	}
	u := *c.endpoint
	u.Path += strings.ReplaceAll(cl.path, "{project_id}", projectID)
	u.RawQuery = cl.query.Encode()
	return c.send(ctx, cl, &u, projectID, creds)
}

// result is what one attempt came to.
type result struct {
	resp     *response     // the 2xx answer; nil with an error
	header   http.Header   // the answer's headers; nil if no answer came
	received time.Time     // the local clock (c.now) when the answer came
	skew     time.Duration // the clock offset the request was signed with
	err      error         // nil for a 2xx answer
	sent     bool          // the request went out, so a retry may help
}

// send sends the call to u, retrying what a retry can get past (see
// retryReason) up to the client's maximum attempts, each signed afresh.
// Between attempts it waits the service's Retry-After (up to the client's
// maximum, else it returns at once) or a jittered backoff, and gives up at
// once when that wait would pass ctx's deadline; cancellation while
// waiting returns at once. A 401 "signature expired" whose Date shows the
// local clock is off is retried once with the corrected time. The final
// error carries the number of attempts.
func (c *Client) send(ctx context.Context, cl call, u *url.URL, projectID string, creds Credentials) (*response, error) {
	skewCorrected := false
	for n := 1; ; n++ {
		r := c.attempt(ctx, cl, u, projectID, creds, n)
		if r.err == nil {
			return r.resp, nil
		}
		if !r.sent {
			return nil, r.err
		}
		final := finalError(cl.op, r.err, n)
		reason := retryReason(ctx, r)
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
	return "after " + strconv.Itoa(n) + " attempts"
}

// attempt sends attempt n of the call, signed afresh, and reads its answer
// through the size cap. Errors before sending start with "cph: <op>:";
// transport and read errors are returned bare (redacted) for send to
// finish; a non-2xx answer is an *APIError.
func (c *Client) attempt(ctx context.Context, cl call, u *url.URL, projectID string, creds Credentials, n int) result {
	req, err := http.NewRequestWithContext(ctx, cl.method, u.String(), nil)
	if err != nil {
		return result{err: fmt.Errorf("cph: %s: %w", cl.op, err)}
	}
	// The header values, the signature's included, share one allocation.
	hv := headerValues{h: req.Header, vals: make([]string, 0, 6)}
	hv.set("User-Agent", c.userAgent)
	hv.set("Accept", "application/json")
	if projectID != "" { // IAM, a global service, takes none
		hv.set(headerProjectID, projectID)
	}
	if creds.SecurityToken != "" {
		hv.set(headerSecurityToken, creds.SecurityToken)
	}
	signingTime, skew := c.signingTime()
	sig, err := signInto(req, hv, c.auth().signing, creds, signingTime)
	if err != nil {
		return result{err: fmt.Errorf("cph: %s: %w", cl.op, err)}
	}
	secrets := [3]string{sig, creds.SecurityToken, creds.SecretKey}

	start := time.Now()
	resp, err := c.hc.Do(req)
	if err != nil {
		err = redactError(err, secrets[:])
		c.logAttempt(ctx, cl.op, req, n, nil, time.Since(start), err, secrets[:])
		return result{err: err, sent: true}
	}
	defer drainAndClose(resp.Body)
	r := result{header: resp.Header, received: c.now(), skew: skew, sent: true}
	ok := resp.StatusCode >= 200 && resp.StatusCode < 300
	limit := c.maxErrorBytes
	if ok {
		limit = c.maxBodyBytes
	}
	var body []byte
	if ok && resp.ContentLength > limit {
		err = fmt.Errorf("%w: Content-Length %d exceeds %d bytes", ErrResponseTooLarge, resp.ContentLength, limit)
	} else {
		body, err = readCapped(resp, limit)
	}
	// A 2xx answer needs its whole body. A non-2xx one is an *APIError
	// with its status whatever became of its body (cut off, or over the
	// cap): it is built from what arrived, and retried only if its status
	// is, unless the caller's context ended the read.
	if err != nil && (ok || ctx.Err() != nil) {
		releaseBody(body)
		r.err = redactError(fmt.Errorf("read response: %w", err), secrets[:])
		c.logAttempt(ctx, cl.op, req, n, resp, time.Since(start), r.err, secrets[:])
		return r
	}
	if !ok {
		r.err = c.newAttemptError(cl.op, resp, body, r.received, n, secrets[:])
		releaseBody(body)
		c.logAttempt(ctx, cl.op, req, n, resp, time.Since(start), r.err, secrets[:])
		return r
	}
	c.logAttempt(ctx, cl.op, req, n, resp, time.Since(start), nil, secrets[:])
	r.resp = &response{status: resp.StatusCode, header: resp.Header, body: body, attempts: n, secrets: secrets}
	return r
}

// newAttemptError is the *APIError of attempt n, a non-2xx answer resp
// with (what arrived of) its body, received at the local time received.
// Every text it takes from the answer is redacted, cleaned and capped.
func (c *Client) newAttemptError(op string, resp *http.Response, body []byte, received time.Time, n int, secrets []string) *APIError {
	// Redact before parsing too: the parser cuts long fields, and a cut
	// secret would no longer match.
	e := newAPIError(op, resp.StatusCode, nil, []byte(redact(string(body), secrets)))
	e.Code = redactCut(e.Code, secrets)
	e.Message = redactCut(e.Message, secrets)
	if e.RequestID == "" {
		e.RequestID = resp.Header.Get("X-Request-Id")
	}
	e.RequestID = cleanQuote(e.RequestID, maxRequestID, secrets)
	e.Attempts = n
	if d, ok := retryAfter(resp.Header, received); ok {
		e.RetryAfter = d
	}
	return e
}

// maxDrain is how much of an unread body the client reads before closing
// it, so that the connection can be reused; a longer rest closes the
// connection instead.
const maxDrain = 4 << 10

// drainAndClose reads what is left of body, up to maxDrain bytes, and
// closes it.
func drainAndClose(body io.ReadCloser) {
	buf := getBuf(maxDrain)
	_, _ = io.ReadFull(body, buf[:maxDrain])
	releaseBody(buf)
	_ = body.Close()
}

// logAttempt writes one debug record for attempt n, if a logger is set:
// operation, method, path, status (0 without an answer), attempt, duration,
// request ID and the error, if any. It names no header, the request ID is
// cleaned, capped and redacted, and the error is already redacted, so no
// secret can reach the log.
func (c *Client) logAttempt(ctx context.Context, op string, req *http.Request, n int, resp *http.Response, d time.Duration, err error, secrets []string) {
	if c.logger == nil || !c.logger.Enabled(ctx, slog.LevelDebug) {
		return
	}
	status, requestID := 0, ""
	if resp != nil {
		status, requestID = resp.StatusCode, cleanQuote(resp.Header.Get("X-Request-Id"), maxRequestID, secrets)
	}
	if e, ok := asAPIError(err); ok && requestID == "" {
		requestID = e.RequestID
	}
	attrs := []slog.Attr{
		slog.String("operation", op),
		slog.String("method", req.Method),
		slog.String("path", req.URL.Path),
		slog.Int("status", status),
		slog.Int("attempt", n),
		slog.Duration("duration", d),
		slog.String("request_id", requestID),
	}
	if err != nil {
		attrs = append(attrs, slog.String("error", err.Error()))
	}
	c.logger.LogAttrs(ctx, slog.LevelDebug, "cph: request", attrs...)
}

// logRetry writes one warning for a retry after attempt n, if a logger is
// set: the operation, the attempt, why it is retried and the wait.
func (c *Client) logRetry(ctx context.Context, op string, n int, reason string, wait time.Duration) {
	if c.logger == nil || !c.logger.Enabled(ctx, slog.LevelWarn) {
		return
	}
	c.logger.LogAttrs(ctx, slog.LevelWarn, "cph: retrying",
		slog.String("operation", op),
		slog.Int("attempt", n),
		slog.Int("max_attempts", c.maxAttempts),
		slog.String("reason", reason),
		slog.Duration("wait", wait),
	)
}
