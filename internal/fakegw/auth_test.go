package fakegw_test

import (
	"encoding/json"
	"errors"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/cph-go/cph/internal/fakegw"
	"github.com/cph-go/cph/internal/sigv"
)

// signedServer serves operation "Get" on GET /signed, Signed, with creds.
func signedServer(t *testing.T, creds ...fakegw.Credentials) *fakegw.Server {
	t.Helper()
	return newServer(t, fakegw.Config{
		Credentials: creds,
		Routes:      []fakegw.Route{{Operation: "Get", Pattern: "GET /signed", Signed: true, Handler: text("welcome")}},
	})
}

func TestSigned(t *testing.T) {
	withToken := fakegw.Credentials{AccessKey: "TOKENAK", SecretKey: "token-sk", SecurityToken: "the-token"}
	wrongSK := fakegw.Credentials{AccessKey: testCreds.AccessKey, SecretKey: "not-the-key"}
	unknown := fakegw.Credentials{AccessKey: "UNKNOWNAK", SecretKey: "sk"}
	tests := map[string]struct {
		call    call
		wantMsg string // "" for accepted
		wantErr error
	}{
		"signed":                     {call: call{creds: &testCreds}},
		"signed, token sent":         {call: call{creds: &withToken, token: "the-token"}},
		"a token not needed is fine": {call: call{creds: &testCreds, token: "whatever"}},
		"unsigned": {
			call:    call{},
			wantMsg: "Incorrect IAM authentication information: verify aksk signature fail", wantErr: sigv.ErrMalformed,
		},
		"unknown access key": {
			call:    call{creds: &unknown},
			wantMsg: "Incorrect IAM authentication information: Get secretKey failed,ak:UNKNOWNAK,err:ak not exist", wantErr: fakegw.ErrUnknownKey,
		},
		"wrong secret key": {
			call:    call{creds: &wrongSK},
			wantMsg: "Incorrect IAM authentication information: verify aksk signature fail", wantErr: sigv.ErrMismatch,
		},
		"signed 16 minutes ago": {
			call:    call{creds: &testCreds, date: time.Now().Add(-16 * time.Minute)},
			wantMsg: "Incorrect IAM authentication information: signature expired", wantErr: fakegw.ErrExpired,
		},
		"signed 16 minutes ahead": {
			call:    call{creds: &testCreds, date: time.Now().Add(16 * time.Minute)},
			wantMsg: "Incorrect IAM authentication information: signature expired", wantErr: fakegw.ErrExpired,
		},
		"token missing": {
			call:    call{creds: &withToken},
			wantMsg: "Incorrect IAM authentication information: decrypt token fail", wantErr: fakegw.ErrToken,
		},
		"wrong token": {
			call:    call{creds: &withToken, token: "the-token-not"},
			wantMsg: "Incorrect IAM authentication information: decrypt token fail", wantErr: fakegw.ErrToken,
		},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			s := signedServer(t, testCreds, withToken)
			tc.call.path = "/signed"
			a := tc.call.do(t, s)
			if tc.wantMsg == "" {
				assert.Equal(t, http.StatusOK, a.status)
				assert.Equal(t, "welcome", a.body)
				assert.Empty(t, s.Refusals())
				return
			}
			assert.Equal(t, http.StatusUnauthorized, a.status)
			var doc struct {
				Code string `json:"error_code"`
				Msg  string `json:"error_msg"`
			}
			require.NoError(t, json.Unmarshal([]byte(a.body), &doc), a.body)
			assert.Equal(t, fakegw.CodeAuthFailed, doc.Code)
			assert.Equal(t, tc.wantMsg, doc.Msg)
			refusals := s.Refusals()
			require.Len(t, refusals, 1)
			assert.ErrorIs(t, refusals[0], tc.wantErr)
			var authErr *fakegw.AuthError
			require.True(t, errors.As(refusals[0], &authErr))
			assert.Equal(t, tc.wantMsg, authErr.Message)
		})
	}
}

func TestAccept(t *testing.T) {
	s := signedServer(t, testCreds)
	second := fakegw.Credentials{AccessKey: "SECONDAK", SecretKey: "second-sk"}
	assert.Equal(t, http.StatusUnauthorized, call{path: "/signed", creds: &second}.do(t, s).status)
	s.Accept(second)
	assert.Equal(t, http.StatusOK, call{path: "/signed", creds: &second}.do(t, s).status)
	assert.Equal(t, http.StatusOK, call{path: "/signed", creds: &testCreds}.do(t, s).status, "the first still")

	s.Accept(fakegw.Credentials{AccessKey: second.AccessKey, SecretKey: "rotated"})
	assert.Equal(t, http.StatusUnauthorized, call{path: "/signed", creds: &second}.do(t, s).status, "replaced")
}

// The clock that X-Sdk-Date is checked against is the server's.
func TestSignedByServerClock(t *testing.T) {
	ahead := time.Now().Add(time.Hour)
	s := newServer(t, fakegw.Config{
		Credentials: []fakegw.Credentials{testCreds},
		Now:         func() time.Time { return ahead },
		Routes:      []fakegw.Route{{Pattern: "GET /signed", Signed: true, Handler: text("welcome")}},
	})
	assert.Equal(t, http.StatusUnauthorized, call{path: "/signed", creds: &testCreds}.do(t, s).status)
	assert.Equal(t, http.StatusOK, call{path: "/signed", creds: &testCreds, date: ahead}.do(t, s).status)
}

// A fault comes before the signature check; a Fault that leaves the answer
// to the server still goes through it.
func TestFaultsBeforeSignatures(t *testing.T) {
	s := signedServer(t, testCreds)
	s.InjectFault(1, fakegw.Fault{Status: 503})
	assert.Equal(t, http.StatusServiceUnavailable, call{path: "/signed"}.do(t, s).status, "unsigned, faulted")
	s.InjectFault(1, fakegw.Fault{Header: http.Header{"X-Extra": {"a"}}})
	a := call{path: "/signed"}.do(t, s)
	assert.Equal(t, http.StatusUnauthorized, a.status)
	assert.Equal(t, "a", a.header.Get("X-Extra"))
	assert.Len(t, s.Refusals(), 1)
}

// A Signed route tells its handler which access key verified the request;
// a route that is not Signed, and a request that did not come through one,
// get "".
func TestAccessKey(t *testing.T) {
	second := fakegw.Credentials{AccessKey: "SECONDAK", SecretKey: "second-sk"}
	echo := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, _ = w.Write([]byte("ak=" + fakegw.AccessKey(r)))
	})
	s := newServer(t, fakegw.Config{
		Credentials: []fakegw.Credentials{testCreds, second},
		Routes: []fakegw.Route{
			{Operation: "Signed", Pattern: "GET /signed", Signed: true, Handler: echo},
			{Operation: "Open", Pattern: "GET /open", Handler: echo},
		},
	})
	assert.Equal(t, "ak="+testCreds.AccessKey, call{path: "/signed", creds: &testCreds}.do(t, s).body)
	assert.Equal(t, "ak="+second.AccessKey, call{path: "/signed", creds: &second}.do(t, s).body)
	assert.Equal(t, "ak=", call{path: "/open", creds: &testCreds}.do(t, s).body, "not a Signed route")
	assert.Empty(t, fakegw.AccessKey(httptest.NewRequest(http.MethodGet, "/signed", nil)))
}
