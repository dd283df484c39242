package sigv

import (
	"net/http"
	"net/http/httptest"
	"net/url"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestParseAuthorization(t *testing.T) {
	tests := map[string]struct {
		in      string
		want    Authorization
		wantErr bool
	}{
		"sha256": {
			in:   "SDK-HMAC-SHA256 Access=AK1, SignedHeaders=host;x-sdk-date, Signature=abcd",
			want: Authorization{Scheme: HMACSHA256, AccessKey: "AK1", SignedHeaders: []string{"host", "x-sdk-date"}, Signature: "abcd"},
		},
		"sm3": {
			in:   "SDK-HMAC-SM3 Access=AK2, SignedHeaders=x-sdk-date, Signature=ef",
			want: Authorization{Scheme: HMACSM3, AccessKey: "AK2", SignedHeaders: []string{"x-sdk-date"}, Signature: "ef"},
		},
		"empty":             {in: "", wantErr: true},
		"no scheme":         {in: "Access=AK1, SignedHeaders=host, Signature=ab", wantErr: true},
		"missing signature": {in: "SDK-HMAC-SHA256 Access=AK1, SignedHeaders=host", wantErr: true},
		"missing access":    {in: "SDK-HMAC-SHA256 SignedHeaders=host, Signature=ab", wantErr: true},
		"unknown part":      {in: "SDK-HMAC-SHA256 Access=AK1, SignedHeaders=host, Signature=ab, Extra=1", wantErr: true},
		"part without =":    {in: "SDK-HMAC-SHA256 Access=AK1, SignedHeaders, Signature=ab", wantErr: true},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			got, err := ParseAuthorization(tc.in)
			if tc.wantErr {
				assert.ErrorIs(t, err, ErrMalformed)
				return
			}
			require.NoError(t, err)
			assert.Equal(t, tc.want, got)
		})
	}
}

// signedRequest signs a request to srvURL the way a client does and returns
// it ready to send.
func signedRequest(t *testing.T, scheme, srvURL string, query url.Values, ak, sk string) *http.Request {
	t.Helper()
	u, err := url.Parse(srvURL + "/v1/p1/cloud-phone/phone-images")
	require.NoError(t, err)
	u.RawQuery = query.Encode()
	req, err := http.NewRequest(http.MethodGet, u.String(), nil)
	require.NoError(t, err)
	date := "20261130T080000Z"
	auth, err := Sign(scheme, Request{
		Method: http.MethodGet, Host: u.Host, Path: u.Path, Query: query,
		Headers: []Header{{"Host", u.Host}, {HeaderDate, date}, {"X-Project-Id", "p1"}},
	}, ak, sk)
	require.NoError(t, err)
	req.Header.Set(HeaderDate, date)
	req.Header.Set("X-Project-Id", "p1")
	req.Header.Set(HeaderAuthorization, auth)
	return req
}

func TestVerifyRoundTrip(t *testing.T) {
	tests := map[string]struct {
		scheme   string
		query    url.Values
		serverSK string
		tamper   func(*http.Request)
		want     error
	}{
		"sha256":              {scheme: HMACSHA256, serverSK: "sk"},
		"sm3":                 {scheme: HMACSM3, serverSK: "sk"},
		"query, multi-valued": {scheme: HMACSHA256, query: url.Values{"b": {"2", "1"}, "a": {"x y"}}, serverSK: "sk"},
		"wrong key":           {scheme: HMACSHA256, serverSK: "other", want: ErrMismatch},
		"sm3 wrong key":       {scheme: HMACSM3, serverSK: "other", want: ErrMismatch},
		"tampered query":      {scheme: HMACSHA256, query: url.Values{"image_type": {"public"}}, serverSK: "sk", tamper: func(r *http.Request) { r.URL.RawQuery = "image_type=private" }, want: ErrMismatch},
		"tampered header":     {scheme: HMACSHA256, serverSK: "sk", tamper: func(r *http.Request) { r.Header.Set("X-Project-Id", "p2") }, want: ErrMismatch},
		"tampered path":       {scheme: HMACSHA256, serverSK: "sk", tamper: func(r *http.Request) { r.URL.Path = "/v1/p2/cloud-phone/phone-images" }, want: ErrMismatch},
		"date not signed":     {scheme: HMACSHA256, serverSK: "sk", tamper: func(r *http.Request) { r.Header.Set(HeaderAuthorization, replaceSigned(r, "host;x-project-id")) }, want: ErrMalformed},
		"upper-case header": {scheme: HMACSHA256, serverSK: "sk", tamper: func(r *http.Request) {
			r.Header.Set(HeaderAuthorization, replaceSigned(r, "Host;x-project-id;x-sdk-date"))
		}, want: ErrMalformed},
		"unsupported scheme": {scheme: HMACSHA256, serverSK: "sk", tamper: func(r *http.Request) {
			r.Header.Set(HeaderAuthorization, "SDK-HMAC-MD5"+r.Header.Get(HeaderAuthorization)[len(HMACSHA256):])
		}, want: ErrUnsupportedAlgorithm},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			var got error
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				a, err := ParseAuthorization(r.Header.Get(HeaderAuthorization))
				if err == nil {
					err = Verify(r, a, tc.serverSK)
				}
				got = err
			}))
			defer srv.Close()
			req := signedRequest(t, tc.scheme, srv.URL, tc.query, "AK1", "sk")
			if tc.tamper != nil {
				tc.tamper(req)
			}
			resp, err := srv.Client().Do(req)
			require.NoError(t, err)
			resp.Body.Close()
			if tc.want == nil {
				assert.NoError(t, got)
			} else {
				assert.ErrorIs(t, got, tc.want)
			}
		})
	}
}

// replaceSigned returns r's Authorization with another SignedHeaders list.
func replaceSigned(r *http.Request, signed string) string {
	a, _ := ParseAuthorization(r.Header.Get(HeaderAuthorization))
	return a.Scheme + " Access=" + a.AccessKey + ", SignedHeaders=" + signed + ", Signature=" + a.Signature
}

func TestSignUnsupportedScheme(t *testing.T) {
	_, err := Sign("SDK-HMAC-MD5", Request{Method: "GET", Host: "h", Path: "/", Headers: []Header{{HeaderDate, "20261130T080000Z"}}}, "ak", "sk")
	assert.ErrorIs(t, err, ErrUnsupportedAlgorithm)
}
