package sigv

import (
	"bufio"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"hash"
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/tjfoc/gmsm/sm3"
)

const (
	testDate = "20261130T080000Z"
	testAK   = "TESTACCESSKEY0000001"
	testSK   = "test-secret-key"
	// emptySHA256 is the SHA-256 of an empty body.
	emptySHA256 = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
)

// readRequest parses raw (lines separated by "\n") as a server reads a
// request off the wire.
func readRequest(t *testing.T, raw string) *http.Request {
	t.Helper()
	raw = strings.ReplaceAll(raw, "\n", "\r\n")
	r, err := http.ReadRequest(bufio.NewReader(strings.NewReader(raw)))
	require.NoError(t, err)
	return r
}

// signLiteral signs a canonical request written out by hand, by the
// guide's steps: hash it, build "scheme\ndate\nhash", HMAC that with sk.
// It shares no code with the verifier.
func signLiteral(scheme, date, canonical, sk string) string {
	newHash := sha256.New
	if scheme == HMACSM3 {
		newHash = func() hash.Hash { return sm3.New() }
	}
	h := newHash()
	h.Write([]byte(canonical))
	sts := scheme + "\n" + date + "\n" + hex.EncodeToString(h.Sum(nil))
	m := hmac.New(newHash, []byte(sk))
	m.Write([]byte(sts))
	return hex.EncodeToString(m.Sum(nil))
}

func hexSHA256(s string) string {
	sum := sha256.Sum256([]byte(s))
	return hex.EncodeToString(sum[:])
}

// beyondCoreSigner are requests the core signer cannot produce (it never
// signs content-type or a header with "_", sends no repeated header, ...),
// each with the canonical request the guide's rules give for it, written
// out by hand.
var beyondCoreSigner = map[string]struct {
	scheme    string // HMACSHA256 if empty
	request   string // as sent, without Authorization
	signed    string
	canonical string
}{
	"content-type signed (the Node.js SDK's ListCloudPhoneImages)": {
		request: `GET /v1/p1/cloud-phone/phone-images?image_type=public HTTP/1.1
Host: cph.example.test
Content-Type: application/json
X-Project-Id: p1
X-Sdk-Date: ` + testDate + "\n\n",
		signed: "content-type;host;x-project-id;x-sdk-date",
		canonical: `GET
/v1/p1/cloud-phone/phone-images/
image_type=public
content-type:application/json
host:cph.example.test
x-project-id:p1
x-sdk-date:` + testDate + `

content-type;host;x-project-id;x-sdk-date
` + emptySHA256,
	},
	"content-type signed, SM3": {
		scheme: HMACSM3,
		request: `GET /v1/p1/cloud-phone/phone-images HTTP/1.1
Host: cph.example.test
Content-Type: application/json
X-Sdk-Date: ` + testDate + "\n\n",
		signed: "content-type;host;x-sdk-date",
		canonical: `GET
/v1/p1/cloud-phone/phone-images/

content-type:application/json
host:cph.example.test
x-sdk-date:` + testDate + `

content-type;host;x-sdk-date
1ab21d8355cfa17f8e61194831e81a8f22bec8c728fefb747ed035eb5082aa2b`, // SM3 of ""
	},
	"the Terraform provider's library: accept;user-agent;x-sdk-date, the rest unsigned": {
		request: `GET /v1/p1/cloud-phone/phone-images?image_type=public HTTP/1.1
Host: cph.example.test
Accept: application/json
User-Agent: terraform-provider-iac
X-Sdk-Date: ` + testDate + `
X-Project-Id: p1
X-Security-Token: token-added-after-signing

`,
		signed: "accept;user-agent;x-sdk-date",
		canonical: `GET
/v1/p1/cloud-phone/phone-images/
image_type=public
accept:application/json
user-agent:terraform-provider-iac
x-sdk-date:` + testDate + `

accept;user-agent;x-sdk-date
` + emptySHA256,
	},
	"header with an underscore": {
		request: `GET / HTTP/1.1
Host: cph.example.test
X_Trace_Id: abc
X-Sdk-Date: ` + testDate + "\n\n",
		signed: "host;x-sdk-date;x_trace_id",
		canonical: `GET
/

host:cph.example.test
x-sdk-date:` + testDate + `
x_trace_id:abc

host;x-sdk-date;x_trace_id
` + emptySHA256,
	},
	"header names in any case on the wire": {
		request: `GET / HTTP/1.1
HOST: cph.example.test
x-project-id: p1
X-SDK-DATE: ` + testDate + "\n\n",
		signed: "host;x-project-id;x-sdk-date",
		canonical: `GET
/

host:cph.example.test
x-project-id:p1
x-sdk-date:` + testDate + `

host;x-project-id;x-sdk-date
` + emptySHA256,
	},
	"repeated header: one line per value, sorted": {
		request: `GET / HTTP/1.1
Host: cph.example.test
X-Tag: b
X-Tag: a
X-Sdk-Date: ` + testDate + "\n\n",
		signed: "host;x-sdk-date;x-tag",
		canonical: `GET
/

host:cph.example.test
x-sdk-date:` + testDate + `
x-tag:a
x-tag:b

host;x-sdk-date;x-tag
` + emptySHA256,
	},
	"header value trimmed, inner spaces kept": {
		// The wire keeps Unicode spaces the HTTP parser does not strip;
		// strings.TrimSpace, as the core signer trims, does.
		request: "GET / HTTP/1.1\nHost: cph.example.test\nX-Tag: \t\u00a0a  b\u2003 \t\nX-Sdk-Date: " + testDate + "\n\n",
		signed:  "host;x-sdk-date;x-tag",
		canonical: `GET
/

host:cph.example.test
x-sdk-date:` + testDate + `
x-tag:a  b

host;x-sdk-date;x-tag
` + emptySHA256,
	},
	"signed headers in the order listed": {
		request: `GET / HTTP/1.1
Host: cph.example.test
X-Sdk-Date: ` + testDate + "\n\n",
		signed: "x-sdk-date;host",
		canonical: `GET
/

x-sdk-date:` + testDate + `
host:cph.example.test

x-sdk-date;host
` + emptySHA256,
	},
	"signed header not sent: listed, no line": {
		request: `GET / HTTP/1.1
Host: cph.example.test
X-Sdk-Date: ` + testDate + "\n\n",
		signed: "host;x-missing;x-sdk-date",
		canonical: `GET
/

host:cph.example.test
x-sdk-date:` + testDate + `

host;x-missing;x-sdk-date
` + emptySHA256,
	},
	"repeated query keys: sorted by key, then by value": {
		request: `GET /v1/p1/x?b=2&a=y&b=1&a=x HTTP/1.1
Host: cph.example.test
X-Sdk-Date: ` + testDate + "\n\n",
		signed: "host;x-sdk-date",
		canonical: `GET
/v1/p1/x/
a=x&a=y&b=1&b=2
host:cph.example.test
x-sdk-date:` + testDate + `

host;x-sdk-date
` + emptySHA256,
	},
	"query values needing escapes": {
		request: `GET /v1/p1/x?q=a%20b&p=a+b&t=~x&u=%C3%A9&plus=1%2B1&star=*&slash=a/b&eq=%3D HTTP/1.1
Host: cph.example.test
X-Sdk-Date: ` + testDate + "\n\n",
		signed: "host;x-sdk-date",
		canonical: `GET
/v1/p1/x/
eq=%3D&p=a%20b&plus=1%2B1&q=a%20b&slash=a%2Fb&star=%2A&t=~x&u=%C3%A9
host:cph.example.test
x-sdk-date:` + testDate + `

host;x-sdk-date
` + emptySHA256,
	},
	"query keys sorted by their bytes before escaping, as the core signer does": {
		request: `GET /v1/p1/x?%C3%A9=2&z=1&Z=0 HTTP/1.1
Host: cph.example.test
X-Sdk-Date: ` + testDate + "\n\n",
		signed: "host;x-sdk-date",
		canonical: `GET
/v1/p1/x/
Z=0&z=1&%C3%A9=2
host:cph.example.test
x-sdk-date:` + testDate + `

host;x-sdk-date
` + emptySHA256,
	},
	"empty query values keep their =": {
		request: `GET /v1/p1/x?a=&b&c=1 HTTP/1.1
Host: cph.example.test
X-Sdk-Date: ` + testDate + "\n\n",
		signed: "host;x-sdk-date",
		canonical: `GET
/v1/p1/x/
a=&b=&c=1
host:cph.example.test
x-sdk-date:` + testDate + `

host;x-sdk-date
` + emptySHA256,
	},
	"path needing escapes; %2F is a slash": {
		request: `GET /v1/p1/my%20dir/~user/caf%C3%A9/a+b/x%2Fy HTTP/1.1
Host: cph.example.test
X-Sdk-Date: ` + testDate + "\n\n",
		signed: "host;x-sdk-date",
		canonical: `GET
/v1/p1/my%20dir/~user/caf%C3%A9/a%2Bb/x/y/

host:cph.example.test
x-sdk-date:` + testDate + `

host;x-sdk-date
` + emptySHA256,
	},
	"body hashed": {
		request: `POST /v1/p1/x HTTP/1.1
Host: cph.example.test
Content-Type: application/json
Content-Length: 7
X-Sdk-Date: ` + testDate + `

{"a":1}`,
		signed: "content-type;host;x-sdk-date",
		canonical: `POST
/v1/p1/x/

content-type:application/json
host:cph.example.test
x-sdk-date:` + testDate + `

content-type;host;x-sdk-date
` + hexSHA256(`{"a":1}`),
	},
	"X-Sdk-Content-Sha256 stands for the body's hash": {
		request: `PUT /v1/p1/x HTTP/1.1
Host: cph.example.test
Content-Type: application/octet-stream
Content-Length: 5
X-Sdk-Content-Sha256: UNSIGNED-PAYLOAD
X-Sdk-Date: ` + testDate + `

hello`,
		signed: "host;x-sdk-content-sha256;x-sdk-date",
		canonical: `PUT
/v1/p1/x/

host:cph.example.test
x-sdk-content-sha256:UNSIGNED-PAYLOAD
x-sdk-date:` + testDate + `

host;x-sdk-content-sha256;x-sdk-date
UNSIGNED-PAYLOAD`,
	},
}

// withAuthorization returns raw with an Authorization header over signed
// and the signature of canonical added after the request line.
func withAuthorization(raw, scheme, signed, canonical, sk string) string {
	line, rest, _ := strings.Cut(raw, "\n")
	auth := scheme + " Access=" + testAK + ", SignedHeaders=" + signed + ", Signature=" + signLiteral(scheme, testDate, canonical, sk)
	return line + "\nAuthorization: " + auth + "\n" + rest
}

func TestVerifyBeyondCoreSigner(t *testing.T) {
	for name, tc := range beyondCoreSigner {
		t.Run(name, func(t *testing.T) {
			scheme := tc.scheme
			if scheme == "" {
				scheme = HMACSHA256
			}
			r := readRequest(t, withAuthorization(tc.request, scheme, tc.signed, tc.canonical, testSK))
			a, err := ParseAuthorization(r.Header.Get(HeaderAuthorization))
			require.NoError(t, err)
			s, err := lookupScheme(scheme)
			require.NoError(t, err)
			payload, err := payloadHash(r, s)
			require.NoError(t, err)
			assert.Equal(t, tc.canonical, canonicalRequest(r, a.SignedHeaders, payload))
			assert.NoError(t, Verify(r, a, testSK), "accepted with its key")

			r = readRequest(t, withAuthorization(tc.request, scheme, tc.signed, tc.canonical, testSK))
			assert.ErrorIs(t, Verify(r, a, testSK+"x"), ErrMismatch, "refused with another key")
		})
	}
}

func TestVerifyRefusesChangesToWhatIsSigned(t *testing.T) {
	tc := beyondCoreSigner["content-type signed (the Node.js SDK's ListCloudPhoneImages)"]
	tf := beyondCoreSigner["the Terraform provider's library: accept;user-agent;x-sdk-date, the rest unsigned"]
	tests := map[string]struct {
		request, signed, canonical string
		change                     func(*http.Request)
		want                       error
	}{
		"content-type changed":    {change: func(r *http.Request) { r.Header.Set("Content-Type", "text/plain") }, want: ErrMismatch},
		"content-type removed":    {change: func(r *http.Request) { r.Header.Del("Content-Type") }, want: ErrMismatch},
		"host changed":            {change: func(r *http.Request) { r.Host = "other.example.test" }, want: ErrMismatch},
		"project header changed":  {change: func(r *http.Request) { r.Header.Set("X-Project-Id", "p2") }, want: ErrMismatch},
		"signed header repeated":  {change: func(r *http.Request) { r.Header.Add("X-Project-Id", "p2") }, want: ErrMismatch},
		"query value changed":     {change: func(r *http.Request) { r.URL.RawQuery = "image_type=private" }, want: ErrMismatch},
		"query key added":         {change: func(r *http.Request) { r.URL.RawQuery += "&limit=1" }, want: ErrMismatch},
		"path changed":            {change: func(r *http.Request) { r.URL.Path = "/v1/p2/cloud-phone/phone-images" }, want: ErrMismatch},
		"method changed":          {change: func(r *http.Request) { r.Method = http.MethodDelete }, want: ErrMismatch},
		"date changed":            {change: func(r *http.Request) { r.Header.Set(HeaderDate, "20261130T080001Z") }, want: ErrMismatch},
		"unsigned header changed": {change: func(r *http.Request) { r.Header.Set("X-Other", "x") }},
		"unsigned header added, terraform": {
			request: tf.request, signed: tf.signed, canonical: tf.canonical,
			change: func(r *http.Request) { r.Header.Set("X-Project-Id", "p2"); r.Header.Del("X-Security-Token") },
		},
		"signed header changed, terraform": {
			request: tf.request, signed: tf.signed, canonical: tf.canonical,
			change: func(r *http.Request) { r.Header.Set("User-Agent", "other") }, want: ErrMismatch,
		},
	}
	for name, tt := range tests {
		t.Run(name, func(t *testing.T) {
			if tt.request == "" {
				tt.request, tt.signed, tt.canonical = tc.request, tc.signed, tc.canonical
			}
			r := readRequest(t, withAuthorization(tt.request, HMACSHA256, tt.signed, tt.canonical, testSK))
			a, err := ParseAuthorization(r.Header.Get(HeaderAuthorization))
			require.NoError(t, err)
			tt.change(r)
			if tt.want == nil {
				assert.NoError(t, Verify(r, a, testSK))
			} else {
				assert.ErrorIs(t, Verify(r, a, testSK), tt.want)
			}
		})
	}
}

func TestVerifyMalformed(t *testing.T) {
	tc := beyondCoreSigner["content-type signed (the Node.js SDK's ListCloudPhoneImages)"]
	tests := map[string]struct {
		signed string
		change func(*http.Request)
		want   error
	}{
		"upper-case signed name": {signed: "Content-Type;host;x-project-id;x-sdk-date", want: ErrMalformed},
		"empty signed name":      {signed: "content-type;;host;x-project-id;x-sdk-date", want: ErrMalformed},
		"date not signed":        {signed: "content-type;host;x-project-id", want: ErrMalformed},
		"date not a date":        {change: func(r *http.Request) { r.Header.Set(HeaderDate, "2026-11-30T08:00:00Z") }, want: ErrMalformed},
		"date missing":           {change: func(r *http.Request) { r.Header.Del(HeaderDate) }, want: ErrMalformed},
		"query does not parse":   {change: func(r *http.Request) { r.URL.RawQuery = "image_type=%zz" }, want: ErrMalformed},
		"query with a semicolon": {change: func(r *http.Request) { r.URL.RawQuery = "image_type=public;x=1" }, want: ErrMalformed},
		"unknown scheme":         {change: func(r *http.Request) {}, want: ErrUnsupportedAlgorithm},
	}
	for name, tt := range tests {
		t.Run(name, func(t *testing.T) {
			r := readRequest(t, withAuthorization(tc.request, HMACSHA256, tc.signed, tc.canonical, testSK))
			a, err := ParseAuthorization(r.Header.Get(HeaderAuthorization))
			require.NoError(t, err)
			if tt.signed != "" {
				a.SignedHeaders = strings.Split(tt.signed, ";")
			}
			if tt.want == ErrUnsupportedAlgorithm {
				a.Scheme = "SDK-HMAC-SHA512"
			}
			if tt.change != nil {
				tt.change(r)
			}
			assert.ErrorIs(t, Verify(r, a, testSK), tt.want)
		})
	}
}

func TestVerifyPutsBodyBack(t *testing.T) {
	tc := beyondCoreSigner["body hashed"]
	r := readRequest(t, withAuthorization(tc.request, HMACSHA256, tc.signed, tc.canonical, testSK))
	a, err := ParseAuthorization(r.Header.Get(HeaderAuthorization))
	require.NoError(t, err)
	require.NoError(t, Verify(r, a, testSK))
	require.NoError(t, Verify(r, a, testSK), "a second Verify reads the whole body too")
	body, err := io.ReadAll(r.Body)
	require.NoError(t, err)
	assert.Equal(t, `{"a":1}`, string(body), "and so does the handler after it")
}
