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

// Option configures a Client. Options validate what they are given and
// NewClient reports the first problem; a nil Option is ignored.
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
}

// WithRegion sets the region, such as "cn-north-4". The endpoint is then
// https://cph.{region}.myhuaweicloud.com unless WithEndpoint overrides it.
func WithRegion(region string) Option {
	return func(c *config) error {
		if region != "" && !isRegionID(region) {
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

// WithHTTPClient makes the client send its requests through hc, used as
// given (its timeouts, transport and redirect policy). Nil keeps the
// library's own client.
func WithHTTPClient(hc *http.Client) Option {
	return func(c *config) error {
		c.httpClient = hc
		return nil
	}
}

// WithUserAgent appends ua to the default User-Agent "cph-go/<Version>".
func WithUserAgent(ua string) Option {
	return func(c *config) error {
		if strings.ContainsFunc(ua, func(r rune) bool { return r < ' ' || r == 0x7f }) {
			return fmt.Errorf("%w: user agent has control characters", ErrInvalidParameter)
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
	creds     Credentials
	hc        *http.Client
	userAgent string
	logger    *slog.Logger
	now       func() time.Time
	auth      authState

	maxBodyBytes  int64
	maxErrorBytes int64

	// Retry policy (retry.go).
	maxAttempts int
	backoffBase time.Duration
	backoffMax  time.Duration
	rand        func(n int64) int64 // jitter source: a number in [0, n)
	skew        atomic.Int64        // offset of the gateway's clock, in ns
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
	for _, opt := range opts {
		if opt == nil {
			continue
		}
		if err := opt(&cfg); err != nil {
			return nil, fmt.Errorf("cph: NewClient: %w", err)
		}
	}
	c := &Client{
		region:        cfg.region,
		projectID:     cfg.projectID,
		creds:         cfg.creds,
		hc:            cfg.httpClient,
		userAgent:     "cph-go/" + Version,
		logger:        cfg.logger,
		now:           time.Now,
		maxBodyBytes:  defaultMaxBodyBytes,
		maxErrorBytes: defaultMaxErrorBytes,
	}
	if cfg.userAgent != "" {
		c.userAgent += " " + cfg.userAgent
	}
	if c.hc == nil {
		c.hc = newHTTPClient()
	}
	c.applyReliability(cfg.reliability)
	endpoint, endpointFrom := cfg.endpoint, ""
	if endpoint == "" && cfg.region != "" {
		endpoint, endpointFrom = endpointForRegion(cfg.region)
	}
	var errs []error
	if endpoint == "" {
		errs = append(errs, ErrMissingEndpoint)
	} else {
		u, err := parseEndpoint(endpoint)
		if err == nil {
			err = checkInsecure(u, cfg.reliability)
		}
		if err != nil {
			if endpointFrom != "" {
				err = fmt.Errorf("%s: %w", endpointFrom, err)
			}
			errs = append(errs, err)
		}
		c.endpoint = u
	}
	errs = append(errs, c.configureAuth(&cfg)...)
	for i, err := range errs {
		errs[i] = fmt.Errorf("cph: NewClient: %w", err)
	}
	if err := errors.Join(errs...); err != nil {
		return nil, err
	}
	return c, nil
}

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
	return c.auth.disc.projectID()
}

// response is a 2xx answer, its body read whole into a pooled buffer that
// the caller gives back with releaseBody once decoded.
type response struct {
	status int
	header http.Header
	body   []byte
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
// Between attempts it waits the service's Retry-After or a jittered
// backoff, and gives up at once when that wait would pass ctx's deadline;
// cancellation while waiting returns at once. A 401 "signature expired"
// whose Date shows the local clock is off is retried once with the
// corrected time. The final error carries the number of attempts.
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
		} else if reason != "" {
			var ok bool
			if wait, ok = c.retryWait(n-1, r.header); !ok {
				return nil, final // the service asks for a longer wait than the client's maximum
			}
		}
		if reason == "" || n >= c.maxAttempts {
			return nil, final
		}
		if deadline, ok := ctx.Deadline(); ok && time.Until(deadline) < wait {
			return nil, final
		}
		c.logRetry(ctx, cl.op, n, reason, wait)
		if err := sleepCtx(ctx, wait); err != nil {
			return nil, fmt.Errorf("cph: %s: %w while waiting to retry %s; last error: %s", cl.op, err, attemptsText(n), final)
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
	sig, err := signInto(req, hv, c.auth.signing, creds, signingTime)
	if err != nil {
		return result{err: fmt.Errorf("cph: %s: %w", cl.op, err)}
	}
	secrets := []string{sig, creds.SecurityToken, creds.SecretKey}

	start := time.Now()
	resp, err := c.hc.Do(req)
	if err != nil {
		err = redactError(err, secrets)
		c.logAttempt(ctx, cl.op, req, n, nil, time.Since(start), err)
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
	if err != nil && (ok || !errors.Is(err, ErrResponseTooLarge)) {
		releaseBody(body)
		r.err = redactError(fmt.Errorf("read response: %w", err), secrets)
		c.logAttempt(ctx, cl.op, req, n, resp, time.Since(start), r.err)
		return r
	}
	if !ok {
		// Redact before parsing too: the parser cuts long fields, and a cut
		// secret would no longer match.
		e := newAPIError(cl.op, resp.StatusCode, resp.Header, []byte(redact(string(body), secrets)))
		releaseBody(body)
		e.Code = redactCut(e.Code, secrets)
		e.Message = redactCut(e.Message, secrets)
		e.RequestID = redactCut(e.RequestID, secrets)
		e.Attempts = n
		r.err = e
		c.logAttempt(ctx, cl.op, req, n, resp, time.Since(start), e)
		return r
	}
	c.logAttempt(ctx, cl.op, req, n, resp, time.Since(start), nil)
	r.resp = &response{status: resp.StatusCode, header: resp.Header, body: body}
	return r
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
// request ID and the error, if any. It names no header and the error is
// already redacted, so no secret can reach the log.
func (c *Client) logAttempt(ctx context.Context, op string, req *http.Request, n int, resp *http.Response, d time.Duration, err error) {
	if c.logger == nil || !c.logger.Enabled(ctx, slog.LevelDebug) {
		return
	}
	status, requestID := 0, ""
	if resp != nil {
		status, requestID = resp.StatusCode, resp.Header.Get("X-Request-Id")
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
