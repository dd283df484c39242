package cph

import (
	"crypto/tls"
	"net/http"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func reliabilityBase(endpoint string) []Option {
	return []Option{
		WithEndpoint(endpoint),
		WithProjectID(testProjectID),
		WithCredentials(testCreds),
	}
}

func TestReliabilityDefaults(t *testing.T) {
	c, err := NewClient(reliabilityBase("https://cph.cn-north-4.myhuaweicloud.com")...)
	require.NoError(t, err)
	assert.Equal(t, 3, c.maxAttempts)
	assert.Equal(t, 200*time.Millisecond, c.backoffBase)
	assert.Equal(t, 20*time.Second, c.backoffMax)
	assert.Equal(t, int64(32<<20), c.maxBodyBytes)
	assert.Equal(t, int64(64<<10), c.maxErrorBytes)
	assert.NotNil(t, c.rand)
	assert.Zero(t, c.skew.Load())
}

func TestReliabilityOptions(t *testing.T) {
	tests := map[string]struct {
		opt   Option
		check func(t *testing.T, c *Client)
	}{
		"max attempts 1": {opt: WithMaxAttempts(1), check: func(t *testing.T, c *Client) { assert.Equal(t, 1, c.maxAttempts) }},
		"max attempts 7": {opt: WithMaxAttempts(7), check: func(t *testing.T, c *Client) { assert.Equal(t, 7, c.maxAttempts) }},
		"backoff": {opt: WithBackoff(time.Second, time.Minute), check: func(t *testing.T, c *Client) {
			assert.Equal(t, time.Second, c.backoffBase)
			assert.Equal(t, time.Minute, c.backoffMax)
		}},
		"no backoff": {opt: WithBackoff(0, 0), check: func(t *testing.T, c *Client) {
			assert.Zero(t, c.backoffBase)
			assert.Zero(t, c.backoffMax)
		}},
		"max response bytes": {opt: WithMaxResponseBytes(1 << 10), check: func(t *testing.T, c *Client) {
			assert.Equal(t, int64(1<<10), c.maxBodyBytes)
			assert.Equal(t, int64(64<<10), c.maxErrorBytes, "error bodies keep their own cap")
		}},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			c, err := NewClient(append(reliabilityBase("https://cph.cn-north-4.myhuaweicloud.com"), tc.opt)...)
			require.NoError(t, err)
			tc.check(t, c)
		})
	}
}

func TestReliabilityOptionsRefused(t *testing.T) {
	tests := map[string]Option{
		"max attempts 0":          WithMaxAttempts(0),
		"max attempts -1":         WithMaxAttempts(-1),
		"negative base":           WithBackoff(-time.Second, time.Second),
		"max below base":          WithBackoff(time.Second, time.Millisecond),
		"max response bytes 0":    WithMaxResponseBytes(0),
		"max response bytes -100": WithMaxResponseBytes(-100),
	}
	for name, opt := range tests {
		t.Run(name, func(t *testing.T) {
			c, err := NewClient(append(reliabilityBase("https://cph.cn-north-4.myhuaweicloud.com"), opt)...)
			assert.Nil(t, c)
			require.ErrorIs(t, err, ErrInvalidParameter)
			assert.Contains(t, err.Error(), "cph: NewClient: ")
		})
	}
}

// TestInsecureEndpoint: plain http only to loopback hosts, unless allowed.
// NewClient sends nothing, so these endpoints are never contacted.
func TestInsecureEndpoint(t *testing.T) {
	tests := map[string]struct {
		endpoint string
		allow    bool
		wantErr  bool
	}{
		"https anywhere":                 {endpoint: "https://cph.cn-north-4.myhuaweicloud.com"},
		"http to 127.0.0.1":              {endpoint: "http://127.0.0.1:8080"},
		"http to 127.1.2.3":              {endpoint: "http://127.1.2.3"},
		"http to ::1":                    {endpoint: "http://[::1]:8080"},
		"http to localhost":              {endpoint: "http://localhost:8080"},
		"http to LOCALHOST":              {endpoint: "http://LOCALHOST"},
		"http to a public host":          {endpoint: "http://cph.cn-north-4.myhuaweicloud.com", wantErr: true},
		"http to a private address":      {endpoint: "http://10.0.0.1", wantErr: true},
		"http to a localhost look-alike": {endpoint: "http://localhost.example.com", wantErr: true},
		"http to a public host, allowed": {endpoint: "http://cph.cn-north-4.myhuaweicloud.com", allow: true},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			opts := reliabilityBase(tc.endpoint)
			if tc.allow {
				opts = append(opts, WithAllowInsecureHTTP())
			}
			c, err := NewClient(opts...)
			if !tc.wantErr {
				require.NoError(t, err)
				assert.NotNil(t, c)
				return
			}
			assert.Nil(t, c)
			require.ErrorIs(t, err, ErrInsecureEndpoint)
			assert.Contains(t, err.Error(), "cph: NewClient: insecure endpoint")
			assert.Contains(t, err.Error(), "WithAllowInsecureHTTP")
		})
	}
}

// TestLibraryHTTPClient checks the hardening of the library's own client.
func TestLibraryHTTPClient(t *testing.T) {
	c, err := NewClient(reliabilityBase("https://cph.cn-north-4.myhuaweicloud.com")...)
	require.NoError(t, err)
	require.NotSame(t, http.DefaultClient, c.hc)
	tr, ok := c.hc.Transport.(*http.Transport)
	require.True(t, ok, "the library's own *http.Transport")
	assert.NotSame(t, http.DefaultTransport, tr)
	require.NotNil(t, tr.TLSClientConfig)
	assert.Equal(t, uint16(tls.VersionTLS12), tr.TLSClientConfig.MinVersion)
	assert.False(t, tr.TLSClientConfig.InsecureSkipVerify, "certificates are verified")
	assert.NotNil(t, tr.DialContext, "a dialer with a timeout")
	assert.Positive(t, tr.TLSHandshakeTimeout)
	assert.Positive(t, tr.ResponseHeaderTimeout)
	assert.Positive(t, tr.MaxResponseHeaderBytes)
	assert.Positive(t, tr.MaxIdleConnsPerHost, "keep-alive connections are pooled")
	assert.Positive(t, tr.IdleConnTimeout)
	assert.False(t, tr.DisableKeepAlives)
	require.NotNil(t, c.hc.CheckRedirect)
	assert.ErrorIs(t, c.hc.CheckRedirect(nil, nil), http.ErrUseLastResponse, "redirects are not followed")

	own := &http.Client{Timeout: time.Second}
	c, err = NewClient(append(reliabilityBase("https://cph.cn-north-4.myhuaweicloud.com"), WithHTTPClient(own))...)
	require.NoError(t, err)
	assert.Equal(t, time.Second, c.hc.Timeout, "a caller's client's settings are used")
}
