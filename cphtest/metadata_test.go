package cphtest_test

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/cph-go/cph"
	"github.com/cph-go/cph/cphtest"
)

const (
	mdTokenPath = "/meta-data/latest/api/token"
	mdKeyPath   = "/openstack/latest/securitykey"
)

var (
	mdCreds   = cph.Credentials{AccessKey: "MDTESTAK0001", SecretKey: "md-secret", SecurityToken: "md-security-token"}
	mdExpires = time.Date(2026, 3, 1, 13, 0, 0, 0, time.FixedZone("UTC+8", 8*3600))
)

// mdBody is what the fake serves for mdCreds and mdExpires: expires_at in
// UTC with microseconds.
const mdBody = `{"credential":{"access":"MDTESTAK0001","expires_at":"2026-03-01T05:00:00.000000Z",` +
	`"secret":"md-secret","securitytoken":"md-security-token"}}`

// newMD starts a metadata server closed when the test ends.
func newMD(t *testing.T, creds cph.Credentials, expires time.Time) *cphtest.MetadataServer {
	t.Helper()
	srv := cphtest.NewMetadataServer(creds, expires)
	t.Cleanup(srv.Close)
	return srv
}

// mdAnswer is an answer of the fake.
type mdAnswer struct {
	status int
	header http.Header
	body   string
}

// mdSend sends method path with headers (name, value pairs) to srv.
func mdSend(t *testing.T, srv *cphtest.MetadataServer, method, path string, headers ...string) mdAnswer {
	t.Helper()
	a, err := mdTry(ctx(t), srv, method, path, headers...)
	require.NoError(t, err)
	return a
}

// mdTry is mdSend returning the error of the exchange, on a connection of
// its own.
func mdTry(ctx context.Context, srv *cphtest.MetadataServer, method, path string, headers ...string) (mdAnswer, error) {
	return mdTryURL(ctx, method, srv.URL+path, headers...)
}

// mdTryURL is mdTry to any URL, a Server's too. The answer is kept when
// reading its body fails.
func mdTryURL(ctx context.Context, method, url string, headers ...string) (mdAnswer, error) {
	req, err := http.NewRequestWithContext(ctx, method, url, http.NoBody)
	if err != nil {
		return mdAnswer{}, err
	}
	for i := 0; i+1 < len(headers); i += 2 {
		req.Header.Set(headers[i], headers[i+1])
	}
	tr := &http.Transport{}
	defer tr.CloseIdleConnections()
	resp, err := tr.RoundTrip(req)
	if err != nil {
		return mdAnswer{}, err
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	return mdAnswer{status: resp.StatusCode, header: resp.Header, body: string(body)}, err
}

// mdToken asks srv for a session token.
func mdToken(t *testing.T, srv *cphtest.MetadataServer) string {
	t.Helper()
	a := mdSend(t, srv, http.MethodPut, mdTokenPath, "X-Metadata-Token-Ttl-Seconds", "21600")
	require.Equal(t, http.StatusOK, a.status, a.body)
	return a.body
}

func TestMetadataServerSessionTokens(t *testing.T) {
	srv := newMD(t, mdCreds, mdExpires)
	first := mdSend(t, srv, http.MethodPut, mdTokenPath, "X-Metadata-Token-Ttl-Seconds", "21600")
	assert.Equal(t, http.StatusOK, first.status)
	assert.Equal(t, "cphtest-session-1", first.body)
	assert.Equal(t, "text/plain; charset=utf-8", first.header.Get("Content-Type"))
	assert.Equal(t, "cphtest-session-2", mdToken(t, srv), "numbered in the order issued")

	tests := map[string]struct {
		headers    []string
		wantStatus int
	}{
		"no TTL: 6 hours":     {nil, http.StatusOK},
		"one minute":          {[]string{"X-Metadata-Token-Ttl-Seconds", "60"}, http.StatusOK},
		"six hours":           {[]string{"X-Metadata-Token-Ttl-Seconds", "21600"}, http.StatusOK},
		"under a minute":      {[]string{"X-Metadata-Token-Ttl-Seconds", "59"}, http.StatusBadRequest},
		"zero":                {[]string{"X-Metadata-Token-Ttl-Seconds", "0"}, http.StatusBadRequest},
		"over six hours":      {[]string{"X-Metadata-Token-Ttl-Seconds", "21601"}, http.StatusBadRequest},
		"not a number":        {[]string{"X-Metadata-Token-Ttl-Seconds", "6h"}, http.StatusBadRequest},
		"through a proxy":     {[]string{"X-Forwarded-For", "10.0.0.1"}, http.StatusForbidden},
		"proxy and valid TTL": {[]string{"X-Forwarded-For", "10.0.0.1", "X-Metadata-Token-Ttl-Seconds", "60"}, http.StatusForbidden},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			a := mdSend(t, srv, http.MethodPut, mdTokenPath, tc.headers...)
			assert.Equal(t, tc.wantStatus, a.status, a.body)
			if tc.wantStatus == http.StatusOK {
				assert.True(t, strings.HasPrefix(a.body, "cphtest-session-"), a.body)
				key := mdSend(t, srv, http.MethodGet, mdKeyPath, "X-Metadata-Token", a.body)
				assert.Equal(t, http.StatusOK, key.status, "the token is valid")
			}
		})
	}
}

func TestMetadataServerSecurityKey(t *testing.T) {
	srv := newMD(t, mdCreds, mdExpires)
	token := mdToken(t, srv)

	a := mdSend(t, srv, http.MethodGet, mdKeyPath, "X-Metadata-Token", token)
	assert.Equal(t, http.StatusOK, a.status)
	assert.Equal(t, "application/json", a.header.Get("Content-Type"))
	assert.JSONEq(t, mdBody, a.body)
	assert.Equal(t, strconv.Itoa(len(a.body)), a.header.Get("Content-Length"))

	tests := map[string]struct {
		required   bool
		headers    []string
		wantStatus int
	}{
		"valid token":                  {false, []string{"X-Metadata-Token", token}, http.StatusOK},
		"no token: optional":           {false, nil, http.StatusOK},
		"wrong token":                  {false, []string{"X-Metadata-Token", "cphtest-session-99"}, http.StatusUnauthorized},
		"valid token, tokens required": {true, []string{"X-Metadata-Token", token}, http.StatusOK},
		"no token, tokens required":    {true, nil, http.StatusUnauthorized},
		"wrong token, tokens required": {true, []string{"X-Metadata-Token", "x"}, http.StatusUnauthorized},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			srv.RequireSessionTokens(tc.required)
			a := mdSend(t, srv, http.MethodGet, mdKeyPath, tc.headers...)
			assert.Equal(t, tc.wantStatus, a.status, a.body)
			if tc.wantStatus == http.StatusOK {
				assert.JSONEq(t, mdBody, a.body)
			} else {
				assert.NotContains(t, a.body, "md-secret")
				assert.NotContains(t, a.body, "Please configure Cloud Service Agency first", "not the no-agency answer")
			}
		})
	}
}

func TestMetadataServerExpireSessionTokens(t *testing.T) {
	srv := newMD(t, mdCreds, mdExpires)
	old := mdToken(t, srv)
	srv.ExpireSessionTokens()
	assert.Equal(t, http.StatusUnauthorized, mdSend(t, srv, http.MethodGet, mdKeyPath, "X-Metadata-Token", old).status)
	renewed := mdToken(t, srv)
	assert.Equal(t, "cphtest-session-2", renewed)
	assert.Equal(t, http.StatusOK, mdSend(t, srv, http.MethodGet, mdKeyPath, "X-Metadata-Token", renewed).status)
	assert.Equal(t, http.StatusOK, mdSend(t, srv, http.MethodGet, mdKeyPath).status, "tokens stay optional")
}

// mdClock is a settable clock for the server.
type mdClock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *mdClock) now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *mdClock) advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

func TestMetadataServerTokenTTL(t *testing.T) {
	tests := map[string]struct {
		ttl   string // "" for none
		valid time.Duration
	}{
		"asked for a minute": {"60", time.Minute},
		"asked for an hour":  {"3600", time.Hour},
		"six hours unasked":  {"", 6 * time.Hour},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			clock := &mdClock{t: time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)}
			srv := newMD(t, mdCreds, mdExpires)
			srv.SetClock(clock.now)
			var headers []string
			if tc.ttl != "" {
				headers = []string{"X-Metadata-Token-Ttl-Seconds", tc.ttl}
			}
			token := mdSend(t, srv, http.MethodPut, mdTokenPath, headers...).body

			clock.advance(tc.valid - time.Second)
			assert.Equal(t, http.StatusOK, mdSend(t, srv, http.MethodGet, mdKeyPath, "X-Metadata-Token", token).status, "still valid")
			clock.advance(time.Second)
			assert.Equal(t, http.StatusUnauthorized, mdSend(t, srv, http.MethodGet, mdKeyPath, "X-Metadata-Token", token).status, "expired")
			assert.Equal(t, clock.now(), srv.Requests()[2].Time, "stamped by the server's clock")
		})
	}
	t.Run("nil restores time.Now", func(t *testing.T) {
		srv := newMD(t, mdCreds, mdExpires)
		srv.SetClock(func() time.Time { return time.Date(2000, 1, 1, 0, 0, 0, 0, time.UTC) })
		srv.SetClock(nil)
		before := time.Now()
		mdSend(t, srv, http.MethodGet, mdKeyPath)
		assert.False(t, srv.Requests()[0].Time.Before(before))
	})
}

func TestMetadataServerAgency(t *testing.T) {
	t.Run("none attached", func(t *testing.T) {
		srv := newMD(t, cph.Credentials{}, time.Time{})
		a := mdSend(t, srv, http.MethodGet, mdKeyPath, "X-Metadata-Token", mdToken(t, srv))
		assert.Equal(t, http.StatusUnauthorized, a.status)
		assert.Equal(t, "Please configure Cloud Service Agency first", a.body)

		_, err := cph.MetadataCredentials(cph.WithMetadataEndpoint(srv.URL)).Retrieve(ctx(t))
		assert.ErrorIs(t, err, cph.ErrMissingCredentials, "the client takes it for an instance without an agency")
	})
	t.Run("SetCredentials renews and detaches", func(t *testing.T) {
		srv := newMD(t, mdCreds, mdExpires)
		renewed := cph.Credentials{AccessKey: "MDTESTAK0002", SecretKey: "s2", SecurityToken: "t2"}
		srv.SetCredentials(renewed, time.Date(2026, 3, 1, 6, 0, 0, 0, time.UTC))
		a := mdSend(t, srv, http.MethodGet, mdKeyPath)
		assert.JSONEq(t, `{"credential":{"access":"MDTESTAK0002","expires_at":"2026-03-01T06:00:00.000000Z","secret":"s2","securitytoken":"t2"}}`, a.body)

		srv.SetCredentials(cph.Credentials{}, time.Time{})
		a = mdSend(t, srv, http.MethodGet, mdKeyPath)
		assert.Equal(t, http.StatusUnauthorized, a.status)
		assert.Equal(t, "Please configure Cloud Service Agency first", a.body)
	})
	t.Run("expired credentials served as they are", func(t *testing.T) {
		srv := newMD(t, mdCreds, time.Date(2020, 1, 8, 3, 50, 7, 574000000, time.UTC))
		a := mdSend(t, srv, http.MethodGet, mdKeyPath)
		assert.Equal(t, http.StatusOK, a.status)
		assert.Contains(t, a.body, `"expires_at":"2020-01-08T03:50:07.574000Z"`)
	})
}

func TestMetadataServerOtherRoutes(t *testing.T) {
	srv := newMD(t, mdCreds, mdExpires)
	tests := map[string]struct {
		method, path string
		wantStatus   int
	}{
		"GET the token path":      {http.MethodGet, mdTokenPath, http.StatusMethodNotAllowed},
		"POST the token path":     {http.MethodPost, mdTokenPath, http.StatusMethodNotAllowed},
		"PUT the security key":    {http.MethodPut, mdKeyPath, http.StatusMethodNotAllowed},
		"other metadata":          {http.MethodGet, "/openstack/latest/meta_data.json", http.StatusNotFound},
		"EC2 style token path":    {http.MethodPut, "/latest/api/token", http.StatusNotFound},
		"security key, more path": {http.MethodGet, mdKeyPath + "/x", http.StatusNotFound},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			a := mdSend(t, srv, tc.method, tc.path)
			assert.Equal(t, tc.wantStatus, a.status)
			assert.NotContains(t, a.body, "md-secret")
		})
	}
}

func TestMetadataServerRequests(t *testing.T) {
	srv := newMD(t, mdCreds, mdExpires)
	before := time.Now()
	token := mdToken(t, srv)
	mdSend(t, srv, http.MethodGet, mdKeyPath+"?x=1", "X-Metadata-Token", token)
	after := time.Now()

	reqs := srv.Requests()
	require.Len(t, reqs, 2)
	assert.Equal(t, http.MethodPut, reqs[0].Method)
	assert.Equal(t, mdTokenPath, reqs[0].Path)
	assert.Equal(t, "21600", reqs[0].Header.Get("X-Metadata-Token-Ttl-Seconds"))
	assert.Equal(t, http.MethodGet, reqs[1].Method)
	assert.Equal(t, mdKeyPath, reqs[1].Path)
	assert.Equal(t, "1", reqs[1].Query.Get("x"))
	assert.Equal(t, token, reqs[1].Header.Get("X-Metadata-Token"))
	for _, r := range reqs {
		assert.False(t, r.Time.Before(before) || r.Time.After(after), "stamped when it arrived: %v", r.Time)
	}

	reqs[1].Header.Set("X-Metadata-Token", "changed")
	reqs[1].Query.Set("x", "changed")
	assert.Equal(t, token, srv.Requests()[1].Header.Get("X-Metadata-Token"), "a copy")
	assert.Equal(t, "1", srv.Requests()[1].Query.Get("x"), "a copy")

	srv.ResetRequests()
	assert.Empty(t, srv.Requests())
	mdSend(t, srv, http.MethodGet, mdKeyPath)
	assert.Len(t, srv.Requests(), 1)
}

func TestMetadataServerRequestsBounded(t *testing.T) {
	t.Parallel() // 10,001 requests
	srv := newMD(t, mdCreds, mdExpires)
	const sent = 10_001
	// Pipelined on one connection: one write, then the answers in order.
	conn, err := net.Dial("tcp", strings.TrimPrefix(srv.URL, "http://"))
	require.NoError(t, err)
	defer conn.Close()
	var reqs bytes.Buffer
	for i := range sent {
		fmt.Fprintf(&reqs, "GET /n/%d HTTP/1.1\r\nHost: md\r\n\r\n", i)
	}
	go func() { _, _ = conn.Write(reqs.Bytes()) }()
	r := bufio.NewReader(conn)
	for range sent {
		resp, err := http.ReadResponse(r, nil)
		require.NoError(t, err)
		_, _ = io.Copy(io.Discard, resp.Body)
		_ = resp.Body.Close()
	}
	got := srv.Requests()
	require.Len(t, got, 10_000, "the newest 10,000")
	assert.Equal(t, "/n/1", got[0].Path)
	assert.Equal(t, "/n/10000", got[len(got)-1].Path)
}

func TestMetadataServerFaultAnswers(t *testing.T) {
	tests := map[string]struct {
		fault      cphtest.Fault
		method     string
		path       string
		wantStatus int
		wantBody   string
		wantHeader http.Header
	}{
		"status and body": {fault: cphtest.Fault{Status: 500, Body: "<html>oops</html>"}, wantStatus: 500, wantBody: "<html>oops</html>",
			wantHeader: http.Header{"Content-Type": {"text/html; charset=utf-8"}}},
		"status, code and message": {fault: cphtest.Fault{Status: 503, Code: "MD.0001", Message: "busy"}, wantStatus: 503, wantBody: "MD.0001: busy",
			wantHeader: http.Header{"Content-Type": {"text/plain; charset=utf-8"}, "X-Request-Id": nil}},
		"status and message":   {fault: cphtest.Fault{Status: 503, Message: "busy"}, wantStatus: 503, wantBody: "busy"},
		"status and code":      {fault: cphtest.Fault{Status: 503, Code: "MD.0001"}, wantStatus: 503, wantBody: "MD.0001"},
		"status only":          {fault: cphtest.Fault{Status: 429}, wantStatus: 429, wantBody: "Too Many Requests"},
		"not a status is 500":  {fault: cphtest.Fault{Status: 42}, wantStatus: 500, wantBody: "Internal Server Error"},
		"informational status": {fault: cphtest.Fault{Status: 100}, wantStatus: 500, wantBody: "Internal Server Error"},
		"status 600 is 500":    {fault: cphtest.Fault{Status: 600, Code: "MD.0002"}, wantStatus: 500, wantBody: "MD.0002"},
		"a body on status 200": {fault: cphtest.Fault{Status: 200, Body: `{"credential":{}}`}, wantStatus: 200, wantBody: `{"credential":{}}`,
			wantHeader: http.Header{"Content-Type": {"application/json"}}},
		"a body without a status is 500": {fault: cphtest.Fault{Body: "{broken"}, wantStatus: 500, wantBody: "{broken",
			wantHeader: http.Header{"Content-Type": {"text/plain; charset=utf-8"}}},
		"a code without a status is 500": {fault: cphtest.Fault{Code: "X", Message: "y"}, wantStatus: 500, wantBody: "X: y"},
		"status 204 sends no body":       {fault: cphtest.Fault{Status: 204, Body: "dropped"}, wantStatus: 204, wantBody: ""},
		"headers added": {fault: cphtest.Fault{Status: 503, Header: http.Header{"Retry-After": {"7"}, "content-type": {"text/html"}}},
			wantStatus: 503, wantBody: "Service Unavailable",
			wantHeader: http.Header{"Retry-After": {"7"}, "Content-Type": {"text/html"}}},
		"headers on the normal answer": {fault: cphtest.Fault{Header: http.Header{"X-Extra": {"a", "b"}}},
			wantStatus: 200, wantBody: mdBody, wantHeader: http.Header{"X-Extra": {"a", "b"}, "Content-Type": {"application/json"}}},
		"headers cannot set Content-Length": {fault: cphtest.Fault{Status: 500, Body: "abc", Header: http.Header{"Content-Length": {"99"}}},
			wantStatus: 500, wantBody: "abc", wantHeader: http.Header{"Content-Length": {"3"}}},
		"narrowed to the token route, on the token route": {fault: cphtest.Fault{Operation: "GetSessionToken", Status: 404},
			method: http.MethodPut, path: mdTokenPath, wantStatus: 404, wantBody: "Not Found"},
		"narrowed to the token route, on the key route": {fault: cphtest.Fault{Operation: "GetSessionToken", Status: 404},
			wantStatus: 200, wantBody: mdBody},
		"narrowed to the key route":      {fault: cphtest.Fault{Operation: "GetSecurityKey", Status: 500}, wantStatus: 500, wantBody: "Internal Server Error"},
		"any operation, on another path": {fault: cphtest.Fault{Status: 502}, path: "/elsewhere", wantStatus: 502, wantBody: "Bad Gateway"},
		"an operation, on another path":  {fault: cphtest.Fault{Operation: "GetSecurityKey", Status: 502}, path: "/elsewhere", wantStatus: 404, wantBody: "Not Found"},
		"any operation, another method":  {fault: cphtest.Fault{Status: 502}, method: http.MethodPost, wantStatus: 502, wantBody: "Bad Gateway"},
		"an operation, another method":   {fault: cphtest.Fault{Operation: "GetSecurityKey", Status: 502}, method: http.MethodPost, wantStatus: 405, wantBody: "Method Not Allowed"},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			srv := newMD(t, mdCreds, mdExpires)
			srv.InjectFault(1, tc.fault)
			method, path := tc.method, tc.path
			if method == "" {
				method = http.MethodGet
			}
			if path == "" {
				path = mdKeyPath
			}
			a := mdSend(t, srv, method, path)
			assert.Equal(t, tc.wantStatus, a.status)
			if strings.HasPrefix(tc.wantBody, "{\"") {
				assert.JSONEq(t, tc.wantBody, a.body)
			} else {
				assert.Equal(t, tc.wantBody, a.body)
			}
			for name, values := range tc.wantHeader {
				assert.Equal(t, values, a.header.Values(name), name)
			}
			assert.NotEmpty(t, a.header.Get("Date"), "Date, as on every answer")
		})
	}
}

func TestMetadataServerFaultCounts(t *testing.T) {
	t.Run("the next n requests it applies to", func(t *testing.T) {
		srv := newMD(t, mdCreds, mdExpires)
		srv.InjectFault(2, cphtest.Fault{Operation: "GetSecurityKey", Status: 500})
		assert.Equal(t, "cphtest-session-1", mdToken(t, srv), "another operation: not counted")
		assert.Equal(t, 500, mdSend(t, srv, http.MethodGet, mdKeyPath).status)
		assert.Equal(t, 500, mdSend(t, srv, http.MethodGet, mdKeyPath).status)
		assert.Equal(t, 200, mdSend(t, srv, http.MethodGet, mdKeyPath).status)
	})
	t.Run("a later call queues after it", func(t *testing.T) {
		srv := newMD(t, mdCreds, mdExpires)
		srv.InjectFault(2, cphtest.Fault{Status: 500})
		srv.InjectFault(1, cphtest.Fault{Status: 503})
		var got []int
		for range 4 {
			got = append(got, mdSend(t, srv, http.MethodGet, mdKeyPath).status)
		}
		assert.Equal(t, []int{500, 500, 503, 200}, got, "in the order injected, then none")
	})
	t.Run("a request gets the first pending fault that matches it", func(t *testing.T) {
		srv := newMD(t, mdCreds, mdExpires)
		srv.InjectFault(1, cphtest.Fault{Operation: "GetSecurityKey", Status: 500})
		srv.InjectFault(1, cphtest.Fault{Status: 503})
		assert.Equal(t, 503, mdSend(t, srv, http.MethodPut, mdTokenPath).status, "the key's fault does not match")
		assert.Equal(t, 500, mdSend(t, srv, http.MethodGet, mdKeyPath).status)
		assert.Equal(t, 200, mdSend(t, srv, http.MethodGet, mdKeyPath).status)
	})
	t.Run("n < 1 injects nothing", func(t *testing.T) {
		for _, n := range []int{0, -1} {
			srv := newMD(t, mdCreds, mdExpires)
			srv.InjectFault(1, cphtest.Fault{Status: 500})
			srv.InjectFault(n, cphtest.Fault{Status: 503})
			assert.Equal(t, 500, mdSend(t, srv, http.MethodGet, mdKeyPath).status, "n = %d: the pending fault stays", n)
			assert.Equal(t, 200, mdSend(t, srv, http.MethodGet, mdKeyPath).status, "n = %d: and nothing after it", n)
		}
	})
	t.Run("a failed token request issues none", func(t *testing.T) {
		srv := newMD(t, mdCreds, mdExpires)
		srv.InjectFault(1, cphtest.Fault{Operation: "GetSessionToken", Status: 503})
		srv.InjectFault(1, cphtest.Fault{Operation: "GetSessionToken", Reset: true})
		assert.Equal(t, 503, mdSend(t, srv, http.MethodPut, mdTokenPath).status)
		_, err := mdTry(ctx(t), srv, http.MethodPut, mdTokenPath)
		require.Error(t, err)
		assert.Equal(t, "cphtest-session-1", mdToken(t, srv))
	})
	t.Run("a fault with no answer of its own leaves the token to the service", func(t *testing.T) {
		srv := newMD(t, mdCreds, mdExpires)
		srv.InjectFault(1, cphtest.Fault{Operation: "GetSessionToken", Header: http.Header{"X-Extra": {"1"}}})
		a := mdSend(t, srv, http.MethodPut, mdTokenPath)
		assert.Equal(t, "cphtest-session-1", a.body)
		assert.Equal(t, "1", a.header.Get("X-Extra"))
		assert.Equal(t, http.StatusOK, mdSend(t, srv, http.MethodGet, mdKeyPath, "X-Metadata-Token", a.body).status, "the token is valid")
	})
	t.Run("faults come before the service's checks", func(t *testing.T) {
		srv := newMD(t, mdCreds, mdExpires)
		srv.RequireSessionTokens(true)
		srv.InjectFault(1, cphtest.Fault{Operation: "GetSecurityKey", Status: 200, Body: "faked"})
		a := mdSend(t, srv, http.MethodGet, mdKeyPath) // no token
		assert.Equal(t, http.StatusOK, a.status)
		assert.Equal(t, "faked", a.body)
		assert.Equal(t, http.StatusUnauthorized, mdSend(t, srv, http.MethodGet, mdKeyPath).status, "then the check")
	})
	t.Run("the fault's header is its own", func(t *testing.T) {
		srv := newMD(t, mdCreds, mdExpires)
		h := http.Header{"Retry-After": {"1"}}
		srv.InjectFault(1, cphtest.Fault{Status: 503, Header: h})
		h.Set("Retry-After", "99")
		h.Set("X-Later", "x")
		a := mdSend(t, srv, http.MethodGet, mdKeyPath)
		assert.Equal(t, "1", a.header.Get("Retry-After"))
		assert.Empty(t, a.header.Get("X-Later"))
	})
	t.Run("faulted requests are recorded", func(t *testing.T) {
		srv := newMD(t, mdCreds, mdExpires)
		srv.InjectFault(1, cphtest.Fault{Reset: true})
		_, err := mdTry(ctx(t), srv, http.MethodGet, mdKeyPath)
		require.Error(t, err)
		require.Len(t, srv.Requests(), 1)
		assert.Equal(t, mdKeyPath, srv.Requests()[0].Path)
	})
}

func TestMetadataServerFaultDelivery(t *testing.T) {
	t.Run("Reset closes the connection", func(t *testing.T) {
		srv := newMD(t, mdCreds, mdExpires)
		srv.InjectFault(1, cphtest.Fault{Reset: true})
		_, err := mdTry(ctx(t), srv, http.MethodGet, mdKeyPath)
		require.Error(t, err)
		assert.True(t, errors.Is(err, syscall.ECONNRESET), "a TCP reset: %v", err)
		assert.Equal(t, 200, mdSend(t, srv, http.MethodGet, mdKeyPath).status, "one request only")
	})
	t.Run("Truncate sends half the declared body", func(t *testing.T) {
		srv := newMD(t, mdCreds, mdExpires)
		srv.InjectFault(1, cphtest.Fault{Truncate: true})
		a, err := mdTry(ctx(t), srv, http.MethodGet, mdKeyPath)
		require.ErrorIs(t, err, io.ErrUnexpectedEOF)
		assert.Equal(t, 200, a.status)
		full := mdSend(t, srv, http.MethodGet, mdKeyPath).body
		assert.Equal(t, strconv.Itoa(len(full)), a.header.Get("Content-Length"), "the whole body's length declared")
		assert.Equal(t, full[:len(full)/2], a.body)
	})
	t.Run("Truncate with a status", func(t *testing.T) {
		srv := newMD(t, mdCreds, mdExpires)
		srv.InjectFault(1, cphtest.Fault{Status: 500, Body: "0123456789", Truncate: true})
		a, err := mdTry(ctx(t), srv, http.MethodGet, mdKeyPath)
		require.ErrorIs(t, err, io.ErrUnexpectedEOF)
		assert.Equal(t, 500, a.status)
		assert.Equal(t, "01234", a.body)
	})
	t.Run("Delay holds the answer back", func(t *testing.T) {
		srv := newMD(t, mdCreds, mdExpires)
		srv.InjectFault(1, cphtest.Fault{Delay: time.Hour})
		short, cancel := context.WithTimeout(ctx(t), 50*time.Millisecond)
		defer cancel()
		_, err := mdTry(short, srv, http.MethodGet, mdKeyPath)
		assert.ErrorIs(t, err, context.DeadlineExceeded, "no answer before the delay")

		srv.InjectFault(1, cphtest.Fault{Delay: time.Millisecond, Status: 503})
		assert.Equal(t, 503, mdSend(t, srv, http.MethodGet, mdKeyPath).status, "then the fault's answer")
	})
	t.Run("Delay then the normal answer", func(t *testing.T) {
		srv := newMD(t, mdCreds, mdExpires)
		srv.InjectFault(1, cphtest.Fault{Delay: time.Millisecond})
		a := mdSend(t, srv, http.MethodGet, mdKeyPath)
		assert.Equal(t, 200, a.status)
		assert.JSONEq(t, mdBody, a.body)
	})
	t.Run("Hang until the request's context ends", func(t *testing.T) {
		srv := newMD(t, mdCreds, mdExpires)
		srv.InjectFault(1, cphtest.Fault{Hang: true, Status: 200})
		short, cancel := context.WithTimeout(ctx(t), 50*time.Millisecond)
		defer cancel()
		_, err := mdTry(short, srv, http.MethodGet, mdKeyPath)
		assert.ErrorIs(t, err, context.DeadlineExceeded)
		assert.Equal(t, 200, mdSend(t, srv, http.MethodGet, mdKeyPath).status, "the next request is answered")
	})
	t.Run("Hang until Close", func(t *testing.T) {
		srv := cphtest.NewMetadataServer(mdCreds, mdExpires)
		srv.InjectFault(1, cphtest.Fault{Hang: true})
		done := make(chan error, 1)
		go func() {
			_, err := mdTry(context.Background(), srv, http.MethodGet, mdKeyPath)
			done <- err
		}()
		require.Eventually(t, func() bool { return len(srv.Requests()) == 1 }, 5*time.Second, time.Millisecond)
		closed := make(chan struct{})
		go func() { srv.Close(); close(closed) }()
		select {
		case <-closed:
		case <-time.After(10 * time.Second):
			t.Fatal("Close waits for the hanging answer")
		}
		assert.ErrorIs(t, <-done, io.EOF, "the held request gets no answer: its connection is closed")
		srv.Close() // again: nothing happens
	})
}

// TestMetadataServerWithTheClient: cph.MetadataCredentials fetches from
// the fake, with a session token, and sees its faults.
func TestMetadataServerWithTheClient(t *testing.T) {
	srv := newMD(t, mdCreds, time.Now().Add(time.Hour))
	srv.RequireSessionTokens(true)
	p := cph.MetadataCredentials(cph.WithMetadataEndpoint(srv.URL))
	got, err := p.Retrieve(ctx(t))
	require.NoError(t, err)
	assert.Equal(t, mdCreds, got)
	reqs := srv.Requests()
	require.Len(t, reqs, 2)
	assert.Equal(t, "cphtest-session-1", reqs[1].Header.Get("X-Metadata-Token"))

	srv2 := newMD(t, mdCreds, time.Now().Add(time.Hour))
	srv2.InjectFault(1, cphtest.Fault{Operation: "GetSecurityKey", Status: 500, Body: "down"})
	_, err = cph.MetadataCredentials(cph.WithMetadataEndpoint(srv2.URL)).Retrieve(ctx(t))
	require.Error(t, err)
	assert.Contains(t, err.Error(), "status 500: down")
}

func TestMetadataServerConcurrentUse(t *testing.T) {
	srv := newMD(t, mdCreds, mdExpires)
	var wg sync.WaitGroup
	errs := make(chan error, 40)
	for i := range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for range 5 {
				switch i % 4 {
				case 0:
					srv.SetCredentials(mdCreds, mdExpires)
				case 1:
					srv.InjectFault(1, cphtest.Fault{Operation: "GetSessionToken", Status: 503})
				case 2:
					srv.ExpireSessionTokens()
				}
				_ = srv.Requests()
				a, err := mdTry(context.Background(), srv, http.MethodGet, mdKeyPath)
				if err == nil && a.status != http.StatusOK {
					err = errors.New(a.body)
				}
				errs <- err
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		assert.NoError(t, err)
	}
}
