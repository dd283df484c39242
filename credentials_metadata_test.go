package cph

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// The metadata provider's behaviour is tested against cphtest's
// MetadataServer, in credentials_metadata_external_test.go. What stays
// here looks at the provider from inside, sending nothing.

func TestMetadataCredentialsDefaultAddress(t *testing.T) {
	p, ok := MetadataCredentials().(*metadataProvider)
	require.True(t, ok)
	// Only looked at: no test ever sends anything to it.
	assert.Equal(t, "http://169.254.169.254", p.endpoint)
	assert.NoError(t, p.err)
	assert.Nil(t, p.hc.Transport.(*http.Transport).Proxy, "never through a proxy")
	assert.Empty(t, p.cache().creds, "making it fetches nothing")
}

func TestWithMetadataEndpoint(t *testing.T) {
	tests := map[string]struct {
		opts []MetadataOption
		want string
	}{
		"none":                    {nil, "http://169.254.169.254"},
		"empty keeps the default": {[]MetadataOption{WithMetadataEndpoint("")}, "http://169.254.169.254"},
		"nil option skipped":      {[]MetadataOption{nil}, "http://169.254.169.254"},
		"plain http to any host":  {[]MetadataOption{WithMetadataEndpoint("http://metadata.example.com:8080")}, "http://metadata.example.com:8080"},
		"https":                   {[]MetadataOption{WithMetadataEndpoint("https://metadata.example.com")}, "https://metadata.example.com"},
		"trailing slash dropped":  {[]MetadataOption{WithMetadataEndpoint("http://127.0.0.1:8080/")}, "http://127.0.0.1:8080"},
		"path kept":               {[]MetadataOption{WithMetadataEndpoint("http://127.0.0.1:8080/imds/")}, "http://127.0.0.1:8080/imds"},
		"the last wins":           {[]MetadataOption{WithMetadataEndpoint("http://127.0.0.1:1"), WithMetadataEndpoint("http://127.0.0.1:2")}, "http://127.0.0.1:2"},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			p := MetadataCredentials(tc.opts...).(*metadataProvider)
			require.NoError(t, p.err)
			assert.Equal(t, tc.want, p.endpoint)
			assert.Equal(t, `cph.MetadataCredentials{Endpoint:"`+tc.want+`"}`, fmt.Sprint(p))
		})
	}
}

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

// fakeMetadata is what is left of the hand-written metadata service, for
// TestMetadataProviderPrintsNoSecret in secrets_print_test.go only (which
// credentials_metadata_external_test.go repeats against cphtest): it
// issues the token "session-1" and serves fakeSK and fakeToken for an
// hour. Remove it with that test.
type fakeMetadata struct {
	srv   *httptest.Server
	clock *fakeClock
}

func newFakeMetadata(t *testing.T, clock *fakeClock) *fakeMetadata {
	t.Helper()
	f := &fakeMetadata{clock: clock}
	f.srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method == http.MethodPut {
			_, _ = w.Write([]byte("session-1"))
			return
		}
		fmt.Fprintf(w, `{"credential":{"access":"META0001","secret":"%s","securitytoken":"%s","expires_at":"%s"}}`,
			fakeSK, fakeToken, clock.now().Add(time.Hour).UTC().Format(time.RFC3339))
	}))
	t.Cleanup(f.srv.Close)
	return f
}

// provider returns a metadata provider of the fake, on the fake clock.
func (f *fakeMetadata) provider() *metadataProvider {
	p := newMetadataProvider(f.srv.URL)
	p.now = f.clock.now
	return p
}
