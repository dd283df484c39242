package cphtest_test

import (
	"net/http"
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
		"token sent but not signed": {
			server:  []cphtest.Option{cphtest.WithCredentials(tokenCreds)},
			req:     rawRequest{creds: tokenCreds, sendToken: tokenCreds.SecurityToken},
			status:  http.StatusUnauthorized,
			message: "verify aksk signature fail",
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
