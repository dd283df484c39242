package cph

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"sync/atomic"

	"github.com/cph-go/cph/internal/flight"
	"github.com/cph-go/cph/internal/redact"
	"github.com/cph-go/cph/internal/wire"
)

// envIAMEndpoint names the variable that sets the IAM endpoint used to
// discover the project ID.
const envIAMEndpoint = "HUAWEICLOUD_SDK_IAM_ENDPOINT"

// opKeystoneListProjects names IAM's "list projects" operation in errors
// and logs.
const opKeystoneListProjects = "KeystoneListProjects"

// iamConfig is the IAM endpoint chosen when the client was made, if any.
type iamConfig struct {
	url               *url.URL // nil: the lazily retrieved source's, else the region's
	allowInsecureHTTP bool     // for checkInsecure: http only to loopback, unless allowed
}

// configure picks the IAM endpoint from the option, the environment, or
// the source of fixed credentials (final: no provider will bring another
// source later), in that order, and checks it.
func (ic *iamConfig) configure(option string, src source, final bool) error {
	var err error
	switch {
	case option != "":
		ic.url, err = ic.parse(option, "", false)
	case lookupEnv(envIAMEndpoint) != "":
		ic.url, err = ic.parse(lookupEnv(envIAMEndpoint), envIAMEndpoint, true)
	case final && src.iamEndpoint != "":
		ic.url, err = ic.parse(src.iamEndpoint, src.iamFrom, true)
	}
	return err
}

// endpoint returns the IAM endpoint to ask: the configured one, else the
// one stored with the credentials, else the region's.
func (ic *iamConfig) endpoint(region string, src source) (*url.URL, error) {
	switch {
	case ic.url != nil:
		return ic.url, nil
	case src.iamEndpoint != "":
		return ic.parse(src.iamEndpoint, src.iamFrom, true)
	}
	return ic.parse("https://iam."+region+".myhuaweicloud.com", "", false)
}

// parse checks an IAM endpoint as the CPH endpoint is checked. One read
// from a variable or a file (from names it) may be a bare host name, which
// means https, as in the official SDK.
func (ic *iamConfig) parse(raw, from string, bareHost bool) (*url.URL, error) {
	if bareHost && !strings.Contains(raw, "://") {
		raw = "https://" + raw
	}
	u, err := parseEndpoint(raw)
	if err == nil {
		err = checkInsecure(u, ic.allowInsecureHTTP)
	}
	switch {
	case err == nil:
		return u, nil
	case from != "":
		return nil, fmt.Errorf("IAM endpoint from %s: %w", from, err)
	}
	return nil, fmt.Errorf("IAM endpoint: %w", err)
}

// discovery finds the project ID of a client given none: it holds the IAM
// endpoint to ask, the project ID it discovered, and lets concurrent first
// calls share one IAM request.
type discovery struct {
	iam   iamConfig
	id    atomic.Pointer[string]
	group flight.Group[string]
}

// projectID returns the discovered project ID, or "".
func (d *discovery) projectID() string {
	if p := d.id.Load(); p != nil {
		return *p
	}
	return ""
}

// resolveProjectID returns the project ID the calls act on: the configured
// one, else the one discovered earlier, else it discovers it now.
func (c *Client) resolveProjectID(ctx context.Context) (string, error) {
	if c.projectID != "" {
		return c.projectID, nil
	}
	if id := c.disc.projectID(); id != "" {
		return id, nil
	}
	return c.disc.group.Do(ctx, c.discoverProjectID)
}

// discoverProjectID finds the project ID once: from the provider's source
// if it has one, else by asking IAM for the project named after the region:
//
//	GET {iam}/v3/projects?name={region}
//
// signed like any call, without a project ID header. It keeps what it
// found; a failure is not kept, so the next call asks again.
func (c *Client) discoverProjectID(ctx context.Context) (string, error) {
	if id := c.disc.projectID(); id != "" {
		return id, nil // found by the run that just ended
	}
	src := source{creds: c.signer().creds}
	if c.signer().provider != nil {
		s, err := retrieveSource(ctx, c.signer().provider)
		if err != nil {
			return "", fmt.Errorf("credentials: %w", unprefixed(err))
		}
		if err := s.creds.validate(); err != nil {
			return "", fmt.Errorf("credentials: %w", err)
		}
		if s.projectID != "" {
			if !isProjectID(s.projectID) {
				return "", fmt.Errorf("%w: %s has characters a project ID cannot have", ErrInvalidProjectID, s.projectIDFrom)
			}
			c.disc.id.Store(&s.projectID)
			return s.projectID, nil
		}
		src = s
	}
	if c.region == "" {
		return "", fmt.Errorf("%w: set one with WithProjectID or %s, or set a region so that it can be discovered", ErrMissingProjectID, envProjectID)
	}
	// The IAM endpoint is a setting: a wrong one is a configuration error
	// of discovery, not an answer of the operation.
	if _, err := c.disc.iam.endpoint(c.region, src); err != nil {
		return "", fmt.Errorf("discover project ID: %w", err)
	}
	ans, err := c.do(ctx, call{
		op:         opKeystoneListProjects,
		method:     http.MethodGet,
		service:    serviceIAM,
		path:       "/v3/projects",
		query:      url.Values{"name": {c.region}},
		idempotent: true,
		iam:        &src,
	})
	if err != nil {
		return "", fmt.Errorf("discover project ID: %w", unprefixed(err))
	}
	b, _, err := decodeJSON(opKeystoneListProjects, ans, func(b *projectsBody) error {
		if b.Projects == nil {
			return fmt.Errorf("%w: IAM's answer is not a project list", ErrInvalidResponse)
		}
		return nil
	})
	if err != nil {
		return "", fmt.Errorf("discover project ID: %w", unprefixed(err))
	}
	// pickProject's errors quote project names cut short, where a cut
	// secret would no longer match: redact the names first.
	for i := range *b.Projects {
		(*b.Projects)[i].Name = redact.String((*b.Projects)[i].Name, ans.secrets[:])
	}
	id, err := pickProject(b, c.region)
	if err != nil {
		return "", fmt.Errorf("discover project ID: %w", redact.Error(err, ans.secrets[:]))
	}
	c.disc.id.Store(&id)
	return id, nil
}

// projectsBody is IAM's answer to GET /v3/projects: the fields discovery
// reads of it.
type projectsBody = wire.Projects[wire.ProjectRef]

// pickProject returns the ID of the one project named region in IAM's
// answer, b (with its project list). None or several is an error wrapping
// ErrMissingProjectID that says what IAM listed.
func pickProject(b *projectsBody, region string) (string, error) {
	var ids, others []string
	for _, p := range *b.Projects {
		if p.Name == region {
			ids = append(ids, p.ID)
		} else {
			others = append(others, p.Name)
		}
	}
	switch {
	case len(ids) == 0 && len(others) == 0:
		return "", fmt.Errorf("%w: IAM lists no project named %q for these credentials; set one with WithProjectID", ErrMissingProjectID, region)
	case len(ids) == 0:
		return "", fmt.Errorf("%w: IAM lists no project named %q, only %s; set one with WithProjectID", ErrMissingProjectID, region, quoteList(others))
	case len(ids) > 1:
		return "", fmt.Errorf("%w: IAM lists %d projects named %q (%s); choose one with WithProjectID", ErrMissingProjectID, len(ids), region, quoteList(ids))
	case !isProjectID(ids[0]):
		return "", fmt.Errorf("%w: IAM's project %q has an ID with characters a project ID cannot have", ErrInvalidResponse, region)
	}
	return ids[0], nil
}

// quoteList quotes and joins names for an error message, at most five.
func quoteList(names []string) string {
	var b strings.Builder
	for i, n := range names {
		if i == 5 {
			fmt.Fprintf(&b, " and %d more", len(names)-i)
			break
		}
		if i > 0 {
			b.WriteString(", ")
		}
		fmt.Fprintf(&b, "%q", n[:min(len(n), 64)])
	}
	return b.String()
}
