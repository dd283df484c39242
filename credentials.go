package cph

import (
	"context"
	"errors"
	"fmt"
	"os"
	"strings"

	"github.com/cph-go/cph/internal/redact"
)

// CredentialsProvider supplies the credentials that sign a request.
//
// A client given one with WithCredentialsProvider calls Retrieve before
// every request and does not keep the result, so a provider that fetches
// its credentials (MetadataCredentials) caches them itself. A provider that
// has nothing to give returns an error wrapping ErrMissingCredentials;
// ChainCredentials then moves on to the next one. Credentials itself is a
// CredentialsProvider that always returns the same credentials.
type CredentialsProvider interface {
	Retrieve(ctx context.Context) (Credentials, error)
}

// Retrieve returns c, so that fixed Credentials can stand wherever a
// CredentialsProvider is expected. Empty credentials, or credentials missing
// their access key or secret key, return an error wrapping
// ErrMissingCredentials.
func (c Credentials) Retrieve(context.Context) (Credentials, error) {
	if err := c.validate(); err != nil {
		return Credentials{}, fmt.Errorf("cph: Credentials: %w", err)
	}
	return c, nil
}

// Credentials itself is a CredentialsProvider.
var _ CredentialsProvider = Credentials{}

// source is what a provider of this package knows besides the credentials:
// the profile and the environment can also hold a project ID, and the
// profile an IAM endpoint.
type source struct {
	creds         Credentials
	projectID     string // stored with the credentials, if any
	projectIDFrom string // where projectID came from, for messages
	iamEndpoint   string // stored with the credentials, if any
	iamFrom       string // where iamEndpoint came from, for messages
}

// sourceProvider is a CredentialsProvider that can also tell its source.
type sourceProvider interface {
	retrieveSource(ctx context.Context) (source, error)
}

// retrieveSource asks p for its source, or only for credentials when p is
// not one of this package's providers.
func retrieveSource(ctx context.Context, p CredentialsProvider) (source, error) {
	if sp, ok := p.(sourceProvider); ok {
		return sp.retrieveSource(ctx)
	}
	creds, err := p.Retrieve(ctx)
	return source{creds: creds}, err
}

// missingError is a provider's "nothing to give": it wraps
// ErrMissingCredentials and says which source had nothing, and why.
type missingError struct {
	op     string // the provider, "EnvCredentials"
	source string // what it looked at, "the environment"
	detail string // why it had nothing, naming the variables or file to set
}

func (e *missingError) Error() string {
	msg := "cph: " + e.op + ": " + ErrMissingCredentials.Error() + ": "
	if e.source != "" {
		msg += e.source + ": "
	}
	return msg + e.detail
}

// Is makes errors.Is(err, ErrMissingCredentials) hold.
func (e *missingError) Is(target error) bool { return target == ErrMissingCredentials }

// chainProvider asks its providers in order. They are sealed so that no
// fmt verb reaches a provider's secrets through reflection (a Credentials
// value among them, say).
type chainProvider struct {
	providers sealed[[]CredentialsProvider]
}

// ChainCredentials returns a provider that asks ps in order and returns the
// first credentials found. A provider that has nothing (its error wraps
// ErrMissingCredentials) is passed over; any other error, such as an
// unreadable profile file, stops the chain and is returned, so that a
// broken source never silently gives way to another identity. When no
// provider has credentials, the error wraps ErrMissingCredentials and lists
// each source tried with the variables or file that would have supplied
// them. Nil providers are skipped.
func ChainCredentials(ps ...CredentialsProvider) CredentialsProvider {
	return &chainProvider{providers: seal(append([]CredentialsProvider(nil), ps...))}
}

// Retrieve returns the credentials of the first provider that has some.
func (c *chainProvider) Retrieve(ctx context.Context) (Credentials, error) {
	s, err := c.retrieveSource(ctx)
	return s.creds, err
}

func (c *chainProvider) retrieveSource(ctx context.Context) (source, error) {
	var tried []string
	for _, p := range c.providers.open() {
		if p == nil {
			continue
		}
		if err := ctx.Err(); err != nil {
			return source{}, fmt.Errorf("cph: ChainCredentials: %w", err)
		}
		s, err := retrieveSource(ctx, p)
		if err == nil {
			return s, nil
		}
		if !errors.Is(err, ErrMissingCredentials) {
			return source{}, err
		}
		var me *missingError
		if errors.As(err, &me) && me.source != "" {
			tried = append(tried, me.source+" ("+me.detail+")")
		} else {
			tried = append(tried, strings.TrimPrefix(err.Error(), "cph: "))
		}
	}
	if len(tried) == 0 {
		return source{}, &missingError{op: "ChainCredentials", detail: "the chain has no providers"}
	}
	return source{}, &missingError{op: "ChainCredentials", detail: "tried " + strings.Join(tried, "; ")}
}

// defaultChain is where a client without WithCredentials or
// WithCredentialsProvider finds its credentials: the environment, then the
// profile file. It never reaches the network.
func defaultChain() *chainProvider {
	return ChainCredentials(EnvCredentials(), ProfileCredentials("")).(*chainProvider)
}

// unprefixed returns err with the leading "cph: " taken off its message and
// its chain kept, so that the error of a provider or a nested operation
// reads well inside another "cph: <op>:" message.
func unprefixed(err error) error {
	if msg, ok := strings.CutPrefix(err.Error(), "cph: "); ok {
		return redact.WithMessage(err, msg) // a message override, nothing to redact
	}
	return err
}

// signer is how a client signs: its fixed credentials or a provider, and
// the signing scheme.
type signer struct {
	creds    Credentials         // the fixed credentials, when provider is nil
	provider CredentialsProvider // nil when the client has fixed credentials
	scheme   string              // sigv scheme name
}

// configureAuth sets the client's credentials, project ID, IAM endpoint and
// signing algorithm from cfg, the environment and the profile file, without
// touching the network. It returns every problem it finds.
func (c *Client) configureAuth(cfg *config) []error {
	a := c.signer()
	a.scheme = string(cfg.signing)
	if a.scheme == "" {
		a.scheme = string(SigningHMACSHA256)
	}
	src, errs := c.configureCredentials(cfg)
	if err := c.configureProjectID(src); err != nil {
		errs = append(errs, err)
	}
	if c.projectID != "" {
		return errs
	}
	return append(errs, c.configureDiscovery(cfg, src)...)
}

// configureCredentials sets the client's provider or fixed credentials:
// the option's, else the default chain's (read once, now). It returns the
// source they came from (what else it holds: a project ID, an IAM
// endpoint) and what is missing or wrong with them.
func (c *Client) configureCredentials(cfg *config) (source, []error) {
	switch {
	case cfg.provider != nil:
		c.signer().provider = cfg.provider
		return source{}, nil
	case cfg.creds != (Credentials{}):
		if err := cfg.creds.validate(); err != nil {
			return source{}, []error{err}
		}
		return source{}, nil
	}
	s, err := defaultChain().retrieveSource(context.Background())
	var me *missingError
	switch {
	case errors.As(err, &me):
		return source{}, []error{fmt.Errorf("%w: %s; or give them with WithCredentials or WithCredentialsProvider", ErrMissingCredentials, me.detail)}
	case err != nil:
		return source{}, []error{unprefixed(err)}
	}
	c.signer().creds = s.creds
	if err := s.creds.validate(); err != nil {
		return s, []error{err}
	}
	return s, nil
}

// configureProjectID sets the client's project ID, when WithProjectID gave
// none, from the environment, else from the credentials' source src.
func (c *Client) configureProjectID(src source) error {
	if c.projectID != "" {
		return nil
	}
	// The environment's project ID applies whatever the credentials'
	// source; it wins over a profile's.
	if v := strings.TrimSpace(os.Getenv(envProjectID)); v != "" {
		src.projectID, src.projectIDFrom = v, envProjectID
	}
	if src.projectID == "" {
		return nil
	}
	if !isProjectID(src.projectID) {
		return fmt.Errorf("%w: %s has characters a project ID cannot have", ErrInvalidProjectID, src.projectIDFrom)
	}
	c.projectID = src.projectID
	return nil
}

// configureDiscovery readies project-ID discovery for a client without a
// project ID: the first call discovers it, which needs a region and an
// IAM endpoint (or a provider that may yet bring a project ID).
func (c *Client) configureDiscovery(cfg *config, src source) []error {
	var errs []error
	if c.region == "" && c.signer().provider == nil && !cfg.projectIDRefused && !cfg.endpointRefused {
		errs = append(errs, fmt.Errorf("%w: set one with WithProjectID or %s, or set a region so that it can be discovered", ErrMissingProjectID, envProjectID))
	}
	c.disc.iam.allowInsecureHTTP = cfg.allowInsecureHTTP
	if err := c.disc.iam.configure(cfg.iamEndpoint, src, c.signer().provider == nil); err != nil {
		errs = append(errs, err)
	}
	return errs
}

// resolveCredentials returns the credentials that sign the next request:
// the fixed ones, or what the provider gives now.
func (c *Client) resolveCredentials(ctx context.Context) (Credentials, error) {
	if c.signer().provider == nil {
		return c.signer().creds, nil
	}
	creds, err := c.signer().provider.Retrieve(ctx)
	if err != nil {
		return Credentials{}, fmt.Errorf("credentials: %w", unprefixed(err))
	}
	if err := creds.validate(); err != nil {
		return Credentials{}, fmt.Errorf("credentials: %w", err)
	}
	return creds, nil
}
