// Package sigv signs requests and verifies signatures with Huawei Cloud's
// AK/SK scheme (SDK-HMAC-SHA256 and SDK-HMAC-SM3). Sign, the client side,
// uses the official core signer, so a request is signed as the official SDK
// signs it. Verify, the server side of cphtest, is this package's own
// canonical request over exactly the headers that SignedHeaders lists,
// which the core signer cannot express (it never signs Content-Type or a
// header with "_"); on every request the core signer can sign, the two
// agree (FuzzVerifyMatchesCoreSigner).
package sigv

import (
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"reflect"
	"strings"
	"time"

	"github.com/huaweicloud/huaweicloud-sdk-go-v3/core/auth/signer"
	"github.com/huaweicloud/huaweicloud-sdk-go-v3/core/auth/signer/algorithm"
	"github.com/huaweicloud/huaweicloud-sdk-go-v3/core/request"
)

// Signature scheme names as they open the Authorization header.
const (
	HMACSHA256 = "SDK-HMAC-SHA256"
	HMACSM3    = "SDK-HMAC-SM3"
)

// Header names and the date layout of the scheme.
const (
	HeaderDate          = "X-Sdk-Date"
	HeaderAuthorization = "Authorization"
	DateFormat          = signer.BasicDateFormat
)

// ErrUnsupportedAlgorithm means the scheme is not one this package knows.
var ErrUnsupportedAlgorithm = errors.New("unsupported signing algorithm")

func coreSigner(scheme string) (signer.IAKSKSigner, error) {
	switch scheme {
	case HMACSHA256:
		return signer.GetSigner(algorithm.HmacSHA256)
	case HMACSM3:
		return signer.GetSigner(algorithm.HmacSM3)
	}
	return nil, fmt.Errorf("%w: %q", ErrUnsupportedAlgorithm, scheme)
}

// Request is what a signature covers.
type Request struct {
	Method  string
	Host    string // the request's host, with any port
	Path    string // unescaped
	Query   url.Values
	Headers []Header // the headers to sign, X-Sdk-Date and usually Host among them
	// ContentType is the value of the Content-Type header the request is
	// sent with, empty for none. It is not signed (the core signer never
	// signs Content-Type); it must be application/json, in lower case as
	// the core signer matches it, with any parameters.
	ContentType string
	// Body is the exact bytes the request is sent with; nil or empty for
	// none, both signed as the empty body.
	Body []byte
}

// Header is a header to sign: its canonical name and its value.
type Header struct {
	Name, Value string
}

// Sign returns the Authorization header value for r, as computed by the core
// signer of scheme with the given keys. Every header in r.Headers is signed,
// and so is the hash (SHA-256, or SM3 for SDK-HMAC-SM3) of exactly the bytes
// of r.Body, the empty body's hash when it is empty.
//
// Sign refuses a request the core signer would sign otherwise than as sent:
// with ErrUnsignedHeader, a header in r.Headers the core signer leaves out
// of the signature (Content-Type or a name beginning with it, a name with
// "_"); with ErrContentType, an r.ContentType that is not application/json
// or a body without one (for another type the core signer signs
// "UNSIGNED-PAYLOAD" in place of the body's hash, through an
// X-Sdk-Content-Sha256 header Sign does not return); with ErrBodyHash, a
// body together with the scheme's body-hash header (X-Sdk-Content-Sha256,
// X-Sdk-Content-Sm3 for SDK-HMAC-SM3) in r.Headers, whose value the core
// signer would sign in place of the body's hash.
func Sign(scheme string, r Request, ak, sk string) (string, error) {
	s, err := coreSigner(scheme)
	if err != nil {
		return "", err
	}
	hs, err := lookupScheme(scheme)
	if err != nil {
		return "", err
	}
	hadContentHeader, err := checkSignable(r, hs.contentHeader)
	if err != nil {
		return "", err
	}
	b := request.NewHttpRequestBuilder().
		WithEndpoint("https://" + r.Host).
		WithPath(r.Path).
		WithMethod(r.Method)
	for _, h := range r.Headers {
		b.AddHeaderParam(http.CanonicalHeaderKey(h.Name), h.Value)
	}
	if r.ContentType != "" {
		b.AddHeaderParam("Content-Type", r.ContentType)
	}
	// The core signer hashes a string body as its bytes, but a []byte as
	// the JSON encoding of it (a quoted base64 string and a newline).
	if len(r.Body) > 0 {
		b.WithBody("", string(r.Body))
	}
	// The core signer reads only reflect.Value query values: any other type
	// is silently left out of the canonical query string.
	for k, vs := range r.Query {
		if len(vs) == 1 {
			b.AddQueryParam(k, reflect.ValueOf(vs[0]))
		} else {
			b.AddQueryParam(k, reflect.ValueOf(vs))
		}
	}
	req := b.Build()
	added, err := s.Sign(req, ak, sk)
	if err != nil {
		return "", err
	}
	// For a content type it does not take for JSON, the core signer adds
	// the body-hash header as UNSIGNED-PAYLOAD and signs it.
	if _, ok := req.GetHeaderParams()[hs.contentHeader]; ok && !hadContentHeader {
		return "", fmt.Errorf("%w: the core signer leaves the body unsigned for %q", ErrContentType, r.ContentType)
	}
	return added[HeaderAuthorization], nil
}

// Authorization is a parsed Authorization header.
type Authorization struct {
	Scheme        string
	AccessKey     string
	SignedHeaders []string
	Signature     string
}

// ErrMalformed means an Authorization header does not have the scheme's form.
var ErrMalformed = errors.New("malformed Authorization header")

// ParseAuthorization parses
// "SDK-HMAC-SHA256 Access=AK, SignedHeaders=a;b, Signature=hex".
func ParseAuthorization(v string) (Authorization, error) {
	var a Authorization
	scheme, rest, ok := strings.Cut(v, " ")
	if !ok {
		return a, ErrMalformed
	}
	a.Scheme = scheme
	for _, part := range strings.Split(rest, ",") {
		k, val, ok := strings.Cut(strings.TrimSpace(part), "=")
		if !ok {
			return a, ErrMalformed
		}
		switch k {
		case "Access":
			a.AccessKey = val
		case "SignedHeaders":
			a.SignedHeaders = strings.Split(val, ";")
		case "Signature":
			a.Signature = val
		default:
			return a, ErrMalformed
		}
	}
	if a.AccessKey == "" || a.Signature == "" || len(a.SignedHeaders) == 0 {
		return a, ErrMalformed
	}
	return a, nil
}

// Date returns the request's X-Sdk-Date.
func Date(r *http.Request) (time.Time, error) {
	return time.Parse(DateFormat, r.Header.Get(HeaderDate))
}

// ErrMismatch means the signature is not the one the keys give.
var ErrMismatch = errors.New("signature mismatch")
