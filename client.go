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
	"strings"
	"time"

	"github.com/cph-go/cph/internal/sigv"
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
	httpClient *http.Client
	userAgent  string
	logger     *slog.Logger
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
func WithCredentials(creds Credentials) Option {
	return func(c *config) error {
		c.creds = creds
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

// WithLogger makes the client log one debug record per request (method,
// path, status, duration, request ID) to l. Secrets are never logged.
// Without it, or with nil, the client logs nothing.
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

	maxBodyBytes  int64
	maxErrorBytes int64
}

// Default limits on what the client reads of a response.
const (
	defaultMaxBodyBytes  = 32 << 20
	defaultMaxErrorBytes = 64 << 10
)

// NewClient returns a client configured by opts. It needs a region or an
// endpoint, a project ID and credentials; it reports what is missing or
// malformed with an error wrapping ErrMissingEndpoint, ErrInvalidEndpoint,
// ErrMissingProjectID, ErrInvalidProjectID, ErrMissingCredentials or
// ErrInvalidCredentials. It sends nothing.
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
	endpoint := cfg.endpoint
	if endpoint == "" && cfg.region != "" {
		endpoint = regionEndpoint(cfg.region)
	}
	var errs []error
	if endpoint == "" {
		errs = append(errs, ErrMissingEndpoint)
	} else {
		u, err := parseEndpoint(endpoint)
		if err != nil {
			errs = append(errs, err)
		}
		c.endpoint = u
	}
	if c.projectID == "" {
		errs = append(errs, fmt.Errorf("%w: set one with WithProjectID", ErrMissingProjectID))
	}
	if err := c.creds.validate(); err != nil {
		errs = append(errs, err)
	}
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

// ProjectID returns the project ID the calls act on.
func (c *Client) ProjectID() string { return c.projectID }

// response is a 2xx answer, its body read whole.
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

// resolveProjectID returns the project ID the calls act on.
func (c *Client) resolveProjectID(context.Context) (string, error) {
	return c.projectID, nil
}

// resolveCredentials returns the credentials that sign the next request.
func (c *Client) resolveCredentials(context.Context) (Credentials, error) {
	return c.creds, nil
}

// send sends the call to u and reads its answer.
func (c *Client) send(ctx context.Context, cl call, u *url.URL, projectID string, creds Credentials) (*response, error) {
	return c.attempt(ctx, cl, u, projectID, creds)
}

// attempt sends one signed request and reads its answer through the size
// cap.
func (c *Client) attempt(ctx context.Context, cl call, u *url.URL, projectID string, creds Credentials) (*response, error) {
	req, err := http.NewRequestWithContext(ctx, cl.method, u.String(), nil)
	if err != nil {
		return nil, fmt.Errorf("cph: %s: %w", cl.op, err)
	}
	req.Header.Set("User-Agent", c.userAgent)
	req.Header.Set("Accept", "application/json")
	req.Header.Set(headerProjectID, projectID)
	if creds.SecurityToken != "" {
		req.Header.Set(headerSecurityToken, creds.SecurityToken)
	}
	sig, err := sign(req, sigv.HMACSHA256, creds, c.now())
	if err != nil {
		return nil, fmt.Errorf("cph: %s: %w", cl.op, err)
	}
	secrets := []string{sig, creds.SecurityToken, creds.SecretKey}

	start := time.Now()
	resp, err := c.hc.Do(req)
	if err != nil {
		return nil, redactError(fmt.Errorf("cph: %s: %w", cl.op, err), secrets)
	}
	defer resp.Body.Close()
	ok := resp.StatusCode >= 200 && resp.StatusCode < 300
	limit := c.maxErrorBytes
	if ok {
		limit = c.maxBodyBytes
	}
	body, err := readCapped(resp, limit)
	c.logAttempt(ctx, cl.op, req, resp, time.Since(start), err)
	if err != nil && (ok || !errors.Is(err, ErrResponseTooLarge)) {
		return nil, redactError(fmt.Errorf("cph: %s: read response: %w", cl.op, err), secrets)
	}
	if !ok {
		e := newAPIError(cl.op, resp.StatusCode, resp.Header, body)
		e.Message = redact(e.Message, secrets)
		return nil, e
	}
	return &response{status: resp.StatusCode, header: resp.Header, body: body}, nil
}

// readCapped reads resp's body whole, sized from Content-Length, up to
// limit bytes. Past the limit it returns what it read and an error wrapping
// ErrResponseTooLarge.
func readCapped(resp *http.Response, limit int64) ([]byte, error) {
	size := int64(512)
	if n := resp.ContentLength; n > 0 {
		size = min(n, limit) + 1
	}
	buf := make([]byte, 0, size)
	for {
		if int64(len(buf)) > limit {
			return buf[:limit], fmt.Errorf("%w: body exceeds %d bytes", ErrResponseTooLarge, limit)
		}
		if len(buf) == cap(buf) {
			buf = append(buf, 0)[:len(buf)]
		}
		n, err := resp.Body.Read(buf[len(buf):cap(buf)])
		buf = buf[:len(buf)+n]
		if err == io.EOF {
			if int64(len(buf)) > limit {
				return buf[:limit], fmt.Errorf("%w: body exceeds %d bytes", ErrResponseTooLarge, limit)
			}
			return buf, nil
		}
		if err != nil {
			return buf, err
		}
	}
}

// logAttempt writes one debug record for a request, if a logger is set.
// It names no header, so no secret can reach the log.
func (c *Client) logAttempt(ctx context.Context, op string, req *http.Request, resp *http.Response, d time.Duration, err error) {
	if c.logger == nil || !c.logger.Enabled(ctx, slog.LevelDebug) {
		return
	}
	attrs := []slog.Attr{
		slog.String("operation", op),
		slog.String("method", req.Method),
		slog.String("path", req.URL.Path),
		slog.Int("status", resp.StatusCode),
		slog.Duration("duration", d),
		slog.String("request_id", resp.Header.Get("X-Request-Id")),
	}
	if err != nil {
		attrs = append(attrs, slog.String("error", err.Error()))
	}
	c.logger.LogAttrs(ctx, slog.LevelDebug, "cph: request", attrs...)
}
