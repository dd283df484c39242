package sigv

import (
	"bufio"
	"bytes"
	"errors"
	"io"
	"net/http"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/huaweicloud/huaweicloud-sdk-go-v3/core/auth/signer"
	"github.com/huaweicloud/huaweicloud-sdk-go-v3/core/auth/signer/algorithm"
	"github.com/huaweicloud/huaweicloud-sdk-go-v3/core/request"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// fuzzHost is where the fuzzed requests are addressed; they are written to
// a buffer and read back, never sent.
const fuzzHost = "cph.example.test:8443"

// reservedHeaders are left out of the fuzzed headers: the core signer or
// net/http give them their own meaning (the date, the body's framing and
// hash, the connection), so a random value would break the request, not
// the signature.
var reservedHeaders = []string{
	"authorization", "connection", "content-length", "expect", "host",
	"keep-alive", "proxy-connection", "te", "trailer", "transfer-encoding",
	"upgrade", "x-sdk-content-sha256", "x-sdk-content-sm3", "x-sdk-date",
}

// fuzzInput is a request the core signer can express, built from the
// fuzzer's strings.
type fuzzInput struct {
	method, path string
	query        map[string][]string
	headers      [][2]string
	contentType  string
	body         string
	signHost     bool
	scheme       string
}

func newFuzzInput(method, path, query, headers, contentType, body string, signHost, useSM3 bool) fuzzInput {
	in := fuzzInput{path: path, body: body, signHost: signHost, scheme: HMACSHA256, query: map[string][]string{}}
	if useSM3 {
		in.scheme = HMACSM3
	}
	in.method = strings.Map(func(r rune) rune {
		if 'A' <= r && r <= 'Z' {
			return r
		}
		return -1
	}, method)
	if in.method == "" || in.method == http.MethodConnect {
		in.method = http.MethodGet // CONNECT takes an authority, not a path
	}
	if !strings.HasPrefix(in.path, "/") {
		in.path = "/" + in.path
	}
	if query != "" {
		for _, kv := range strings.Split(query, "&") {
			k, v, _ := strings.Cut(kv, "=")
			if k == "" {
				continue // the official SDK's query encoding drops a leading "="
			}
			in.query[k] = append(in.query[k], v)
		}
	}
	seen := map[string]bool{}
	for _, line := range strings.Split(headers, "\n") {
		name, value, _ := strings.Cut(line, ":")
		name = strings.Map(func(r rune) rune {
			if 'A' <= r && r <= 'Z' || 'a' <= r && r <= 'z' || '0' <= r && r <= '9' || r == '-' || r == '_' {
				return r
			}
			return -1
		}, name)
		lower := strings.ToLower(name)
		if name == "" || seen[lower] || strings.HasPrefix(lower, "content-type") || contains(reservedHeaders, lower) {
			continue
		}
		seen[lower] = true
		in.headers = append(in.headers, [2]string{name, headerValue(value)})
	}
	in.contentType = headerValue(contentType)
	return in
}

func contains(list []string, s string) bool {
	for _, v := range list {
		if v == s {
			return true
		}
	}
	return false
}

// headerValue drops what no server accepts in a header value: control
// bytes other than tab.
func headerValue(s string) string {
	return strings.Map(func(r rune) rune {
		if r < ' ' && r != '\t' || r == 0x7f {
			return -1
		}
		return r
	}, s)
}

// signWithCoreSigner signs in with the core signer and returns the request
// as a server reads it off the wire, the official SDK having converted it.
func signWithCoreSigner(t *testing.T, in fuzzInput, sk string) *http.Request {
	t.Helper()
	b := request.NewHttpRequestBuilder().
		WithEndpoint("https://" + fuzzHost).
		WithPath(in.path).
		WithMethod(in.method)
	if in.signHost {
		b.AddHeaderParam("Host", fuzzHost)
	}
	for _, h := range in.headers {
		b.AddHeaderParam(h[0], h[1])
	}
	if in.contentType != "" {
		b.AddHeaderParam("Content-Type", in.contentType)
	}
	b.AddHeaderParam(HeaderDate, testDate)
	for k, vs := range in.query {
		if len(vs) == 1 {
			b.AddQueryParam(k, reflect.ValueOf(vs[0]))
		} else {
			b.AddQueryParam(k, reflect.ValueOf(vs))
		}
	}
	if in.body != "" {
		b.WithBody("", in.body)
	}
	req := b.Build()
	alg := algorithm.HmacSHA256
	if in.scheme == HMACSM3 {
		alg = algorithm.HmacSM3
	}
	s, err := signer.GetSigner(algorithm.SigningAlgorithm(alg))
	require.NoError(t, err)
	added, err := s.Sign(req, testAK, sk)
	require.NoError(t, err)
	hr, err := req.ConvertRequest()
	require.NoError(t, err)
	for k, v := range added {
		hr.Header.Set(k, v)
	}
	var wire bytes.Buffer
	require.NoError(t, hr.Write(&wire))
	got, err := http.ReadRequest(bufio.NewReader(&wire))
	require.NoError(t, err, "wire form:\n%s", wire.String())
	return got
}

// signRequest is in as Sign takes it.
func (in fuzzInput) signRequest() Request {
	r := Request{Method: in.method, Host: fuzzHost, Path: in.path, Query: in.query, ContentType: in.contentType, Body: []byte(in.body)}
	if in.signHost {
		r.Headers = append(r.Headers, Header{"Host", fuzzHost})
	}
	for _, h := range in.headers {
		r.Headers = append(r.Headers, Header{h[0], h[1]})
	}
	r.Headers = append(r.Headers, Header{HeaderDate, testDate})
	return r
}

// checkSignMatchesCoreSigner checks Sign on in against the core signer's
// Authorization a (as the header value auth): Sign gives the same, every
// header given is signed and the core signer hashed the body; or Sign
// refuses a request the core signer would have signed otherwise than as
// sent.
func checkSignMatchesCoreSigner(t *testing.T, in fuzzInput, auth string, a Authorization, contentHeader string) {
	t.Helper()
	got, err := Sign(in.scheme, in.signRequest(), testAK, testSK)
	if err == nil {
		assert.Equal(t, auth, got, "Sign signs as the core signer")
		assert.NotContains(t, a.SignedHeaders, strings.ToLower(contentHeader), "and the core signer hashed the body")
		for _, h := range in.headers {
			assert.Contains(t, a.SignedHeaders, strings.ToLower(h[0]), "every header given is signed")
		}
		return
	}
	assert.True(t, errors.Is(err, ErrUnsignedHeader) || errors.Is(err, ErrContentType), "refused with %v", err)
	underscore := slices.ContainsFunc(in.headers, func(h [2]string) bool { return strings.Contains(h[0], "_") })
	plain := in.contentType == "application/json" || in.contentType == "" && in.body == ""
	assert.False(t, !underscore && plain, "a request Sign can sign refused: %v", err)
}

// FuzzVerifyMatchesCoreSigner signs random requests, bodies among them,
// with the core signer and checks that Sign gives the same signature or
// refuses the request, that Verify accepts each as sent, that its own
// signature is the core signer's, and that it refuses the request changed
// in one part the signature covers (chosen by tamper), one byte of the body
// among them. Its seed corpus is in testdata/fuzz/FuzzVerifyMatchesCoreSigner,
// run by every go test.
func FuzzVerifyMatchesCoreSigner(f *testing.F) {
	f.Fuzz(func(t *testing.T, method, path, query, headers, contentType, body string, signHost, useSM3 bool, tamper uint8) {
		if len(path)+len(query)+len(headers)+len(contentType)+len(body) > 4096 {
			t.Skip("keep requests small")
		}
		in := newFuzzInput(method, path, query, headers, contentType, body, signHost, useSM3)
		r := signWithCoreSigner(t, in, testSK)
		a, err := ParseAuthorization(r.Header.Get(HeaderAuthorization))
		require.NoError(t, err)
		assert.Equal(t, in.scheme, a.Scheme)

		s, err := lookupScheme(a.Scheme)
		require.NoError(t, err)
		checkSignMatchesCoreSigner(t, in, r.Header.Get(HeaderAuthorization), a, s.contentHeader)
		payload, err := payloadHash(r, s)
		require.NoError(t, err)
		canonical := canonicalRequest(r, a.SignedHeaders, payload)
		require.Equal(t, a.Signature, s.signature(a.Scheme, testDate, canonical, testSK),
			"our signature is the core signer's; our canonical request:\n%s", canonical)
		require.NoError(t, Verify(r, a, testSK))

		// Changed in one signed part, the request is refused.
		sk := testSK
		choice := tamper % 7
		if choice == 6 && slices.Contains(a.SignedHeaders, strings.ToLower(s.contentHeader)) {
			choice = 4 // the body is not signed (UNSIGNED-PAYLOAD): the date instead
		}
		switch choice {
		case 0:
			sk += "x"
		case 1:
			r.Method += "X"
		case 2:
			r.URL.RawQuery += "&zz-added=1"
		case 3:
			r.URL.Path += "x"
		case 4:
			r.Header.Set(HeaderDate, "20261130T080001Z")
		case 5:
			// The first signed header other than the date; the date, if
			// it is the only one.
			name := "x-sdk-date"
			for _, h := range a.SignedHeaders {
				if h != "x-sdk-date" {
					name = h
					break
				}
			}
			switch name {
			case "host":
				r.Host += "x"
			case "x-sdk-date":
				r.Header.Set(HeaderDate, "20261130T080001Z")
			default:
				r.Header.Set(name, r.Header.Get(name)+"x")
			}
		case 6:
			// One byte of the body changed, or one added to an empty body.
			body, err := io.ReadAll(r.Body)
			require.NoError(t, err)
			if len(body) == 0 {
				body = []byte("x")
			} else {
				body[len(body)/2] ^= 1
			}
			r.Body = io.NopCloser(bytes.NewReader(body))
		}
		assert.ErrorIs(t, Verify(r, a, sk), ErrMismatch)
	})
}
