package sigv

import (
	"net/http"
	"slices"
	"strings"
	"testing"

	"github.com/huaweicloud/huaweicloud-sdk-go-v3/core/auth/signer"
	"github.com/huaweicloud/huaweicloud-sdk-go-v3/core/auth/signer/algorithm"
	"github.com/huaweicloud/huaweicloud-sdk-go-v3/core/request"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// secretValue is a header value no error may repeat.
const secretValue = "tOkEn-never-in-an-error"

// signableRequest is a POST of a JSON body Sign accepts, with headers added.
func signableRequest(add ...Header) Request {
	return Request{
		Method: http.MethodPost, Host: katHost, Path: "/v1/p1/cloud-phone/images",
		Headers:     append([]Header{{"Host", katHost}, {HeaderDate, testDate}, {"X-Security-Token", secretValue}}, add...),
		ContentType: "application/json", Body: []byte(katBody),
	}
}

func TestSignRefusesWhatTheCoreSignerWouldSignOtherwise(t *testing.T) {
	noBody := func(r Request) Request { r.Body = nil; return r }
	withType := func(r Request, ct string) Request { r.ContentType = ct; return r }
	tests := map[string]struct {
		scheme string // HMACSHA256 if empty
		req    Request
		want   error // nil: signed
	}{
		"Content-Type among the headers":        {req: signableRequest(Header{"Content-Type", "application/json"}), want: ErrUnsignedHeader},
		"content-type in lower case":            {req: noBody(signableRequest(Header{"content-type", "application/json"})), want: ErrUnsignedHeader},
		"a name beginning with Content-Type":    {req: signableRequest(Header{"Content-Type-Options", "x"}), want: ErrUnsignedHeader},
		"a name with _":                         {req: noBody(signableRequest(Header{"X_Trace_Id", secretValue})), want: ErrUnsignedHeader},
		"a JSON body":                           {req: signableRequest()},
		"a body without a content type":         {req: withType(signableRequest(), ""), want: ErrContentType},
		"a body as text/plain":                  {req: withType(signableRequest(), "text/plain"), want: ErrContentType},
		"a body as application/json-patch+json": {req: withType(signableRequest(), "application/json-patch+json"), want: ErrContentType},
		"a body as application/bson":            {req: withType(signableRequest(), "application/bson"), want: ErrContentType},
		"no body, text/plain":                   {req: noBody(withType(signableRequest(), "text/plain")), want: ErrContentType},
		"a content type that does not parse":    {req: withType(signableRequest(), "application/json; charset"), want: ErrContentType},
		// mime takes the media type in any case; the core signer does not.
		"Application/JSON: the core signer would not hash the body": {req: withType(signableRequest(), "Application/JSON"), want: ErrContentType},
		"Application/JSON, SM3":     {scheme: HMACSM3, req: withType(signableRequest(), "Application/JSON"), want: ErrContentType},
		"application/json, charset": {req: withType(signableRequest(), "application/json; charset=utf-8")},
		"a body with X-Sdk-Content-Sha256": {
			req: signableRequest(Header{"X-Sdk-Content-Sha256", "UNSIGNED-PAYLOAD"}), want: ErrBodyHash,
		},
		"a body with x-sdk-content-sm3, SM3": {
			scheme: HMACSM3, req: signableRequest(Header{"x-sdk-content-sm3", "UNSIGNED-PAYLOAD"}), want: ErrBodyHash,
		},
		"no body, X-Sdk-Content-Sha256: signed as given": {
			req: noBody(signableRequest(Header{"X-Sdk-Content-Sha256", "UNSIGNED-PAYLOAD"})),
		},
		"no body, text/plain, X-Sdk-Content-Sha256 given": {
			req: noBody(withType(signableRequest(Header{"X-Sdk-Content-Sha256", "UNSIGNED-PAYLOAD"}), "text/plain")), want: ErrContentType,
		},
		"a body with the other scheme's header: signed like any": {
			req: signableRequest(Header{"X-Sdk-Content-Sm3", "x"}),
		},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			scheme := tc.scheme
			if scheme == "" {
				scheme = HMACSHA256
			}
			auth, err := Sign(scheme, tc.req, testAK, testSK)
			if tc.want == nil {
				require.NoError(t, err)
				a, err := ParseAuthorization(auth)
				require.NoError(t, err)
				for _, h := range tc.req.Headers {
					assert.Contains(t, a.SignedHeaders, strings.ToLower(h.Name), "every header given is signed")
				}
				assert.Len(t, a.SignedHeaders, len(tc.req.Headers), "and no other")
				return
			}
			assert.ErrorIs(t, err, tc.want)
			assert.Empty(t, auth)
			assert.NotContains(t, err.Error(), secretValue, "no header value in the error")
			assert.NotContains(t, err.Error(), testSK)
		})
	}
}

// coreSign signs with the core signer of scheme directly, headers given as
// named and body as given, and returns the Authorization it computes.
func coreSign(t *testing.T, scheme string, headers map[string]string, body any) Authorization {
	t.Helper()
	b := request.NewHttpRequestBuilder().WithEndpoint("https://" + katHost).WithPath("/v1/p1/x").WithMethod(http.MethodPost)
	for k, v := range headers {
		b.AddHeaderParam(k, v)
	}
	b.WithBody("", body)
	alg := algorithm.HmacSHA256
	if scheme == HMACSM3 {
		alg = algorithm.HmacSM3
	}
	s, err := signer.GetSigner(algorithm.SigningAlgorithm(alg))
	require.NoError(t, err)
	added, err := s.Sign(b.Build(), testAK, testSK)
	require.NoError(t, err)
	a, err := ParseAuthorization(added[HeaderAuthorization])
	require.NoError(t, err)
	return a
}

// TestCoreSignerFacts pins what the core signer does that Sign's refusals
// and its string body rest on; if the SDK changes, so must Sign.
func TestCoreSignerFacts(t *testing.T) {
	base := map[string]string{"Host": katHost, HeaderDate: testDate}
	with := func(k, v string) map[string]string {
		m := map[string]string{k: v}
		for bk, bv := range base {
			m[bk] = bv
		}
		return m
	}
	for _, scheme := range []string{HMACSHA256, HMACSM3} {
		s, err := lookupScheme(scheme)
		require.NoError(t, err)
		contentHeader := strings.ToLower(s.contentHeader)
		t.Run(scheme, func(t *testing.T) {
			for _, name := range []string{"Content-Type", "content-type", "Content-Type-Options", "X_Trace_Id"} {
				a := coreSign(t, scheme, with(name, "application/json"), nil)
				assert.Equal(t, []string{"host", "x-sdk-date"}, a.SignedHeaders, "%s is not signed", name)
			}

			// A body as a string: its bytes are hashed, as Sign hands it.
			canonical := "POST\n/v1/p1/x/\n\nhost:" + katHost + "\nx-sdk-date:" + testDate + "\n\nhost;x-sdk-date\n"
			hexHash := hexSHA256
			if scheme == HMACSM3 {
				hexHash = hexSM3
			}
			a := coreSign(t, scheme, with("Content-Type", "application/json"), katBody)
			assert.Equal(t, signLiteral(scheme, testDate, canonical+hexHash(katBody), testSK), a.Signature, "a string body: its bytes")
			// A []byte: the hash of its JSON encoding, a quoted base64 string and a newline.
			a = coreSign(t, scheme, with("Content-Type", "application/json"), []byte(katBody))
			assert.Equal(t, signLiteral(scheme, testDate, canonical+hexHash(`"eyJtZW1iZXJfaWQiOiJhYmMifQ=="`+"\n"), testSK), a.Signature, "a []byte body: base64 JSON")
			// A struct: re-encoded, with a newline.
			a = coreSign(t, scheme, with("Content-Type", "application/json"), struct {
				MemberID string `json:"member_id"`
			}{"abc"})
			assert.Equal(t, signLiteral(scheme, testDate, canonical+hexHash(katBody+"\n"), testSK), a.Signature, "a struct body: JSON and a newline")

			// Other content types: UNSIGNED-PAYLOAD, through a header it signs.
			for ct, unsigned := range map[string]bool{
				"application/json; charset=utf-8": false, "application/bson": false,
				"text/plain": true, "Application/JSON": true, "application/octet-stream": true,
			} {
				a := coreSign(t, scheme, with("Content-Type", ct), katBody)
				assert.Equal(t, unsigned, slices.Contains(a.SignedHeaders, contentHeader), "%s: %s signed", ct, contentHeader)
				if unsigned {
					c := "POST\n/v1/p1/x/\n\nhost:" + katHost + "\n" + contentHeader + ":UNSIGNED-PAYLOAD\nx-sdk-date:" + testDate +
						"\n\nhost;" + contentHeader + ";x-sdk-date\nUNSIGNED-PAYLOAD"
					assert.Equal(t, signLiteral(scheme, testDate, c, testSK), a.Signature, "%s: the body is not hashed", ct)
				}
			}
			// The body-hash header, given: its value stands for the body.
			a = coreSign(t, scheme, with(s.contentHeader, "UNSIGNED-PAYLOAD"), katBody)
			c := "POST\n/v1/p1/x/\n\nhost:" + katHost + "\n" + contentHeader + ":UNSIGNED-PAYLOAD\nx-sdk-date:" + testDate +
				"\n\nhost;" + contentHeader + ";x-sdk-date\nUNSIGNED-PAYLOAD"
			assert.Equal(t, signLiteral(scheme, testDate, c, testSK), a.Signature, "the body-hash header's value stands for the body")
		})
	}
}
