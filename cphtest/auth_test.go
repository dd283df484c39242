package cphtest_test

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/cph-go/cph"
	"github.com/cph-go/cph/cphtest"
	"github.com/cph-go/cph/internal/sigv"
)

// tamper changes requests after the client signed them.
type tamper struct {
	change func(*http.Request)
}

func (t tamper) RoundTrip(req *http.Request) (*http.Response, error) {
	r := req.Clone(req.Context())
	t.change(r)
	return http.DefaultTransport.RoundTrip(r)
}

func tamperingClient(change func(*http.Request)) cph.Option {
	return cph.WithHTTPClient(&http.Client{Transport: tamper{change: change}})
}

// clockOffset returns a server clock that runs d ahead of the real one.
func clockOffset(d time.Duration) cphtest.Option {
	return cphtest.WithClock(func() time.Time { return time.Now().Add(d) })
}

func TestAuth_RejectsOurClient(t *testing.T) {
	token := cph.Credentials{AccessKey: cphtest.DefaultAccessKey, SecretKey: cphtest.DefaultSecretKey, SecurityToken: "session-token"}
	tests := map[string]struct {
		server  []cphtest.Option
		client  []cph.Option
		message string
	}{
		"wrong secret key": {
			client:  []cph.Option{cph.WithCredentials(cph.Credentials{AccessKey: cphtest.DefaultAccessKey, SecretKey: "wrong"})},
			message: "verify aksk signature fail",
		},
		"unknown access key": {
			client:  []cph.Option{cph.WithCredentials(cph.Credentials{AccessKey: "UNKNOWNACCESSKEY0000", SecretKey: cphtest.DefaultSecretKey})},
			message: "Get secretKey failed,ak:UNKNOWNACCESSKEY0000,err:ak not exist",
		},
		"tampered query": {
			client: []cph.Option{tamperingClient(func(r *http.Request) {
				r.URL.RawQuery = "image_type=private"
			})},
			message: "verify aksk signature fail",
		},
		"tampered signed header": {
			client: []cph.Option{tamperingClient(func(r *http.Request) {
				r.Header.Set("X-Project-Id", "ffffffffffffffffffffffffffffffff")
			})},
			message: "verify aksk signature fail",
		},
		"tampered path": {
			client: []cph.Option{tamperingClient(func(r *http.Request) {
				r.URL.Path = strings.Replace(r.URL.Path, "/v1/", "/v1/x/../", 1)
			})},
			message: "", // an unclean path is no API: 404, checked below
		},
		// With one attempt: given a retry, the client corrects its clock
		// from the answer's Date (tested in the root package).
		"server clock 16 minutes ahead": {
			server:  []cphtest.Option{clockOffset(16 * time.Minute)},
			client:  []cph.Option{cph.WithMaxAttempts(1)},
			message: "signature expired",
		},
		"server clock 16 minutes behind": {
			server:  []cphtest.Option{clockOffset(-16 * time.Minute)},
			client:  []cph.Option{cph.WithMaxAttempts(1)},
			message: "signature expired",
		},
		"missing security token": {
			server: []cphtest.Option{cphtest.WithCredentials(token)},
			client: []cph.Option{cph.WithCredentials(cph.Credentials{
				AccessKey: token.AccessKey, SecretKey: token.SecretKey,
			})},
			message: "decrypt token fail",
		},
		"wrong security token": {
			server: []cphtest.Option{cphtest.WithCredentials(token)},
			client: []cph.Option{cph.WithCredentials(cph.Credentials{
				AccessKey: token.AccessKey, SecretKey: token.SecretKey, SecurityToken: "other-token",
			})},
			message: "decrypt token fail",
		},
	}
	for name, tt := range tests {
		t.Run(name, func(t *testing.T) {
			srv := newServer(t, tt.server...)
			_, err := newClient(t, srv, tt.client...).ListPhoneImages(ctx(t), cph.WithImageType(cph.ImageTypePublic))
			apiErr := requireAPIError(t, err)
			if tt.message == "" {
				assert.Equal(t, http.StatusNotFound, apiErr.StatusCode)
				return
			}
			assert.Equal(t, http.StatusUnauthorized, apiErr.StatusCode)
			assert.Equal(t, cphtest.CodeAuthFailed, apiErr.Code)
			assert.Contains(t, apiErr.Message, tt.message)
			assert.True(t, strings.HasPrefix(apiErr.Message, "Incorrect IAM authentication information: "), apiErr.Message)
			assert.Len(t, apiErr.RequestID, 32)
			assert.True(t, cph.IsAuthError(err))
		})
	}
}

func TestAuth_ExpiredAnswerCarriesDate(t *testing.T) {
	serverNow := time.Date(2030, 6, 1, 12, 0, 0, 0, time.UTC)
	srv := newServer(t, cphtest.WithClock(func() time.Time { return serverNow }))
	for name, tt := range map[string]struct {
		date time.Time
		ok   bool
	}{
		"15 minutes behind":      {serverNow.Add(-15 * time.Minute), true},
		"15 minutes ahead":       {serverNow.Add(15 * time.Minute), true},
		"15 minutes 1s behind":   {serverNow.Add(-15*time.Minute - time.Second), false},
		"15 minutes 1s ahead":    {serverNow.Add(15*time.Minute + time.Second), false},
		"a day behind":           {serverNow.Add(-24 * time.Hour), false},
		"the server's own clock": {serverNow, true},
	} {
		t.Run(name, func(t *testing.T) {
			status, header, body := rawRequest{path: imagesPath, creds: srv.Credentials(), date: tt.date}.do(t, srv)
			assert.Equal(t, "Sat, 01 Jun 2030 12:00:00 GMT", header.Get("Date"))
			if tt.ok {
				assert.Equal(t, http.StatusOK, status)
				return
			}
			assert.Equal(t, http.StatusUnauthorized, status)
			e := requireError(t, header, body)
			assert.Equal(t, cphtest.CodeAuthFailed, e.Code)
			assert.Contains(t, e.Message, "signature expired")
		})
	}
}

func TestAuth_RawRequests(t *testing.T) {
	tokenCreds := cph.Credentials{AccessKey: "TOKENACCESSKEY000001", SecretKey: "token-secret", SecurityToken: "session-token"}
	tests := map[string]struct {
		server  []cphtest.Option
		req     rawRequest
		status  int
		message string
	}{
		"SDK-HMAC-SHA256": {
			req:    rawRequest{scheme: sigv.HMACSHA256},
			status: http.StatusOK,
		},
		"SDK-HMAC-SM3": {
			req:    rawRequest{scheme: sigv.HMACSM3},
			status: http.StatusOK,
		},
		"no Authorization": {
			req:     rawRequest{unsigned: true},
			status:  http.StatusUnauthorized,
			message: "verify aksk signature fail",
		},
		"token signed": {
			server: []cphtest.Option{cphtest.WithCredentials(tokenCreds)},
			req:    rawRequest{creds: tokenCreds, sendToken: tokenCreds.SecurityToken, signToken: true},
			status: http.StatusOK,
		},
		// The gateway accepts a token added after signing: the Terraform
		// provider's library sends it so with temporary credentials.
		"token sent but not signed": {
			server: []cphtest.Option{cphtest.WithCredentials(tokenCreds)},
			req:    rawRequest{creds: tokenCreds, sendToken: tokenCreds.SecurityToken},
			status: http.StatusOK,
		},
		"wrong token sent, not signed": {
			server:  []cphtest.Option{cphtest.WithCredentials(tokenCreds)},
			req:     rawRequest{creds: tokenCreds, sendToken: "other-token"},
			status:  http.StatusUnauthorized,
			message: "decrypt token fail",
		},
		"wrong token sent, signed": {
			server:  []cphtest.Option{cphtest.WithCredentials(tokenCreds)},
			req:     rawRequest{creds: tokenCreds, sendToken: "other-token", signToken: true},
			status:  http.StatusUnauthorized,
			message: "decrypt token fail",
		},
		"token not sent": {
			server:  []cphtest.Option{cphtest.WithCredentials(tokenCreds)},
			req:     rawRequest{creds: tokenCreds},
			status:  http.StatusUnauthorized,
			message: "decrypt token fail",
		},
		"token the server does not need": {
			req:    rawRequest{sendToken: "extra", signToken: true},
			status: http.StatusOK,
		},
	}
	for name, tt := range tests {
		t.Run(name, func(t *testing.T) {
			srv := newServer(t, tt.server...)
			req := tt.req
			req.path = imagesPath
			if req.creds == (cph.Credentials{}) {
				req.creds = srv.Credentials()
			}
			status, header, body := req.do(t, srv)
			assert.Equal(t, tt.status, status, "body %s", body)
			if tt.message != "" {
				e := requireError(t, header, body)
				assert.Equal(t, cphtest.CodeAuthFailed, e.Code)
				assert.Contains(t, e.Message, tt.message)
			}
		})
	}
}

func TestAuth_MalformedAuthorization(t *testing.T) {
	srv := newServer(t)
	for name, value := range map[string]string{
		"empty":               "",
		"no parameters":       "SDK-HMAC-SHA256",
		"unknown scheme":      "AWS4-HMAC-SHA256 Access=" + cphtest.DefaultAccessKey + ", SignedHeaders=x-sdk-date, Signature=00",
		"date not signed":     "SDK-HMAC-SHA256 Access=" + cphtest.DefaultAccessKey + ", SignedHeaders=host, Signature=00",
		"upper-case header":   "SDK-HMAC-SHA256 Access=" + cphtest.DefaultAccessKey + ", SignedHeaders=X-Sdk-Date, Signature=00",
		"unknown parameter":   "SDK-HMAC-SHA256 Access=" + cphtest.DefaultAccessKey + ", Foo=bar, Signature=00",
		"garbage":             "not an authorization",
		"signature not hex":   "SDK-HMAC-SHA256 Access=" + cphtest.DefaultAccessKey + ", SignedHeaders=x-sdk-date, Signature=zz",
		"empty signed header": "SDK-HMAC-SHA256 Access=" + cphtest.DefaultAccessKey + ", SignedHeaders=;x-sdk-date, Signature=00",
	} {
		t.Run(name, func(t *testing.T) {
			req, err := http.NewRequestWithContext(ctx(t), http.MethodGet,
				srv.URL+"/v1/"+srv.ProjectID()+"/cloud-phone/phone-images", nil)
			require.NoError(t, err)
			req.Header.Set("X-Sdk-Date", time.Now().UTC().Format(sigv.DateFormat))
			req.Header.Set("Authorization", value)
			resp, err := http.DefaultClient.Do(req)
			require.NoError(t, err)
			defer resp.Body.Close()
			assert.Equal(t, http.StatusUnauthorized, resp.StatusCode)
			assert.NotEmpty(t, resp.Header.Get("X-Request-Id"))
		})
	}
}

func TestAuth_TokenWithOurClient(t *testing.T) {
	creds := cph.Credentials{AccessKey: "TEMPACCESSKEY0000001", SecretKey: "temp-secret", SecurityToken: "session-token-value"}
	srv := newServer(t, cphtest.WithCredentials(creds))
	out, err := newClient(t, srv).ListPhoneImages(ctx(t))
	require.NoError(t, err)
	assert.Len(t, out.Images, 3)

	req := srv.Requests()[0]
	assert.Equal(t, creds.SecurityToken, req.Header.Get("X-Security-Token"))
	a, err := sigv.ParseAuthorization(req.Header.Get("Authorization"))
	require.NoError(t, err)
	assert.Contains(t, a.SignedHeaders, "x-security-token")
}

// foreignRequest is a ListPhoneImages request as a client other than this
// module's sends it, signed by hand.
type foreignRequest struct {
	creds   cph.Credentials
	headers [][2]string // sent and signed, in SignedHeaders order; Host is the server's
	// canonical, if set, is the canonical request of the signed part,
	// written out by hand ({host}, {project_id} and {date} replaced),
	// signed with SDK-HMAC-SHA256 by the guide's steps; else the core
	// signer signs headers.
	canonical string
	after     [][2]string // headers added after signing
	change    func(*http.Request)
}

// do sends r to srv and returns the status and the error document, if any.
func (r foreignRequest) do(t *testing.T, srv *cphtest.Server) (int, gatewayError) {
	t.Helper()
	creds := r.creds
	if creds == (cph.Credentials{}) {
		creds = srv.Credentials()
	}
	u, err := url.Parse(srv.URL + "/v1/" + srv.ProjectID() + "/cloud-phone/phone-images?image_type=public")
	require.NoError(t, err)
	date := time.Now().UTC().Format(sigv.DateFormat)
	fill := strings.NewReplacer("{host}", u.Host, "{project_id}", srv.ProjectID(), "{date}", date).Replace
	req, err := http.NewRequestWithContext(ctx(t), http.MethodGet, u.String(), nil)
	require.NoError(t, err)
	req.Header.Set(sigv.HeaderDate, date)
	var signed []string
	var headers []sigv.Header
	for _, h := range r.headers {
		if h[0] != "Host" {
			req.Header.Set(h[0], fill(h[1]))
		}
		signed = append(signed, strings.ToLower(h[0]))
		headers = append(headers, sigv.Header{Name: h[0], Value: fill(h[1])})
	}
	var auth string
	if r.canonical != "" {
		auth = sigv.HMACSHA256 + " Access=" + creds.AccessKey + ", SignedHeaders=" + strings.Join(signed, ";") +
			", Signature=" + hmacSHA256Signature(date, fill(r.canonical), creds.SecretKey)
	} else {
		auth, err = sigv.Sign(sigv.HMACSHA256, sigv.Request{
			Method: http.MethodGet, Host: u.Host, Path: u.Path, Query: u.Query(), Headers: headers,
		}, creds.AccessKey, creds.SecretKey)
		require.NoError(t, err)
	}
	req.Header.Set(sigv.HeaderAuthorization, auth)
	for _, h := range r.after {
		req.Header.Set(h[0], fill(h[1]))
	}
	if r.change != nil {
		r.change(req)
	}
	resp, err := http.DefaultTransport.RoundTrip(req)
	require.NoError(t, err)
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	if resp.StatusCode == http.StatusOK {
		return resp.StatusCode, gatewayError{}
	}
	return resp.StatusCode, requireError(t, resp.Header, body)
}

// hmacSHA256Signature signs a canonical request by the signing guide's
// steps (hash it, "SDK-HMAC-SHA256\ndate\nhash", HMAC with the secret key),
// with no code of the server's.
func hmacSHA256Signature(date, canonical, sk string) string {
	sum := sha256.Sum256([]byte(canonical))
	m := hmac.New(sha256.New, []byte(sk))
	m.Write([]byte(sigv.HMACSHA256 + "\n" + date + "\n" + hex.EncodeToString(sum[:])))
	return hex.EncodeToString(m.Sum(nil))
}

// nodeCanonical is the canonical request of the official Node.js SDK's
// ListCloudPhoneImages, which signs content-type;host;x-project-id;x-sdk-date
// (the set of the signing guide's own GET example, plus the project).
const nodeCanonical = `GET
/v1/{project_id}/cloud-phone/phone-images/
image_type=public
content-type:application/json
host:{host}
x-project-id:{project_id}
x-sdk-date:{date}

content-type;host;x-project-id;x-sdk-date
e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855`

var nodeHeaders = [][2]string{
	{"Content-Type", "application/json"}, {"Host", "{host}"}, {"X-Project-Id", "{project_id}"}, {"X-Sdk-Date", "{date}"},
}

// terraformHeaders are what the Terraform provider's library
// (github.com/chnsz/golangsdk) signs: every header it has set when it
// signs, which are Accept, User-Agent and X-Sdk-Date, with no Host; it sets
// X-Project-Id, and X-Security-Token for temporary credentials, after.
var terraformHeaders = [][2]string{
	{"Accept", "application/json"}, {"User-Agent", "terraform-provider-huaweicloud golangsdk"}, {"X-Sdk-Date", "{date}"},
}

func TestAuth_OtherClients(t *testing.T) {
	token := cph.Credentials{AccessKey: "TEMPACCESSKEY0000001", SecretKey: "temp-secret", SecurityToken: "session-token-value"}
	tests := map[string]struct {
		server  []cphtest.Option
		req     foreignRequest
		status  int
		message string
	}{
		"Node.js SDK: content-type;host;x-project-id;x-sdk-date": {
			req:    foreignRequest{headers: nodeHeaders, canonical: nodeCanonical},
			status: http.StatusOK,
		},
		"Node.js SDK, content-type changed in flight": {
			req: foreignRequest{headers: nodeHeaders, canonical: nodeCanonical, change: func(r *http.Request) {
				r.Header.Set("Content-Type", "application/json;charset=UTF-8")
			}},
			status:  http.StatusUnauthorized,
			message: "verify aksk signature fail",
		},
		"Node.js SDK, wrong secret key": {
			req: foreignRequest{
				creds:   cph.Credentials{AccessKey: cphtest.DefaultAccessKey, SecretKey: "wrong"},
				headers: nodeHeaders, canonical: nodeCanonical,
			},
			status:  http.StatusUnauthorized,
			message: "verify aksk signature fail",
		},
		"Terraform library: accept;user-agent;x-sdk-date, X-Project-Id unsigned": {
			req:    foreignRequest{headers: terraformHeaders, after: [][2]string{{"X-Project-Id", "{project_id}"}}},
			status: http.StatusOK,
		},
		"Terraform library, token added after signing": {
			server: []cphtest.Option{cphtest.WithCredentials(token)},
			req: foreignRequest{creds: token, headers: terraformHeaders, after: [][2]string{
				{"X-Project-Id", "{project_id}"}, {"X-Security-Token", token.SecurityToken},
			}},
			status: http.StatusOK,
		},
		"Terraform library, wrong token added after signing": {
			server: []cphtest.Option{cphtest.WithCredentials(token)},
			req: foreignRequest{creds: token, headers: terraformHeaders, after: [][2]string{
				{"X-Project-Id", "{project_id}"}, {"X-Security-Token", "other-token"},
			}},
			status:  http.StatusUnauthorized,
			message: "decrypt token fail",
		},
		"Terraform library, no token": {
			server:  []cphtest.Option{cphtest.WithCredentials(token)},
			req:     foreignRequest{creds: token, headers: terraformHeaders, after: [][2]string{{"X-Project-Id", "{project_id}"}}},
			status:  http.StatusUnauthorized,
			message: "decrypt token fail",
		},
		"Terraform library, signed User-Agent changed in flight": {
			req: foreignRequest{headers: terraformHeaders, change: func(r *http.Request) {
				r.Header.Set("User-Agent", "other")
			}},
			status:  http.StatusUnauthorized,
			message: "verify aksk signature fail",
		},
	}
	for name, tt := range tests {
		t.Run(name, func(t *testing.T) {
			srv := newServer(t, tt.server...)
			status, e := tt.req.do(t, srv)
			assert.Equal(t, tt.status, status, "error %+v", e)
			if tt.message != "" {
				assert.Equal(t, cphtest.CodeAuthFailed, e.Code)
				assert.Contains(t, e.Message, tt.message)
			}
		})
	}
}
