package cph

import (
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"net/url"
	"strings"
)

// Option configures a Client. Options validate what they are given, and
// NewClient reports every problem they find, joined with what is missing;
// a nil Option is ignored.
type Option func(*config) error

// config is what the options set; NewClient turns it into a Client.
type config struct {
	region      string
	endpoint    string
	projectID   string
	creds       Credentials
	provider    CredentialsProvider
	iamEndpoint string // WithIAMEndpoint
	signing     SigningAlgorithm
	httpClient  *http.Client
	userAgent   string
	logger      *slog.Logger

	// allowInsecureHTTP lets the endpoints be plain http:// to a host that
	// is not loopback (WithAllowInsecureHTTP).
	allowInsecureHTTP bool

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

// WithCredentialsProvider makes the client ask p for credentials before
// every request, instead of using fixed credentials or the default chain.
// The last of WithCredentials and WithCredentialsProvider wins; nil means
// neither was given.
func WithCredentialsProvider(p CredentialsProvider) Option {
	return func(c *config) error {
		c.provider = p
		c.creds = Credentials{}
		return nil
	}
}

// WithIAMEndpoint sets the IAM endpoint the client asks for its project ID
// when it has none (an absolute http(s) URL such as
// "https://iam.cn-north-4.myhuaweicloud.com"). It wins over the variable
// HUAWEICLOUD_SDK_IAM_ENDPOINT and the profile's iam_endpoint; without any
// of them the client uses https://iam.{region}.myhuaweicloud.com.
func WithIAMEndpoint(endpoint string) Option {
	return func(c *config) error {
		if endpoint != "" {
			if _, err := parseEndpoint(endpoint); err != nil {
				return fmt.Errorf("IAM endpoint: %w", err)
			}
		}
		c.iamEndpoint = endpoint
		return nil
	}
}

// WithSigningAlgorithm sets the algorithm that signs requests:
// SigningHMACSHA256 (the default, also for "") or SigningHMACSM3. Any other
// value makes NewClient fail with an error wrapping ErrInvalidParameter.
func WithSigningAlgorithm(a SigningAlgorithm) Option {
	return func(c *config) error {
		if a != "" && !a.IsKnown() {
			return fmt.Errorf("%w: signing algorithm %q is not %q or %q", ErrInvalidParameter, string(a), SigningHMACSHA256, SigningHMACSM3)
		}
		c.signing = a
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

// WithAllowInsecureHTTP allows a plain http:// endpoint on a host that is
// not loopback. Without it NewClient refuses one with an error wrapping
// ErrInsecureEndpoint, since signed requests, and any security token,
// would cross the network in clear text. http:// to localhost, 127.0.0.0/8
// and ::1 is always allowed.
func WithAllowInsecureHTTP() Option {
	return func(c *config) error {
		c.allowInsecureHTTP = true
		return nil
	}
}

// checkInsecure refuses a plain http:// endpoint u on a host that is not
// loopback, unless allowInsecureHTTP (WithAllowInsecureHTTP).
func checkInsecure(u *url.URL, allowInsecureHTTP bool) error {
	if u == nil || u.Scheme != "http" || allowInsecureHTTP || isLoopbackHost(u.Hostname()) {
		return nil
	}
	return fmt.Errorf("%w: %q sends in clear text to a host that is not loopback; use https, or WithAllowInsecureHTTP", ErrInsecureEndpoint, u.Redacted())
}

// isLoopbackHost reports whether host is "localhost" or a loopback IP.
func isLoopbackHost(host string) bool {
	if strings.EqualFold(host, "localhost") {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}
