package cph

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/cph-go/cph/internal/flight"
)

// The ECS instance metadata service, as the official SDK reaches it.
const (
	metadataEndpoint        = "http://169.254.169.254"
	metadataTokenPath       = "/meta-data/latest/api/token"
	metadataSecurityKeyPath = "/openstack/latest/securitykey"
	headerMetadataToken     = "X-Metadata-Token"
	headerMetadataTokenTTL  = "X-Metadata-Token-Ttl-Seconds"
	metadataAgencyMissing   = "Please configure Cloud Service Agency first"
)

// Timings of the metadata provider.
const (
	metadataTimeout       = 5 * time.Second  // a whole fetch: session token and credentials
	metadataTokenTTL      = 6 * time.Hour    // asked for a session token
	metadataRefreshMargin = 15 * time.Minute // refresh this long before expiry (at most half the lifetime)
	metadataRetryDelay    = time.Minute      // after a failed refresh, keep valid credentials this long
	metadataExpirySkew    = time.Minute      // credentials this close to expiry are no longer used
	maxMetadataBytes      = 64 << 10
)

// metadataProvider fetches temporary credentials from the instance
// metadata service and caches them until shortly before they expire.
type metadataProvider struct {
	endpoint string // "http://169.254.169.254", or WithMetadataEndpoint's
	err      error  // an invalid WithMetadataEndpoint, returned by every Retrieve
	hc       *http.Client
	timeout  time.Duration
	now      func() time.Time

	// What it fetched, sealed so that no fmt verb reaches the secrets
	// through reflection.
	cacheRef sealed[*metadataCache]
}

// cache returns what the provider keeps between fetches.
func (p *metadataProvider) cache() *metadataCache { return p.cacheRef.open() }

// metadataCache is what a metadata provider keeps between fetches.
type metadataCache struct {
	group flight.Group[Credentials]

	mu        sync.Mutex
	creds     Credentials
	expires   time.Time // when creds expire
	refreshAt time.Time // when to fetch new ones
	retryAt   time.Time // after a failed refresh: when to try again

	// The session token; touched only by the one fetch in flight.
	token        string
	tokenExpires time.Time
}

// MetadataCredentials returns a provider of the temporary credentials of
// the ECS instance the program runs on (its agency), from the instance
// metadata service at http://169.254.169.254 (or WithMetadataEndpoint's
// address): a session token by PUT /meta-data/latest/api/token, then the
// credentials, with their security token and expiry, by
// GET /openstack/latest/securitykey.
//
// It is opt-in, never part of the default chain:
// WithCredentialsProvider(cph.MetadataCredentials()). Making it sends
// nothing; the first Retrieve fetches, with a short timeout, and later ones
// reuse the credentials until shortly before they expire (15 minutes, or
// half their lifetime if that is shorter), when one caller fetches new ones
// and concurrent callers wait for that one fetch. If a refresh fails while
// the credentials are still valid, they are used a little longer and the
// refresh is tried again a minute later. Requests to the metadata service
// never go through a proxy and never follow redirects.
//
// Off ECS (nothing answers), or on an instance without an agency, the error
// wraps ErrMissingCredentials, so ChainCredentials moves on. An invalid
// WithMetadataEndpoint makes every Retrieve fail with an error wrapping
// ErrInvalidEndpoint instead, which stops a chain.
func MetadataCredentials(opts ...MetadataOption) CredentialsProvider {
	cfg := metadataConfig{endpoint: metadataEndpoint}
	for _, opt := range opts {
		if opt != nil {
			opt(&cfg)
		}
	}
	p := newMetadataProvider(cfg.endpoint)
	p.err = cfg.err
	return p
}

// MetadataOption configures MetadataCredentials.
type MetadataOption func(*metadataConfig)

// metadataConfig is what the MetadataOptions set.
type metadataConfig struct {
	endpoint string
	err      error // from the first option that refused its value
}

// WithMetadataEndpoint sets the address of the instance metadata service,
// instead of http://169.254.169.254; in tests, a cphtest.MetadataServer's
// URL. It must be an absolute http or https URL with a host and without
// user information, query or fragment; a path, if any, goes before the
// service's own paths, and a trailing slash is dropped. Plain http is
// allowed to any host, since the real service speaks nothing else: point
// it only at a service you trust with the credentials it hands out. ""
// keeps the default. Of several, the last wins; an invalid one among them
// is an error.
//
// A MetadataOption cannot return an error, so an invalid URL is reported
// by the provider: every Retrieve then fails, sending nothing, with an
// error that names WithMetadataEndpoint and wraps ErrInvalidEndpoint (not
// ErrMissingCredentials: a chain stops there rather than skip a provider
// that was set up wrong).
func WithMetadataEndpoint(endpoint string) MetadataOption {
	return func(c *metadataConfig) {
		if endpoint == "" {
			return
		}
		u, err := parseMetadataEndpoint(endpoint)
		if err != nil {
			if c.err == nil {
				c.err = fmt.Errorf("cph: MetadataCredentials: WithMetadataEndpoint: %w", err)
			}
			return
		}
		c.endpoint = u.String()
	}
}

// parseMetadataEndpoint checks a metadata endpoint as parseEndpoint checks
// the CPH endpoint.
func parseMetadataEndpoint(raw string) (*url.URL, error) {
	if u, err := url.Parse(raw); err == nil && u.User != nil {
		return nil, fmt.Errorf("%w: %q carries user information, which the metadata service does not take",
			ErrInvalidEndpoint, u.Redacted())
	}
	return parseEndpoint(raw)
}

// newMetadataProvider returns a metadata provider for the service at
// endpoint, a URL without a trailing slash.
func newMetadataProvider(endpoint string) *metadataProvider {
	dialer := &net.Dialer{Timeout: time.Second}
	return &metadataProvider{
		endpoint: endpoint,
		hc: &http.Client{
			Transport: &http.Transport{
				Proxy:                 nil, // a link-local address is never proxied
				DialContext:           dialer.DialContext,
				ResponseHeaderTimeout: 2 * time.Second,
				MaxIdleConns:          1,
				IdleConnTimeout:       30 * time.Second,
			},
			CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
		},
		timeout:  metadataTimeout,
		now:      time.Now,
		cacheRef: seal(&metadataCache{}),
	}
}

// Retrieve returns the instance's temporary credentials, fetching them
// when there are none yet or they are due for refresh.
func (p *metadataProvider) Retrieve(ctx context.Context) (Credentials, error) {
	if p.err != nil {
		return Credentials{}, p.err
	}
	now := p.now()
	p.cache().mu.Lock()
	creds, refreshAt, expires, retryAt := p.cache().creds, p.cache().refreshAt, p.cache().expires, p.cache().retryAt
	p.cache().mu.Unlock()
	have := creds.AccessKey != ""
	if have && now.Before(refreshAt) {
		return creds, nil
	}
	usable := have && now.Before(expires.Add(-metadataExpirySkew))
	if usable && now.Before(retryAt) {
		return creds, nil
	}
	fresh, err := p.cache().group.Do(ctx, p.refresh)
	switch {
	case err == nil:
		return fresh, nil
	case usable && ctx.Err() == nil:
		return creds, nil
	case err == ctx.Err(): // gave up waiting for another caller's fetch
		return Credentials{}, fmt.Errorf("cph: MetadataCredentials: %w", err)
	}
	return Credentials{}, err
}

// refresh fetches new credentials unless the run before it just did.
func (p *metadataProvider) refresh(ctx context.Context) (Credentials, error) {
	now := p.now()
	p.cache().mu.Lock()
	if p.cache().creds.AccessKey != "" && now.Before(p.cache().refreshAt) {
		defer p.cache().mu.Unlock()
		return p.cache().creds, nil
	}
	p.cache().mu.Unlock()

	fctx, cancel := context.WithTimeout(ctx, p.timeout)
	defer cancel()
	creds, expires, err := p.fetch(fctx)
	if err != nil && ctx.Err() != nil {
		err = fmt.Errorf("cph: MetadataCredentials: %w", ctx.Err())
	}

	p.cache().mu.Lock()
	defer p.cache().mu.Unlock()
	if err != nil {
		p.cache().retryAt = now.Add(metadataRetryDelay)
		return Credentials{}, err
	}
	margin := min(metadataRefreshMargin, expires.Sub(now)/2)
	p.cache().creds, p.cache().expires, p.cache().refreshAt, p.cache().retryAt = creds, expires, expires.Add(-margin), time.Time{}
	return creds, nil
}

// fetch asks the metadata service for the credentials, with a session
// token, getting a new token once if the service refuses the one it has.
func (p *metadataProvider) fetch(ctx context.Context) (Credentials, time.Time, error) {
	token, err := p.sessionToken(ctx, false)
	if err != nil {
		return Credentials{}, time.Time{}, err
	}
	status, body, err := p.request(ctx, http.MethodGet, metadataSecurityKeyPath, token)
	if err == nil && status == http.StatusUnauthorized && !strings.Contains(string(body), metadataAgencyMissing) {
		if token, err = p.sessionToken(ctx, true); err != nil {
			return Credentials{}, time.Time{}, err
		}
		status, body, err = p.request(ctx, http.MethodGet, metadataSecurityKeyPath, token)
	}
	switch {
	case err != nil:
		return Credentials{}, time.Time{}, err
	case status == http.StatusNotFound || status == http.StatusUnauthorized && strings.Contains(string(body), metadataAgencyMissing):
		return Credentials{}, time.Time{}, &missingError{op: "MetadataCredentials", source: "the instance metadata service",
			detail: "the instance has no temporary credentials (" + strconv.Itoa(status) + "); attach an agency to it"}
	case status != http.StatusOK:
		return Credentials{}, time.Time{}, fmt.Errorf("cph: MetadataCredentials: GET %s: status %d%s",
			metadataSecurityKeyPath, status, metadataErrorQuote(body, token))
	}
	return parseSecurityKey(body, p.now())
}

// metadataErrorQuote is what an error may quote of an error answer of the
// metadata service: ": " and the body's start, redacted of the session
// token, or nothing when the body may hold credentials (it mentions a
// secret or a security token), since this service's bodies are where the
// secrets come from.
func metadataErrorQuote(body []byte, token string) string {
	lower := strings.ToLower(string(body[:min(len(body), maxMetadataBytes)]))
	if strings.Contains(lower, "secret") || strings.Contains(lower, "securitytoken") || strings.Contains(lower, "security_token") {
		return " (body not shown: it may hold credentials)"
	}
	text := string(body[:min(len(body), 128+len(token))])
	if token != "" { // the session token is redacted whatever its length
		text = strings.ReplaceAll(text, token, redacted)
	}
	if q := cleanQuote(snippet([]byte(text)), 128, []string{token}); q != "" {
		return ": " + q
	}
	return ""
}

// sessionToken returns the session token for the metadata service, asking
// for a new one when there is none, it is near expiry, or force is set. A
// service that does not issue tokens (404, 405, 503, as the official SDK
// accepts) gives "", and requests go without one.
func (p *metadataProvider) sessionToken(ctx context.Context, force bool) (string, error) {
	now := p.now()
	if !force && p.cache().token != "" && now.Before(p.cache().tokenExpires) {
		return p.cache().token, nil
	}
	status, body, err := p.request(ctx, http.MethodPut, metadataTokenPath, "")
	switch {
	case err != nil:
		return "", err
	case status == http.StatusNotFound || status == http.StatusMethodNotAllowed || status == http.StatusServiceUnavailable:
		p.cache().token = ""
		return "", nil
	case status != http.StatusOK:
		return "", fmt.Errorf("cph: MetadataCredentials: PUT %s: status %d", metadataTokenPath, status)
	}
	token := strings.TrimSpace(string(body))
	if token == "" || !isToken(token, false) {
		return "", fmt.Errorf("cph: MetadataCredentials: PUT %s: %w: not a session token", metadataTokenPath, ErrInvalidResponse)
	}
	p.cache().token, p.cache().tokenExpires = token, now.Add(metadataTokenTTL-metadataRefreshMargin)
	return token, nil
}

// request sends one request to the metadata service and reads the answer.
// A service that cannot be reached is reported as missing credentials.
func (p *metadataProvider) request(ctx context.Context, method, path, token string) (int, []byte, error) {
	req, err := http.NewRequestWithContext(ctx, method, p.endpoint+path, http.NoBody)
	if err != nil {
		return 0, nil, fmt.Errorf("cph: MetadataCredentials: %w", err)
	}
	if method == http.MethodPut {
		req.Header.Set(headerMetadataTokenTTL, strconv.Itoa(int(metadataTokenTTL/time.Second)))
	}
	if token != "" {
		req.Header.Set(headerMetadataToken, token)
	}
	resp, err := p.hc.Do(req)
	if err != nil {
		if ctx.Err() != nil && !errors.Is(ctx.Err(), context.DeadlineExceeded) {
			return 0, nil, fmt.Errorf("cph: MetadataCredentials: %w", ctx.Err())
		}
		return 0, nil, &missingError{op: "MetadataCredentials", source: "the instance metadata service",
			detail: "no answer from " + p.endpoint + " (not on an ECS instance?): " + err.Error()}
	}
	defer resp.Body.Close()
	body, err := readCapped(resp, maxMetadataBytes)
	if err != nil {
		return 0, nil, fmt.Errorf("cph: MetadataCredentials: %s %s: %w", method, path, err)
	}
	return resp.StatusCode, body, nil
}

// securityKeyBody is the metadata service's answer with the credentials.
type securityKeyBody struct {
	Credential *struct {
		Access        string `json:"access"`
		Secret        string `json:"secret"`
		SecurityToken string `json:"securitytoken"`
		ExpiresAt     string `json:"expires_at"`
	} `json:"credential"`
}

// parseSecurityKey decodes the credentials and their expiry. Its errors
// never quote the body, which holds the secret.
func parseSecurityKey(body []byte, now time.Time) (Credentials, time.Time, error) {
	invalid := func(what string) (Credentials, time.Time, error) {
		return Credentials{}, time.Time{}, fmt.Errorf("cph: MetadataCredentials: GET %s: %w: %s",
			metadataSecurityKeyPath, ErrInvalidResponse, what)
	}
	var b securityKeyBody
	if err := json.Unmarshal(body, &b); err != nil || b.Credential == nil {
		return invalid("not a credential document")
	}
	c := b.Credential
	if c.Access == "" || c.Secret == "" || c.SecurityToken == "" {
		return invalid("the credential lacks access, secret or securitytoken")
	}
	expires, err := time.Parse(time.RFC3339, c.ExpiresAt)
	if err != nil {
		return invalid("expires_at is not a time")
	}
	if !expires.After(now.Add(metadataExpirySkew)) {
		return invalid("the credentials expire at " + expires.UTC().Format(time.RFC3339))
	}
	creds := Credentials{AccessKey: c.Access, SecretKey: c.Secret, SecurityToken: c.SecurityToken}
	if err := creds.validate(); err != nil {
		return Credentials{}, time.Time{}, fmt.Errorf("cph: MetadataCredentials: %w", err)
	}
	return creds, expires, nil
}

// String describes the provider: its endpoint and, once it has fetched,
// the cached credentials redacted (as Credentials.String redacts them) and
// their expiry; or the error of an invalid WithMetadataEndpoint. It never
// shows the secret key, the security token or the metadata session token.
func (p *metadataProvider) String() string {
	if p.err != nil {
		return "cph.MetadataCredentials{Error:" + strconv.Quote(p.err.Error()) + "}"
	}
	p.cache().mu.Lock()
	creds, expires := p.cache().creds, p.cache().expires
	p.cache().mu.Unlock()
	s := "cph.MetadataCredentials{Endpoint:" + strconv.Quote(p.endpoint)
	if creds.AccessKey != "" {
		s += ", Credentials:" + creds.String() + ", Expires:" + expires.UTC().Format(time.RFC3339)
	}
	return s + "}"
}

// GoString returns the same redacted text as String, for %#v.
func (p *metadataProvider) GoString() string { return p.String() }

// Format prints the redacted String under every verb.
func (p *metadataProvider) Format(f fmt.State, _ rune) { _, _ = f.Write([]byte(p.String())) }

// LogValue makes slog log the provider redacted.
func (p *metadataProvider) LogValue() slog.Value { return slog.StringValue(p.String()) }
