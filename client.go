package cph

import (
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/url"
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
// endpoint, credentials, and a project ID or a region to discover it with.
// It reports what is missing or malformed, every problem at once, with an
// error wrapping ErrMissingEndpoint, ErrInvalidEndpoint,
// ErrMissingProjectID, ErrInvalidProjectID, ErrMissingCredentials,
// ErrInvalidCredentials, ErrInsecureEndpoint or ErrInvalidParameter.
//
// What no option gives, NewClient reads now, once, from the environment
// (see the package documentation, Precedence); an option always wins:
//
//   - HUAWEICLOUD_SDK_REGION, the region, when neither WithRegion nor
//     WithEndpoint is given (an ill-formed value is an error naming the
//     variable, wrapping ErrInvalidEndpoint);
//   - HUAWEICLOUD_SDK_REGION_CPH_<REGION>, the region's endpoint, without
//     WithEndpoint;
//   - without WithCredentials or WithCredentialsProvider, the credentials:
//     HUAWEICLOUD_SDK_AK, HUAWEICLOUD_SDK_SK and
//     HUAWEICLOUD_SDK_SECURITY_TOKEN (EnvCredentials), and only when the
//     environment lacks a key, the profile file (ProfileCredentials): the
//     one HUAWEICLOUD_SDK_CREDENTIALS_FILE names, else
//     ~/.huaweicloud/credentials, read once, here;
//   - HUAWEICLOUD_SDK_PROJECT_ID, the project ID, without WithProjectID;
//   - HUAWEICLOUD_SDK_IAM_ENDPOINT, without WithIAMEndpoint, when no source
//     gives a project ID, so that it may be discovered.
//
// It sends nothing and writes nothing: nothing reaches the network before
// the first call. When no source gives a project ID, ProjectID returns ""
// until a call discovers it (from IAM, or from a provider's source), and
// the discovered one from then on.
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
	if err := cfg.regionFromEnv(); err != nil {
		errs = append(errs, err)
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

// CloseIdleConnections closes the keep-alive connections of the client's
// transport that sit idle, as http.Client.CloseIdleConnections does; calls
// made afterwards open new ones. With WithHTTPClient, that is the given
// client's transport, shared with its other users.
func (c *Client) CloseIdleConnections() { c.hc.CloseIdleConnections() }

// ProjectID returns the project ID the calls act on: the one given or
// found in the environment or profile, else the one discovered by the first
// call, else "" until then.
func (c *Client) ProjectID() string {
	if c.projectID != "" {
		return c.projectID
	}
	return c.auth().disc.projectID()
}
