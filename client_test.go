package cph

import (
	"errors"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestNewClientReportsEveryProblem: every invalid option and every missing
// setting at once, each wrapping its sentinel, one line each; a setting an
// option refused is not reported missing too.
func TestNewClientReportsEveryProblem(t *testing.T) {
	isolateEnv(t)
	tests := map[string]struct {
		opts    []Option
		want    []error
		notWant []error
		lines   int
	}{
		"invalid options and missing credentials": {
			opts: []Option{WithRegion("not a region"), WithMaxAttempts(0), WithBackoff(-1, 0), WithUserAgent("a\nb"),
				WithMaxResponseBytes(0), WithMaxRetryAfter(-1), WithSigningAlgorithm("MD5"), WithIAMEndpoint("ftp://iam")},
			want:    []error{ErrInvalidEndpoint, ErrInvalidParameter, ErrMissingCredentials},
			notWant: []error{ErrMissingEndpoint, ErrMissingProjectID},
			lines:   9,
		},
		"invalid endpoint and project ID": {
			opts:    []Option{WithEndpoint("ftp://x"), WithProjectID("a/b"), WithCredentials(testCreds)},
			want:    []error{ErrInvalidEndpoint, ErrInvalidProjectID},
			notWant: []error{ErrMissingEndpoint, ErrMissingProjectID, ErrMissingCredentials},
			lines:   2,
		},
		"invalid project ID, no region": {
			opts:    []Option{WithEndpoint("https://cph.example.invalid"), WithProjectID("a/b"), WithCredentials(testCreds)},
			want:    []error{ErrInvalidProjectID},
			notWant: []error{ErrMissingProjectID},
			lines:   1,
		},
		"invalid option and missing endpoint": {
			opts:    []Option{WithMaxAttempts(-5), WithProjectID(testProjectID), WithCredentials(testCreds)},
			want:    []error{ErrInvalidParameter, ErrMissingEndpoint},
			notWant: []error{ErrInvalidEndpoint},
			lines:   2,
		},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			err := newClientRefused(t, tc.opts, tc.want)
			assert.Len(t, strings.Split(err.Error(), "\n"), tc.lines, err.Error())
			for _, notWant := range tc.notWant {
				assert.NotErrorIs(t, err, notWant)
			}
		})
	}
}

// newClientRefused checks that NewClient refuses opts with an error that
// is each of want and whose every line names the operation, and returns
// the error.
func newClientRefused(t *testing.T, opts []Option, want []error) error {
	t.Helper()
	c, err := NewClient(opts...)
	assert.Nil(t, c)
	require.Error(t, err)
	for _, w := range want {
		assert.ErrorIs(t, err, w)
	}
	for _, line := range strings.Split(err.Error(), "\n") {
		assert.True(t, strings.HasPrefix(line, "cph: NewClient: "), line)
	}
	return err
}

func TestNewClientEndpoint(t *testing.T) {
	base := []Option{WithProjectID(testProjectID), WithCredentials(testCreds)}
	tests := map[string]struct {
		opts         []Option
		wantRegion   string
		wantEndpoint string
	}{
		"region":                 {[]Option{WithRegion("cn-north-4")}, "cn-north-4", "https://cph.cn-north-4.myhuaweicloud.com"},
		"other region":           {[]Option{WithRegion("ap-southeast-1")}, "ap-southeast-1", "https://cph.ap-southeast-1.myhuaweicloud.com"},
		"endpoint only":          {[]Option{WithEndpoint("https://cph.example.com")}, "", "https://cph.example.com"},
		"endpoint overrides":     {[]Option{WithRegion("cn-north-4"), WithEndpoint("https://proxy.example.com:8443")}, "cn-north-4", "https://proxy.example.com:8443"},
		"endpoint before region": {[]Option{WithEndpoint("https://proxy.example.com"), WithRegion("cn-east-3")}, "cn-east-3", "https://proxy.example.com"},
		"trailing slash dropped": {[]Option{WithEndpoint("https://cph.example.com/")}, "", "https://cph.example.com"},
		"path prefix kept":       {[]Option{WithEndpoint("https://gw.example.com/cph/")}, "", "https://gw.example.com/cph"},
		"loopback http":          {[]Option{WithEndpoint("http://127.0.0.1:8080")}, "", "http://127.0.0.1:8080"},
		"nil option ignored":     {[]Option{nil, WithRegion("cn-south-1"), nil}, "cn-south-1", "https://cph.cn-south-1.myhuaweicloud.com"},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			c, err := NewClient(append(append([]Option{}, base...), tc.opts...)...)
			require.NoError(t, err)
			assert.Equal(t, tc.wantRegion, c.Region())
			assert.Equal(t, tc.wantEndpoint, c.Endpoint())
			assert.Equal(t, testProjectID, c.ProjectID())
		})
	}
}

func TestNewClientHTTPClient(t *testing.T) {
	base := []Option{WithRegion("cn-north-4"), WithProjectID(testProjectID), WithCredentials(testCreds)}

	c, err := NewClient(base...)
	require.NoError(t, err)
	assert.NotSame(t, http.DefaultClient, c.hc, "the library uses its own client")
	require.NotNil(t, c.hc.CheckRedirect)
	assert.True(t, errors.Is(c.hc.CheckRedirect(nil, nil), http.ErrUseLastResponse), "redirects are not followed")

	jar := &cookieJar{}
	mine := &http.Client{Transport: &http.Transport{}, Jar: jar, Timeout: time.Second}
	c, err = NewClient(append(base, WithHTTPClient(mine))...)
	require.NoError(t, err)
	assert.Same(t, mine.Transport, c.hc.Transport, "a caller's transport is used")
	assert.Same(t, jar, c.hc.Jar, "and its cookie jar")
	assert.Equal(t, time.Second, c.hc.Timeout, "and its timeout")
	require.NotNil(t, c.hc.CheckRedirect)
	assert.ErrorIs(t, c.hc.CheckRedirect(nil, nil), http.ErrUseLastResponse, "but its redirect policy is not")
	assert.Nil(t, mine.CheckRedirect, "the caller's client is left unchanged")
}

// cookieJar is an http.CookieJar that keeps nothing.
type cookieJar struct{}

func (*cookieJar) SetCookies(*url.URL, []*http.Cookie) {}
func (*cookieJar) Cookies(*url.URL) []*http.Cookie     { return nil }
