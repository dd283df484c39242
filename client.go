package cph

import (
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/url"
	"sync/atomic"
	"time"
)

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
	// signerRef holds the credentials, sealed so that no fmt verb reaches
	// them through reflection, even in a copy of the Client.
	signerRef sealed[*signer]
	// disc finds the project ID when none was given (discovery.go).
	disc discovery

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
		signerRef:     seal(&signer{creds: cfg.creds}),
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
		err = checkInsecure(u, cfg.allowInsecureHTTP)
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

// signer returns how the client signs: its credentials or provider.
func (c *Client) signer() *signer { return c.signerRef.open() }

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
	return c.disc.projectID()
}
