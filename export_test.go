package cph

import (
	"net/http"
	"testing"
	"time"
)

// Test hooks for the external tests (package cph_test), which point the
// metadata provider at a cphtest.MetadataServer. Each takes a provider made
// by MetadataCredentials and must be called before the provider is used.

// metadataOf returns p as the metadata provider it must be.
func metadataOf(p CredentialsProvider) *metadataProvider {
	mp, ok := p.(*metadataProvider)
	if !ok {
		panic("cph test hook: not a MetadataCredentials provider")
	}
	return mp
}

// SetMetadataClock makes p read the time from now.
func SetMetadataClock(p CredentialsProvider, now func() time.Time) { metadataOf(p).now = now }

// SetMetadataTimeout sets how long one fetch of p may take.
func SetMetadataTimeout(p CredentialsProvider, d time.Duration) { metadataOf(p).timeout = d }

// WrapMetadataTransport makes p send through wrap(its transport).
func WrapMetadataTransport(p CredentialsProvider, wrap func(http.RoundTripper) http.RoundTripper) {
	hc := metadataOf(p).hc
	hc.Transport = wrap(hc.Transport)
}

// MetadataWaiting returns how many callers of p wait for the fetch in
// flight.
func MetadataWaiting(p CredentialsProvider) int { return metadataOf(p).cache().group.Waiting() }

// AssertPrintsNoSecret checks that v prints none of secrets, however it is
// printed (crosscut_secrets_print_test.go).
func AssertPrintsNoSecret(t *testing.T, v any, secrets ...string) {
	t.Helper()
	assertPrintsNoSecret(t, v, secrets...)
}

// Test hooks into the Client for the internal tests (package cph). Each
// must be called before the client is used.

// setClock makes c read the time (signing dates, Retry-After dates, the
// skew correction) from now.
func (c *Client) setClock(now func() time.Time) { c.now = now }

// setJitter makes c draw its backoff jitter from rand, which returns a
// number in [0, n).
func (c *Client) setJitter(rand func(n int64) int64) { c.rand = rand }
