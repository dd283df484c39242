package cph

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// fakeClock is a settable clock for expiry tests.
type fakeClock struct {
	mu sync.Mutex
	t  time.Time
}

func newFakeClock() *fakeClock {
	return &fakeClock{t: time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)}
}

func (c *fakeClock) now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *fakeClock) advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

// fakeMetadata is a loopback ECS metadata service. Each credentials fetch
// returns a new access key, META0001, META0002, ..., expiring after
// lifetime from the fake clock's now.
type fakeMetadata struct {
	t     *testing.T
	srv   *httptest.Server
	clock *fakeClock

	mu        sync.Mutex
	lifetime  time.Duration
	noTokens  bool          // the token route answers 404
	token     string        // the session token now valid
	status    int           // if set, the credentials route answers this
	body      string        // if set, the credentials route answers this body
	gate      chan struct{} // if set, the credentials route waits for it
	puts      int
	gets      int
	getTokens []string // the X-Metadata-Token of each GET
}

func newFakeMetadata(t *testing.T, clock *fakeClock) *fakeMetadata {
	t.Helper()
	f := &fakeMetadata{t: t, clock: clock, lifetime: time.Hour, token: "session-1"}
	f.srv = httptest.NewServer(http.HandlerFunc(f.serve))
	t.Cleanup(f.srv.Close)
	return f
}

func (f *fakeMetadata) set(change func(f *fakeMetadata)) {
	f.mu.Lock()
	defer f.mu.Unlock()
	change(f)
}

func (f *fakeMetadata) counts() (puts, gets int) {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.puts, f.gets
}

func (f *fakeMetadata) serve(w http.ResponseWriter, r *http.Request) {
	switch {
	case r.Method == http.MethodPut && r.URL.Path == "/meta-data/latest/api/token":
		f.mu.Lock()
		defer f.mu.Unlock()
		f.puts++
		if f.noTokens {
			http.NotFound(w, r)
			return
		}
		assert.Equal(f.t, "21600", r.Header.Get("X-Metadata-Token-Ttl-Seconds"))
		_, _ = w.Write([]byte(f.token))
	case r.Method == http.MethodGet && r.URL.Path == "/openstack/latest/securitykey":
		f.mu.Lock()
		f.gets++
		n, gate := f.gets, f.gate
		f.getTokens = append(f.getTokens, r.Header.Get("X-Metadata-Token"))
		tokenOK := f.noTokens || r.Header.Get("X-Metadata-Token") == f.token
		status, body, lifetime := f.status, f.body, f.lifetime
		f.mu.Unlock()
		if gate != nil {
			<-gate
		}
		switch {
		case !tokenOK:
			http.Error(w, "token expired", http.StatusUnauthorized)
		case status == http.StatusTemporaryRedirect:
			http.Redirect(w, r, "http://127.0.0.1:1/elsewhere", status)
		case status != 0:
			http.Error(w, body, status)
		case body != "":
			_, _ = w.Write([]byte(body))
		default:
			expires := f.clock.now().Add(lifetime).UTC().Format("2006-01-02T15:04:05.000000Z")
			fmt.Fprintf(w, `{"credential":{"access":"META%04d","secret":"%s","securitytoken":"%s","expires_at":"%s"}}`,
				n, fakeSK, fakeToken, expires)
		}
	default:
		http.Error(w, "unexpected "+r.Method+" "+r.URL.Path, http.StatusTeapot)
	}
}

// provider returns a metadata provider of the fake, on the fake clock.
func (f *fakeMetadata) provider() *metadataProvider {
	p := newMetadataProvider(f.srv.URL)
	p.now = f.clock.now
	p.timeout = 2 * time.Second
	return p
}

func TestMetadataCredentialsDefaultAddress(t *testing.T) {
	p, ok := MetadataCredentials().(*metadataProvider)
	require.True(t, ok)
	// Only looked at: no test ever sends anything to it.
	assert.Equal(t, "http://169.254.169.254", p.endpoint)
	assert.Nil(t, p.hc.Transport.(*http.Transport).Proxy, "never through a proxy")
	assert.Empty(t, p.cache().creds, "making it fetches nothing")
}

func TestMetadataCredentialsFetchAndCache(t *testing.T) {
	clock := newFakeClock()
	md := newFakeMetadata(t, clock)
	p := md.provider()

	got, err := p.Retrieve(context.Background())
	require.NoError(t, err)
	assert.Equal(t, Credentials{AccessKey: "META0001", SecretKey: fakeSK, SecurityToken: fakeToken}, got)
	puts, gets := md.counts()
	assert.Equal(t, 1, puts)
	assert.Equal(t, 1, gets)
	assert.Equal(t, []string{"session-1"}, md.getTokens, "the credentials are asked with the session token")

	clock.advance(30 * time.Minute)
	again, err := p.Retrieve(context.Background())
	require.NoError(t, err)
	assert.Equal(t, got, again)
	puts, gets = md.counts()
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
			clock := newFakeClock()
			md := newFakeMetadata(t, clock)
			md.set(func(f *fakeMetadata) { f.lifetime = tc.lifetime })
			p := md.provider()
			start := clock.now()

			first, err := p.Retrieve(context.Background())
			require.NoError(t, err)
			clock.advance(tc.stillCache)
			cached, err := p.Retrieve(context.Background())
			require.NoError(t, err)
			assert.Equal(t, first.AccessKey, cached.AccessKey)

			clock.advance(tc.refreshed - clock.now().Sub(start))
			fresh, err := p.Retrieve(context.Background())
			require.NoError(t, err)
			assert.Equal(t, "META0002", fresh.AccessKey)
			puts, gets := md.counts()
			assert.Equal(t, 2, gets)
			assert.Equal(t, tc.wantPuts, puts, "the session token is reused while it is valid")
		})
	}
}

func TestMetadataCredentialsFailedRefreshKeepsValidCredentials(t *testing.T) {
	clock := newFakeClock()
	md := newFakeMetadata(t, clock)
	p := md.provider()
	first, err := p.Retrieve(context.Background())
	require.NoError(t, err)

	md.set(func(f *fakeMetadata) { f.status = http.StatusInternalServerError })
	clock.advance(50 * time.Minute) // due for refresh, valid for 10 more minutes
	got, err := p.Retrieve(context.Background())
	require.NoError(t, err)
	assert.Equal(t, first, got, "still valid: used while the service fails")
	_, gets := md.counts()
	assert.Equal(t, 2, gets)

	_, err = p.Retrieve(context.Background())
	require.NoError(t, err)
	_, gets = md.counts()
	assert.Equal(t, 2, gets, "not asked again right after a failure")

	clock.advance(2 * time.Minute)
	_, err = p.Retrieve(context.Background())
	require.NoError(t, err)
	_, gets = md.counts()
	assert.Equal(t, 3, gets, "asked again a minute later")

	clock.advance(7*time.Minute + 30*time.Second) // within a minute of expiry
	_, err = p.Retrieve(context.Background())
	require.Error(t, err, "near expiry the failure shows")
	assert.Contains(t, err.Error(), "status 500")

	md.set(func(f *fakeMetadata) { f.status = 0 })
	got, err = p.Retrieve(context.Background())
	require.NoError(t, err)
	assert.Equal(t, "META0005", got.AccessKey)
}

func TestMetadataCredentialsConcurrentCallersShareOneFetch(t *testing.T) {
	const callers = 8
	clock := newFakeClock()
	md := newFakeMetadata(t, clock)
	gate, openGate := newGate(t)
	md.set(func(f *fakeMetadata) { f.gate = gate })
	p := md.provider()

	var wg sync.WaitGroup
	results := make([]Credentials, callers)
	errs := make([]error, callers)
	for i := range callers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			results[i], errs[i] = p.Retrieve(context.Background())
		}()
	}
	require.Eventually(t, func() bool { return p.cache().group.waiting() == callers-1 }, 5*time.Second, time.Millisecond,
		"all but one caller wait for the fetch in flight")
	openGate()
	wg.Wait()
	for i := range callers {
		require.NoError(t, errs[i])
		assert.Equal(t, "META0001", results[i].AccessKey)
	}
	puts, gets := md.counts()
	assert.Equal(t, 1, puts)
	assert.Equal(t, 1, gets)
}

func TestMetadataCredentialsWaiterCancelled(t *testing.T) {
	clock := newFakeClock()
	md := newFakeMetadata(t, clock)
	gate, openGate := newGate(t)
	md.set(func(f *fakeMetadata) { f.gate = gate })
	p := md.provider()

	leader := make(chan error, 1)
	go func() {
		_, err := p.Retrieve(context.Background())
		leader <- err
	}()
	require.Eventually(t, func() bool { _, gets := md.counts(); return gets == 1 }, 5*time.Second, time.Millisecond)

	ctx, cancel := context.WithCancel(context.Background())
	waiter := make(chan error, 1)
	go func() {
		_, err := p.Retrieve(ctx)
		waiter <- err
	}()
	require.Eventually(t, func() bool { return p.cache().group.waiting() == 1 }, 5*time.Second, time.Millisecond)
	cancel()
	err := <-waiter
	assert.ErrorIs(t, err, context.Canceled)
	assert.True(t, strings.HasPrefix(err.Error(), "cph: MetadataCredentials: "), err.Error())

	openGate()
	assert.NoError(t, <-leader, "the fetch goes on for the caller that runs it")
}

func TestMetadataCredentialsSessionToken(t *testing.T) {
	t.Run("a refused token is renewed once", func(t *testing.T) {
		clock := newFakeClock()
		md := newFakeMetadata(t, clock)
		p := md.provider()
		_, err := p.Retrieve(context.Background())
		require.NoError(t, err)

		md.set(func(f *fakeMetadata) { f.token = "session-2" })
		clock.advance(50 * time.Minute)
		got, err := p.Retrieve(context.Background())
		require.NoError(t, err)
		assert.Equal(t, "META0003", got.AccessKey)
		puts, _ := md.counts()
		assert.Equal(t, 2, puts)
		assert.Equal(t, []string{"session-1", "session-1", "session-2"}, md.getTokens)
	})
	t.Run("renewed when it ages", func(t *testing.T) {
		clock := newFakeClock()
		md := newFakeMetadata(t, clock)
		md.set(func(f *fakeMetadata) { f.lifetime = 12 * time.Hour })
		p := md.provider()
		_, err := p.Retrieve(context.Background())
		require.NoError(t, err)
		clock.advance(11*time.Hour + 50*time.Minute)
		_, err = p.Retrieve(context.Background())
		require.NoError(t, err)
		puts, gets := md.counts()
		assert.Equal(t, 2, puts, "a 6-hour token is not used after its time")
		assert.Equal(t, 2, gets)
	})
	t.Run("service without tokens", func(t *testing.T) {
		clock := newFakeClock()
		md := newFakeMetadata(t, clock)
		md.set(func(f *fakeMetadata) { f.noTokens = true })
		got, err := md.provider().Retrieve(context.Background())
		require.NoError(t, err)
		assert.Equal(t, "META0001", got.AccessKey)
		assert.Equal(t, []string{""}, md.getTokens, "asked without a token")
	})
}

func TestMetadataCredentialsErrors(t *testing.T) {
	tests := map[string]struct {
		status      int
		body        string
		closed      bool // nothing listens
		wantMissing bool
		wantErr     error
		inMsg       string
	}{
		"no agency (404)":     {status: http.StatusNotFound, body: "not found", wantMissing: true, inMsg: "attach an agency"},
		"no agency (401)":     {status: http.StatusUnauthorized, body: `{"message":"Please configure Cloud Service Agency first"}`, wantMissing: true},
		"nothing listens":     {closed: true, wantMissing: true, inMsg: "not on an ECS instance?"},
		"server error":        {status: http.StatusInternalServerError, body: "boom", inMsg: "status 500: boom"},
		"redirect not taken":  {status: http.StatusTemporaryRedirect, inMsg: "status 307"},
		"not JSON":            {body: `{"credential":{"access":"A","secret":"` + fakeSK + `"`, wantErr: ErrInvalidResponse},
		"no credential":       {body: `{"other":{}}`, wantErr: ErrInvalidResponse},
		"no token":            {body: `{"credential":{"access":"A","secret":"` + fakeSK + `","expires_at":"2030-01-01T00:00:00Z"}}`, wantErr: ErrInvalidResponse},
		"bad expiry":          {body: `{"credential":{"access":"A","secret":"` + fakeSK + `","securitytoken":"` + fakeToken + `","expires_at":"tomorrow"}}`, wantErr: ErrInvalidResponse},
		"already expired":     {body: `{"credential":{"access":"A","secret":"` + fakeSK + `","securitytoken":"` + fakeToken + `","expires_at":"2020-01-08T03:50:07.574000Z"}}`, wantErr: ErrInvalidResponse, inMsg: "expire at 2020-01-08T03:50:07Z"},
		"unsendable key":      {body: `{"credential":{"access":"A B","secret":"` + fakeSK + `","securitytoken":"` + fakeToken + `","expires_at":"2030-01-01T00:00:00Z"}}`, wantErr: ErrInvalidCredentials},
		"camel-case accepted": {body: `{"credential":{"access":"A","secret":"S","securityToken":"T","expires_at":"2030-01-01T00:00:00Z"}}`},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			clock := newFakeClock()
			md := newFakeMetadata(t, clock)
			md.set(func(f *fakeMetadata) { f.status, f.body = tc.status, tc.body })
			if tc.closed {
				md.srv.Close()
			}
			_, err := md.provider().Retrieve(context.Background())
			if !tc.wantMissing && tc.wantErr == nil && tc.inMsg == "" {
				assert.NoError(t, err)
				return
			}
			require.Error(t, err)
			assert.Equal(t, tc.wantMissing, errors.Is(err, ErrMissingCredentials), err.Error())
			if tc.wantErr != nil {
				assert.ErrorIs(t, err, tc.wantErr)
			}
			assert.Contains(t, err.Error(), tc.inMsg)
			assert.True(t, strings.HasPrefix(err.Error(), "cph: MetadataCredentials: "), err.Error())
			assertNoSecret(t, err.Error())
		})
	}
}

func TestMetadataCredentialsCancelled(t *testing.T) {
	clock := newFakeClock()
	md := newFakeMetadata(t, clock)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	_, err := md.provider().Retrieve(ctx)
	require.Error(t, err)
	assert.ErrorIs(t, err, context.Canceled)
	assert.False(t, errors.Is(err, ErrMissingCredentials), "a cancelled caller is not told that credentials are missing")
}

func TestMetadataCredentialsInChain(t *testing.T) {
	isolateEnv(t)
	t.Setenv(envAccessKey, fakeAK)
	t.Setenv(envSecretKey, fakeSK)
	md := newFakeMetadata(t, newFakeClock())
	md.srv.Close() // off ECS
	got, err := ChainCredentials(md.provider(), EnvCredentials()).Retrieve(context.Background())
	require.NoError(t, err)
	assert.Equal(t, fakeCreds, got)

	md2 := newFakeMetadata(t, newFakeClock())
	md2.set(func(f *fakeMetadata) { f.status = http.StatusInternalServerError })
	_, err = ChainCredentials(md2.provider(), EnvCredentials()).Retrieve(context.Background())
	assert.Error(t, err, "a failing metadata service stops the chain")
}

// TestMetadataCredentialsSignRequests: a client with the metadata provider
// signs with the temporary keys and sends their security token.
func TestMetadataCredentialsSignRequests(t *testing.T) {
	isolateEnv(t)
	md := newFakeMetadata(t, &fakeClock{t: time.Now()}) // the signature's date is real time
	cloud := newFakeCloud(t)
	cloud.set(func(f *fakeCloud) { f.keys["META0001"] = fakeSK })
	p := md.provider()
	p.now = md.clock.now
	c, err := NewClient(WithEndpoint(cloud.srv.URL), WithProjectID(fakeProjectID), WithCredentialsProvider(p))
	require.NoError(t, err)
	_, gets := md.counts()
	assert.Equal(t, 0, gets, "NewClient fetches nothing")

	require.NoError(t, listOnce(c))
	require.NoError(t, listOnce(c))
	reqs := cloud.requests(imagesPath(fakeProjectID))
	require.Len(t, reqs, 2)
	for _, r := range reqs {
		assert.Contains(t, r.Header.Get("Authorization"), "Access=META0001,")
		assert.Equal(t, fakeToken, r.Header.Get("X-Security-Token"))
		assert.Contains(t, r.Header.Get("Authorization"), "x-security-token", "the token is signed")
	}
	_, gets = md.counts()
	assert.Equal(t, 1, gets)
}
