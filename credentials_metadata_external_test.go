package cph_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/cph-go/cph"
	"github.com/cph-go/cph/cphtest"
)

// The metadata provider's tests run against cphtest.MetadataServer. Its
// secrets are distinctive, so that a test can check no message carries
// them.
const (
	metaSK    = "metaSecretKey-bWV0YS1uZXZlci1sZWFr"
	metaToken = "metaSecurityToken-bWV0YS10b2tlbi1uZXZlcg"
)

// metaCreds are the credentials of access key ak with the test's secrets.
func metaCreds(ak string) cph.Credentials {
	return cph.Credentials{AccessKey: ak, SecretKey: metaSK, SecurityToken: metaToken}
}

// metaClock is a settable clock for the provider's expiry.
type metaClock struct {
	mu sync.Mutex
	t  time.Time
}

func newMetaClock() *metaClock {
	return &metaClock{t: time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)}
}

func (c *metaClock) now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *metaClock) advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

// newMetaServer starts a metadata server that is closed when the test ends.
func newMetaServer(t *testing.T, creds cph.Credentials, expires time.Time) *cphtest.MetadataServer {
	t.Helper()
	srv := cphtest.NewMetadataServer(creds, expires)
	t.Cleanup(srv.Close)
	return srv
}

// metaProvider returns a provider of srv on clock, with a short timeout.
func metaProvider(srv *cphtest.MetadataServer, clock *metaClock) cph.CredentialsProvider {
	p := cph.MetadataCredentials(cph.WithMetadataEndpoint(srv.URL))
	cph.SetMetadataClock(p, clock.now)
	cph.SetMetadataTimeout(p, 2*time.Second)
	return p
}

// metaCounts returns how many session tokens and security keys srv was
// asked for.
func metaCounts(srv *cphtest.MetadataServer) (puts, gets int) {
	for _, r := range srv.Requests() {
		switch {
		case r.Method == http.MethodPut && r.Path == "/meta-data/latest/api/token":
			puts++
		case r.Method == http.MethodGet && r.Path == "/openstack/latest/securitykey":
			gets++
		}
	}
	return puts, gets
}

// metaGetTokens returns the X-Metadata-Token of each security key request.
func metaGetTokens(srv *cphtest.MetadataServer) []string {
	var out []string
	for _, r := range srv.Requests() {
		if r.Method == http.MethodGet && r.Path == "/openstack/latest/securitykey" {
			out = append(out, r.Header.Get("X-Metadata-Token"))
		}
	}
	return out
}

// gateKeys holds the provider's security key requests until the gate
// opens; arrived counts those held. The gate also opens when the test
// ends, so that a failing test leaves nothing waiting.
type gateKeys struct {
	next    http.RoundTripper
	gate    chan struct{}
	once    sync.Once
	arrived atomic.Int32
}

func newGateKeys(t *testing.T, p cph.CredentialsProvider) *gateKeys {
	g := &gateKeys{gate: make(chan struct{})}
	cph.WrapMetadataTransport(p, func(rt http.RoundTripper) http.RoundTripper { g.next = rt; return g })
	t.Cleanup(g.open)
	return g
}

func (g *gateKeys) open() { g.once.Do(func() { close(g.gate) }) }

func (g *gateKeys) RoundTrip(r *http.Request) (*http.Response, error) {
	if r.Method == http.MethodGet {
		g.arrived.Add(1)
		select {
		case <-g.gate:
		case <-r.Context().Done():
			return nil, r.Context().Err()
		}
	}
	return g.next.RoundTrip(r)
}

func TestMetadataCredentialsFetchAndCache(t *testing.T) {
	clock := newMetaClock()
	md := newMetaServer(t, metaCreds("META0001"), clock.now().Add(time.Hour))
	p := metaProvider(md, clock)

	got, err := p.Retrieve(context.Background())
	require.NoError(t, err)
	assert.Equal(t, metaCreds("META0001"), got)
	puts, gets := metaCounts(md)
	assert.Equal(t, 1, puts)
	assert.Equal(t, 1, gets)
	assert.Equal(t, []string{"cphtest-session-1"}, metaGetTokens(md), "the credentials are asked with the session token")
	assert.Equal(t, "21600", md.Requests()[0].Header.Get("X-Metadata-Token-Ttl-Seconds"), "a 6-hour token")

	clock.advance(30 * time.Minute)
	again, err := p.Retrieve(context.Background())
	require.NoError(t, err)
	assert.Equal(t, got, again)
	puts, gets = metaCounts(md)
	assert.Equal(t, 1, puts, "cached")
	assert.Equal(t, 1, gets, "cached")
}

func TestMetadataCredentialsRefreshedBeforeExpiry(t *testing.T) {
	tests := map[string]struct {
		lifetime   time.Duration
		stillCache time.Duration // at this age the cached credentials are used
		refreshed  time.Duration // at this age new ones are fetched
		wantPuts   int           // session tokens asked for
	}{
		"long-lived: 15 minutes before expiry":  {lifetime: time.Hour, stillCache: 44 * time.Minute, refreshed: 46 * time.Minute, wantPuts: 1},
		"short-lived: at half their lifetime":   {lifetime: 10 * time.Minute, stillCache: 4 * time.Minute, refreshed: 6 * time.Minute, wantPuts: 1},
		"day-long: 15 minutes before, not more": {lifetime: 24 * time.Hour, stillCache: 23*time.Hour + 44*time.Minute, refreshed: 23*time.Hour + 46*time.Minute, wantPuts: 2},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			clock := newMetaClock()
			start := clock.now()
			md := newMetaServer(t, metaCreds("META0001"), start.Add(tc.lifetime))
			p := metaProvider(md, clock)

			first, err := p.Retrieve(context.Background())
			require.NoError(t, err)
			// The service has new credentials from now on: a fetch shows.
			md.SetCredentials(metaCreds("META0002"), start.Add(tc.refreshed+tc.lifetime))
			clock.advance(tc.stillCache)
			cached, err := p.Retrieve(context.Background())
			require.NoError(t, err)
			assert.Equal(t, first.AccessKey, cached.AccessKey)

			clock.advance(tc.refreshed - clock.now().Sub(start))
			fresh, err := p.Retrieve(context.Background())
			require.NoError(t, err)
			assert.Equal(t, "META0002", fresh.AccessKey)
			puts, gets := metaCounts(md)
			assert.Equal(t, 2, gets)
			assert.Equal(t, tc.wantPuts, puts, "the session token is reused while it is valid")
		})
	}
}

func TestMetadataCredentialsFailedRefreshKeepsValidCredentials(t *testing.T) {
	clock := newMetaClock()
	md := newMetaServer(t, metaCreds("META0001"), clock.now().Add(time.Hour))
	p := metaProvider(md, clock)
	first, err := p.Retrieve(context.Background())
	require.NoError(t, err)

	md.InjectFault(3, cphtest.Fault{Operation: "GetSecurityKey", Status: http.StatusInternalServerError, Body: "boom"})
	clock.advance(50 * time.Minute) // due for refresh, valid for 10 more minutes
	got, err := p.Retrieve(context.Background())
	require.NoError(t, err)
	assert.Equal(t, first, got, "still valid: used while the service fails")
	_, gets := metaCounts(md)
	assert.Equal(t, 2, gets)

	_, err = p.Retrieve(context.Background())
	require.NoError(t, err)
	_, gets = metaCounts(md)
	assert.Equal(t, 2, gets, "not asked again right after a failure")

	clock.advance(2 * time.Minute)
	_, err = p.Retrieve(context.Background())
	require.NoError(t, err)
	_, gets = metaCounts(md)
	assert.Equal(t, 3, gets, "asked again a minute later")

	clock.advance(7*time.Minute + 30*time.Second) // within a minute of expiry
	_, err = p.Retrieve(context.Background())
	require.Error(t, err, "near expiry the failure shows")
	assert.Contains(t, err.Error(), "status 500")

	md.SetCredentials(metaCreds("META0005"), clock.now().Add(time.Hour)) // the fault is used up
	got, err = p.Retrieve(context.Background())
	require.NoError(t, err)
	assert.Equal(t, "META0005", got.AccessKey)
	_, gets = metaCounts(md)
	assert.Equal(t, 5, gets)
}

func TestMetadataCredentialsConcurrentCallersShareOneFetch(t *testing.T) {
	const callers = 8
	clock := newMetaClock()
	md := newMetaServer(t, metaCreds("META0001"), clock.now().Add(time.Hour))
	p := metaProvider(md, clock)
	gate := newGateKeys(t, p)

	var wg sync.WaitGroup
	results := make([]cph.Credentials, callers)
	errs := make([]error, callers)
	for i := range callers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			results[i], errs[i] = p.Retrieve(context.Background())
		}()
	}
	require.Eventually(t, func() bool { return cph.MetadataWaiting(p) == callers-1 }, 5*time.Second, time.Millisecond,
		"all but one caller wait for the fetch in flight")
	gate.open()
	wg.Wait()
	for i := range callers {
		require.NoError(t, errs[i])
		assert.Equal(t, "META0001", results[i].AccessKey)
	}
	puts, gets := metaCounts(md)
	assert.Equal(t, 1, puts)
	assert.Equal(t, 1, gets)
}

func TestMetadataCredentialsWaiterCancelled(t *testing.T) {
	clock := newMetaClock()
	md := newMetaServer(t, metaCreds("META0001"), clock.now().Add(time.Hour))
	p := metaProvider(md, clock)
	gate := newGateKeys(t, p)

	leader := make(chan error, 1)
	go func() {
		_, err := p.Retrieve(context.Background())
		leader <- err
	}()
	require.Eventually(t, func() bool { return gate.arrived.Load() == 1 }, 5*time.Second, time.Millisecond)

	ctx, cancel := context.WithCancel(context.Background())
	waiter := make(chan error, 1)
	go func() {
		_, err := p.Retrieve(ctx)
		waiter <- err
	}()
	require.Eventually(t, func() bool { return cph.MetadataWaiting(p) == 1 }, 5*time.Second, time.Millisecond)
	cancel()
	err := <-waiter
	assert.ErrorIs(t, err, context.Canceled)
	assert.True(t, strings.HasPrefix(err.Error(), "cph: MetadataCredentials: "), err.Error())

	gate.open()
	assert.NoError(t, <-leader, "the fetch goes on for the caller that runs it")
}

func TestMetadataCredentialsSessionToken(t *testing.T) {
	t.Run("a refused token is renewed once", func(t *testing.T) {
		clock := newMetaClock()
		md := newMetaServer(t, metaCreds("META0001"), clock.now().Add(time.Hour))
		p := metaProvider(md, clock)
		_, err := p.Retrieve(context.Background())
		require.NoError(t, err)

		md.ExpireSessionTokens()
		md.SetCredentials(metaCreds("META0003"), clock.now().Add(2*time.Hour))
		clock.advance(50 * time.Minute)
		got, err := p.Retrieve(context.Background())
		require.NoError(t, err)
		assert.Equal(t, "META0003", got.AccessKey)
		puts, _ := metaCounts(md)
		assert.Equal(t, 2, puts)
		assert.Equal(t, []string{"cphtest-session-1", "cphtest-session-1", "cphtest-session-2"}, metaGetTokens(md))
	})
	t.Run("renewed when it ages", func(t *testing.T) {
		clock := newMetaClock()
		md := newMetaServer(t, metaCreds("META0001"), clock.now().Add(12*time.Hour))
		p := metaProvider(md, clock)
		_, err := p.Retrieve(context.Background())
		require.NoError(t, err)
		clock.advance(11*time.Hour + 50*time.Minute)
		md.SetCredentials(metaCreds("META0002"), clock.now().Add(12*time.Hour))
		got, err := p.Retrieve(context.Background())
		require.NoError(t, err)
		assert.Equal(t, "META0002", got.AccessKey)
		puts, gets := metaCounts(md)
		assert.Equal(t, 2, puts, "a 6-hour token is not used after its time")
		assert.Equal(t, 2, gets)
		assert.Equal(t, []string{"cphtest-session-1", "cphtest-session-2"}, metaGetTokens(md))
	})
	t.Run("service without tokens", func(t *testing.T) {
		clock := newMetaClock()
		md := newMetaServer(t, metaCreds("META0001"), clock.now().Add(time.Hour))
		md.InjectFault(1, cphtest.Fault{Operation: "GetSessionToken", Status: http.StatusNotFound})
		got, err := metaProvider(md, clock).Retrieve(context.Background())
		require.NoError(t, err)
		assert.Equal(t, "META0001", got.AccessKey)
		assert.Equal(t, []string{""}, metaGetTokens(md), "asked without a token")
	})
	t.Run("service that requires tokens", func(t *testing.T) {
		clock := newMetaClock()
		md := newMetaServer(t, metaCreds("META0001"), clock.now().Add(time.Hour))
		md.RequireSessionTokens(true)
		got, err := metaProvider(md, clock).Retrieve(context.Background())
		require.NoError(t, err)
		assert.Equal(t, "META0001", got.AccessKey)
	})
}

func TestMetadataCredentialsErrors(t *testing.T) {
	valid := time.Date(2030, 1, 1, 0, 0, 0, 0, time.UTC)
	tests := map[string]struct {
		creds       cph.Credentials // the server's; metaCreds("META0001") if empty and not noAgency
		expires     time.Time       // valid if zero
		noAgency    bool
		fault       *cphtest.Fault
		closed      bool // nothing listens
		wantMissing bool
		wantErr     error
		inMsg       string
	}{
		"no agency":           {noAgency: true, wantMissing: true, inMsg: "attach an agency"},
		"no agency (404)":     {fault: &cphtest.Fault{Operation: "GetSecurityKey", Status: http.StatusNotFound, Body: "not found"}, wantMissing: true, inMsg: "attach an agency"},
		"no agency (JSON)":    {fault: &cphtest.Fault{Operation: "GetSecurityKey", Status: http.StatusUnauthorized, Body: `{"message":"Please configure Cloud Service Agency first"}`}, wantMissing: true},
		"nothing listens":     {closed: true, wantMissing: true, inMsg: "not on an ECS instance?"},
		"connection reset":    {fault: &cphtest.Fault{Reset: true}, wantMissing: true, inMsg: "no answer from"},
		"never answers":       {fault: &cphtest.Fault{Operation: "GetSecurityKey", Hang: true}, wantMissing: true, inMsg: "no answer from"},
		"server error":        {fault: &cphtest.Fault{Operation: "GetSecurityKey", Status: http.StatusInternalServerError, Body: "boom"}, inMsg: "status 500: boom"},
		"token route error":   {fault: &cphtest.Fault{Operation: "GetSessionToken", Status: http.StatusInternalServerError}, inMsg: "PUT /meta-data/latest/api/token: status 500"},
		"redirect not taken":  {fault: &cphtest.Fault{Operation: "GetSecurityKey", Status: http.StatusTemporaryRedirect, Header: http.Header{"Location": {"http://127.0.0.1:1/elsewhere"}}}, inMsg: "status 307"},
		"truncated answer":    {fault: &cphtest.Fault{Operation: "GetSecurityKey", Truncate: true}, inMsg: "GET /openstack/latest/securitykey"},
		"not JSON":            {fault: &cphtest.Fault{Operation: "GetSecurityKey", Status: http.StatusOK, Body: `{"credential":{"access":"A","secret":"` + metaSK + `"`}, wantErr: cph.ErrInvalidResponse},
		"no credential":       {fault: &cphtest.Fault{Operation: "GetSecurityKey", Status: http.StatusOK, Body: `{"other":{}}`}, wantErr: cph.ErrInvalidResponse},
		"no token":            {creds: cph.Credentials{AccessKey: "A", SecretKey: metaSK}, wantErr: cph.ErrInvalidResponse},
		"bad expiry":          {fault: &cphtest.Fault{Operation: "GetSecurityKey", Status: http.StatusOK, Body: `{"credential":{"access":"A","secret":"` + metaSK + `","securitytoken":"` + metaToken + `","expires_at":"tomorrow"}}`}, wantErr: cph.ErrInvalidResponse},
		"already expired":     {expires: time.Date(2020, 1, 8, 3, 50, 7, 574000000, time.UTC), wantErr: cph.ErrInvalidResponse, inMsg: "expire at 2020-01-08T03:50:07Z"},
		"unsendable key":      {creds: cph.Credentials{AccessKey: "A B", SecretKey: metaSK, SecurityToken: metaToken}, wantErr: cph.ErrInvalidCredentials},
		"camel-case accepted": {fault: &cphtest.Fault{Operation: "GetSecurityKey", Status: http.StatusOK, Body: `{"credential":{"access":"A","secret":"S","securityToken":"T","expires_at":"2030-01-01T00:00:00Z"}}`}},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			creds, expires := tc.creds, tc.expires
			if creds == (cph.Credentials{}) && !tc.noAgency {
				creds = metaCreds("META0001")
			}
			if expires.IsZero() {
				expires = valid
			}
			md := newMetaServer(t, creds, expires)
			if tc.fault != nil {
				md.InjectFault(1, *tc.fault)
			}
			if tc.closed {
				md.Close()
			}
			p := metaProvider(md, newMetaClock())
			cph.SetMetadataTimeout(p, 200*time.Millisecond)
			_, err := p.Retrieve(context.Background())
			if !tc.wantMissing && tc.wantErr == nil && tc.inMsg == "" {
				assert.NoError(t, err)
				return
			}
			require.Error(t, err)
			assert.Equal(t, tc.wantMissing, errors.Is(err, cph.ErrMissingCredentials), err.Error())
			if tc.wantErr != nil {
				assert.ErrorIs(t, err, tc.wantErr)
			}
			assert.Contains(t, err.Error(), tc.inMsg)
			assert.True(t, strings.HasPrefix(err.Error(), "cph: MetadataCredentials: "), err.Error())
			assert.NotContains(t, err.Error(), metaSK)
			assert.NotContains(t, err.Error(), metaToken)
			assert.NotContains(t, err.Error(), "cphtest-se", "no part of the session token")
		})
	}
}

func TestMetadataCredentialsCancelled(t *testing.T) {
	md := newMetaServer(t, metaCreds("META0001"), time.Now().Add(time.Hour))
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	_, err := metaProvider(md, newMetaClock()).Retrieve(ctx)
	require.Error(t, err)
	assert.ErrorIs(t, err, context.Canceled)
	assert.False(t, errors.Is(err, cph.ErrMissingCredentials), "a cancelled caller is not told that credentials are missing")
}

func TestMetadataCredentialsInChain(t *testing.T) {
	t.Setenv("HUAWEICLOUD_SDK_AK", "ENVAK0001")
	t.Setenv("HUAWEICLOUD_SDK_SK", metaSK)
	md := newMetaServer(t, metaCreds("META0001"), time.Now().Add(time.Hour))
	md.Close() // off ECS
	got, err := cph.ChainCredentials(metaProvider(md, newMetaClock()), cph.EnvCredentials()).Retrieve(context.Background())
	require.NoError(t, err)
	assert.Equal(t, cph.Credentials{AccessKey: "ENVAK0001", SecretKey: metaSK}, got)

	md2 := newMetaServer(t, metaCreds("META0001"), time.Now().Add(time.Hour))
	md2.InjectFault(1, cphtest.Fault{Operation: "GetSecurityKey", Status: http.StatusInternalServerError})
	_, err = cph.ChainCredentials(metaProvider(md2, newMetaClock()), cph.EnvCredentials()).Retrieve(context.Background())
	assert.Error(t, err, "a failing metadata service stops the chain")
}

// TestMetadataCredentialsSignRequests: a client with the metadata provider
// signs with the temporary keys and sends their security token.
func TestMetadataCredentialsSignRequests(t *testing.T) {
	md := newMetaServer(t, metaCreds("META0001"), time.Now().Add(time.Hour)) // on the real clock, as the signature's date is
	cloud := cphtest.NewServer(cphtest.WithCredentials(metaCreds("META0001")))
	t.Cleanup(cloud.Close)
	p := cph.MetadataCredentials(cph.WithMetadataEndpoint(md.URL))
	c, err := cph.NewClient(cph.WithEndpoint(cloud.URL), cph.WithProjectID(cloud.ProjectID()), cph.WithCredentialsProvider(p))
	require.NoError(t, err)
	_, gets := metaCounts(md)
	assert.Equal(t, 0, gets, "NewClient fetches nothing")

	for range 2 {
		_, err := c.ListPhoneImages(context.Background())
		require.NoError(t, err)
	}
	reqs := cloud.Requests()
	require.Len(t, reqs, 2)
	for _, r := range reqs {
		assert.Equal(t, "/v1/"+cloud.ProjectID()+"/cloud-phone/phone-images", r.Path)
		assert.Contains(t, r.Header.Get("Authorization"), "Access=META0001,")
		assert.Equal(t, metaToken, r.Header.Get("X-Security-Token"))
		assert.Contains(t, r.Header.Get("Authorization"), "x-security-token", "the token is signed")
	}
	_, gets = metaCounts(md)
	assert.Equal(t, 1, gets)
}

func TestWithMetadataEndpointInvalid(t *testing.T) {
	md := newMetaServer(t, metaCreds("META0001"), time.Now().Add(time.Hour))
	tests := map[string]string{
		"relative":     "127.0.0.1:8080",
		"not http":     "ftp://127.0.0.1",
		"no host":      "http://",
		"user info":    strings.Replace(md.URL, "://", "://user:pass-NOT-SHOWN@", 1),
		"query":        md.URL + "/?x=1",
		"fragment":     md.URL + "/#x",
		"bad port":     "http://127.0.0.1:99999",
		"not a URL":    "http://[::1",
		"later valid":  "", // an invalid one first, then a valid one: still an error
		"earlier good": "", // a valid one first, then an invalid one
	}
	for name, endpoint := range tests {
		t.Run(name, func(t *testing.T) {
			opts := []cph.MetadataOption{cph.WithMetadataEndpoint(endpoint)}
			switch name {
			case "later valid":
				opts = []cph.MetadataOption{cph.WithMetadataEndpoint(md.URL + "?x"), cph.WithMetadataEndpoint(md.URL)}
			case "earlier good":
				opts = []cph.MetadataOption{cph.WithMetadataEndpoint(md.URL), cph.WithMetadataEndpoint(md.URL + "?x")}
			}
			p := cph.MetadataCredentials(opts...)
			for range 2 { // every Retrieve
				_, err := p.Retrieve(context.Background())
				require.Error(t, err)
				assert.ErrorIs(t, err, cph.ErrInvalidEndpoint)
				assert.False(t, errors.Is(err, cph.ErrMissingCredentials), "a chain stops there")
				assert.True(t, strings.HasPrefix(err.Error(), "cph: MetadataCredentials: WithMetadataEndpoint: invalid endpoint: "), err.Error())
				assert.NotContains(t, err.Error(), "pass-NOT-SHOWN")
			}
			assert.Contains(t, fmt.Sprint(p), "WithMetadataEndpoint: invalid endpoint", "the provider says what is wrong")
			cph.AssertPrintsNoSecret(t, p, "pass-NOT-SHOWN")
			assert.Empty(t, md.Requests(), "nothing is sent")
		})
	}
}

func TestWithMetadataEndpointPath(t *testing.T) {
	md := newMetaServer(t, metaCreds("META0001"), time.Now().Add(time.Hour))
	tests := map[string]struct {
		endpoint string
		wantPath string // of the security key request
	}{
		"trailing slash dropped": {md.URL + "/", "/openstack/latest/securitykey"},
		"path before the routes": {md.URL + "/proxy/", "/proxy/openstack/latest/securitykey"},
		"empty keeps the last":   {"", "/openstack/latest/securitykey"},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			md.ResetRequests()
			p := cph.MetadataCredentials(cph.WithMetadataEndpoint(md.URL), cph.WithMetadataEndpoint(tc.endpoint))
			_, _ = p.Retrieve(context.Background())
			reqs := md.Requests()
			require.Len(t, reqs, 2)
			assert.Equal(t, tc.wantPath, reqs[1].Path)
		})
	}
}

func TestMetadataProviderPrintsNoSecretOnTheFake(t *testing.T) {
	md := newMetaServer(t, metaCreds("META0001"), time.Now().Add(time.Hour))
	p := cph.MetadataCredentials(cph.WithMetadataEndpoint(md.URL))
	cph.AssertPrintsNoSecret(t, p, "cphtest-session-1") // nothing fetched yet
	assert.Contains(t, fmt.Sprint(p), `Endpoint:"`+md.URL+`"`)

	creds, err := p.Retrieve(context.Background())
	require.NoError(t, err)
	require.Equal(t, metaSK, creds.SecretKey, "precondition: the provider holds the secrets now")

	cph.AssertPrintsNoSecret(t, p, metaSK, metaToken, "cphtest-session-1")
	assert.Contains(t, fmt.Sprint(p), `AccessKey:"****"`, "the access key shows masked")
	assert.Contains(t, fmt.Sprint(p), "Expires:")
}

// TestMetadataErrorAnswerQuotesNoSecret: an error answer of the metadata
// service whose body holds credentials (a broken service, or a proxy that
// returns the document with a 500) is reported without them; a plain error
// body is still quoted, so the service's own words are not lost.
func TestMetadataErrorAnswerQuotesNoSecret(t *testing.T) {
	tests := map[string]struct {
		body      string
		wantQuote string
	}{
		"a credential document": {body: `{"credential":{"access":"A","secret":"` + metaSK + `","securitytoken":"` + metaToken + `"}}`},
		"secret as text":        {body: "secret key is " + metaSK},
		"a plain error":         {body: "internal error, try later", wantQuote: ": internal error, try later"},
		"the session token echoed where the quote is cut": {body: strings.Repeat("x", 115) + " cphtest-session-1", wantQuote: ": " + strings.Repeat("x", 115) + " [RED"},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			md := newMetaServer(t, metaCreds("META0001"), time.Now().Add(time.Hour))
			md.InjectFault(1, cphtest.Fault{Operation: "GetSecurityKey", Status: http.StatusInternalServerError, Body: tc.body})
			p := cph.MetadataCredentials(cph.WithMetadataEndpoint(md.URL))

			_, err := p.Retrieve(context.Background())

			require.Error(t, err)
			assert.NotErrorIs(t, err, cph.ErrMissingCredentials, "a broken service stops a chain")
			assert.Contains(t, err.Error(), "status 500")
			assert.NotContains(t, err.Error(), metaSK)
			assert.NotContains(t, err.Error(), metaToken)
			assert.NotContains(t, err.Error(), "cphtest-se", "no part of the session token")
			if tc.wantQuote != "" {
				assert.Contains(t, err.Error(), tc.wantQuote)
			} else {
				assert.Contains(t, err.Error(), "body not shown")
			}
		})
	}
}

// TestMetadataProviderFormatIsStable pins the text a metadata provider
// prints as, under every verb and in slog, before and after it fetched.
func TestMetadataProviderFormatIsStable(t *testing.T) {
	clock := newMetaClock()
	md := newMetaServer(t, metaCreds("META0001"), clock.now().Add(time.Hour))
	md.SetClock(clock.now)
	p := metaProvider(md, clock)
	check := func(want string) {
		t.Helper()
		for _, verb := range []string{"%v", "%+v", "%#v", "%s", "%q", "%x", "%X", "%d", "%10.3s"} {
			assert.Equal(t, want, fmt.Sprintf(verb, p), verb)
		}
		var b bytes.Buffer
		slog.New(slog.NewJSONHandler(&b, nil)).Info("made", "p", p)
		assert.Contains(t, b.String(), `"p":"cph.MetadataCredentials{Endpoint:\"`+md.URL+`\"`, "slog logs the same text")
	}
	check(`cph.MetadataCredentials{Endpoint:"` + md.URL + `"}`)

	_, err := p.Retrieve(context.Background())
	require.NoError(t, err)
	check(`cph.MetadataCredentials{Endpoint:"` + md.URL + `", ` +
		`Credentials:cph.Credentials{AccessKey:"****", SecretKey:"[REDACTED]", SecurityToken:"[REDACTED]"}, Expires:2026-03-01T13:00:00Z}`)
}
