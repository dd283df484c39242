package cph

import (
	"context"
	"errors"
	"net"
	"net/http"
	"strings"
	"sync"
	"syscall"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// failingDialer is an http.Client whose transport never reaches any
// network, not even a DNS server: every dial fails with the error fail
// makes for the host asked, and the hosts asked are recorded.
type failingDialer struct {
	mu    sync.Mutex
	hosts []string
}

func (d *failingDialer) client(fail func(host string) error) *http.Client {
	return &http.Client{Transport: &http.Transport{
		Proxy: nil,
		DialContext: func(_ context.Context, _, addr string) (net.Conn, error) {
			host, _, _ := net.SplitHostPort(addr)
			d.mu.Lock()
			d.hosts = append(d.hosts, host)
			d.mu.Unlock()
			return nil, fail(host)
		},
	}}
}

// noSuchHost is the resolver's answer for a name that does not exist.
func noSuchHost(host string) error {
	return &net.DNSError{Err: "no such host", Name: host, IsNotFound: true}
}

// refused is a dial refused after the name was found.
func refused(string) error {
	return &net.OpError{Op: "dial", Net: "tcp", Err: &net.AddrError{Err: syscall.ECONNREFUSED.Error()}}
}

// unknownRegionNote is what the error adds for region.
func unknownRegionNote(region string) string {
	return ` (region "` + region + `" is not a known CPH region; the known ones are ` + strings.Join(Regions(), ", ") + ")"
}

// listWithFailingDNS is the error of ListPhoneImages from a client made
// with opts in the environment env (setEnv) whose every dial fails with
// fail: the hosts it dialled, and the error.
func listWithFailingDNS(t *testing.T, env map[string]string, fail func(string) error, opts ...Option) ([]string, error) {
	t.Helper()
	setEnv(t, env, "")
	var d failingDialer
	base := []Option{WithCredentials(testCreds), WithHTTPClient(d.client(fail)), WithMaxAttempts(1)}
	c, err := NewClient(append(base, opts...)...)
	require.NoError(t, err)
	t.Cleanup(c.CloseIdleConnections)
	_, err = c.ListPhoneImages(context.Background())
	require.Error(t, err)
	return d.hosts, err
}

// TestUnknownRegionDNSFailure: a DNS failure of the endpoint made from a
// region not among Regions says so and lists the known ones, and
// errors.As still finds the *net.DNSError; a known region, an endpoint
// given by WithEndpoint, or a failure that is not DNS gets no note.
func TestUnknownRegionDNSFailure(t *testing.T) {
	tests := map[string]struct {
		opts     []Option
		env      map[string]string
		fail     func(string) error
		wantHost string
		attempts int    // 1 unless set
		wantNote string // "" for none
		wantDNS  bool
	}{
		"unknown region": {
			opts:     []Option{WithRegion("xx-yy-1"), WithProjectID(testProjectID)},
			fail:     noSuchHost,
			wantHost: "cph.xx-yy-1.myhuaweicloud.com",
			wantNote: unknownRegionNote("xx-yy-1"),
			wantDNS:  true,
		},
		"unknown region from HUAWEICLOUD_SDK_REGION": {
			opts:     []Option{WithProjectID(testProjectID)},
			env:      map[string]string{envRegion: "xx-yy-1"},
			fail:     noSuchHost,
			wantHost: "cph.xx-yy-1.myhuaweicloud.com",
			wantNote: unknownRegionNote("xx-yy-1"),
			wantDNS:  true,
		},
		"unknown region, temporary DNS failure": {
			opts: []Option{WithRegion("xx-yy-1"), WithProjectID(testProjectID)},
			fail: func(host string) error {
				return &net.DNSError{Err: "server misbehaving", Name: host, IsTemporary: true}
			},
			wantHost: "cph.xx-yy-1.myhuaweicloud.com",
			wantNote: unknownRegionNote("xx-yy-1"),
			wantDNS:  true,
		},
		"unknown region, temporary DNS failure retried: noted once": {
			opts: []Option{WithRegion("xx-yy-1"), WithProjectID(testProjectID), WithMaxAttempts(3), WithBackoff(0, 0)},
			fail: func(host string) error {
				return &net.DNSError{Err: "server misbehaving", Name: host, IsTemporary: true}
			},
			wantHost: "cph.xx-yy-1.myhuaweicloud.com",
			attempts: 3,
			wantNote: unknownRegionNote("xx-yy-1"),
			wantDNS:  true,
		},
		"unknown region, discovery's IAM host": {
			opts:     []Option{WithRegion("xx-yy-1")},
			fail:     noSuchHost,
			wantHost: "iam.xx-yy-1.myhuaweicloud.com",
			wantNote: unknownRegionNote("xx-yy-1"),
			wantDNS:  true,
		},
		"known region: no note": {
			opts:     []Option{WithRegion("cn-north-4"), WithProjectID(testProjectID)},
			fail:     noSuchHost,
			wantHost: "cph.cn-north-4.myhuaweicloud.com",
			wantDNS:  true,
		},
		"unknown region with WithEndpoint: no note": {
			opts:     []Option{WithRegion("xx-yy-1"), WithEndpoint("https://gw.example.com"), WithProjectID(testProjectID)},
			fail:     noSuchHost,
			wantHost: "gw.example.com",
			wantDNS:  true,
		},
		"unknown region with its endpoint variable: no note": {
			opts:     []Option{WithRegion("xx-yy-1"), WithProjectID(testProjectID)},
			env:      map[string]string{regionEndpointEnv("xx-yy-1"): "https://gw.example.com"},
			fail:     noSuchHost,
			wantHost: "gw.example.com",
			wantDNS:  true,
		},
		"only an endpoint: no note": {
			opts:     []Option{WithEndpoint("https://cph.xx-yy-1.myhuaweicloud.com"), WithProjectID(testProjectID)},
			fail:     noSuchHost,
			wantHost: "cph.xx-yy-1.myhuaweicloud.com",
			wantDNS:  true,
		},
		"unknown region, connection refused: no note": {
			opts:     []Option{WithRegion("xx-yy-1"), WithProjectID(testProjectID)},
			fail:     refused,
			wantHost: "cph.xx-yy-1.myhuaweicloud.com",
		},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			hosts, err := listWithFailingDNS(t, tc.env, tc.fail, tc.opts...)
			want := []string{tc.wantHost}
			for len(want) < tc.attempts {
				want = append(want, tc.wantHost)
			}
			require.Equal(t, want, hosts, "precondition: the hosts dialled")
			var dnsErr *net.DNSError
			assert.Equal(t, tc.wantDNS, errors.As(err, &dnsErr), "errors.As finds the *net.DNSError")
			if tc.wantNote == "" {
				assert.NotContains(t, err.Error(), "not a known CPH region")
				return
			}
			assert.True(t, strings.HasSuffix(err.Error(), tc.wantNote), "%q ends with %q", err, tc.wantNote)
			assert.Equal(t, 1, strings.Count(err.Error(), "not a known CPH region"), "noted once")
		})
	}
}
