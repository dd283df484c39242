package cph

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/cph-go/cph/internal/sigv"
)

// SigningAlgorithm is the scheme that signs requests, as named at the start
// of the Authorization header.
type SigningAlgorithm string

// The signing algorithms, both computed by the official core signer.
const (
	// SigningHMACSHA256 is SDK-HMAC-SHA256, the default.
	SigningHMACSHA256 SigningAlgorithm = "SDK-HMAC-SHA256"
	// SigningHMACSM3 is SDK-HMAC-SM3, for regions that require the SM3
	// hash.
	SigningHMACSM3 SigningAlgorithm = "SDK-HMAC-SM3"
)

// IsKnown reports whether a is one of the algorithms the client can sign
// with.
func (a SigningAlgorithm) IsKnown() bool {
	return a == SigningHMACSHA256 || a == SigningHMACSM3
}

// Values returns the algorithms the client can sign with.
func (SigningAlgorithm) Values() []SigningAlgorithm {
	return []SigningAlgorithm{SigningHMACSHA256, SigningHMACSM3}
}

// Header names the client sends for the signature.
const (
	headerSecurityToken = "X-Security-Token"
	headerProjectID     = "X-Project-Id"
)

// signedHeaders are the headers of a request that its signature covers,
// besides Host and X-Sdk-Date, when the request carries them.
var signedHeaders = [...]string{headerProjectID, headerSecurityToken}

// sign signs req in place with the official core signer of scheme as of
// time t, for a request whose body is body (the exact bytes sent, as JSON;
// nil for none): it sets X-Sdk-Date and Authorization, and returns the
// signature so that callers can keep it out of error messages. The
// signature covers the method, path, query, Host, X-Sdk-Date, the headers
// in signedHeaders and the body's hash.
func sign(req *http.Request, scheme string, c Credentials, t time.Time, body []byte) (string, error) {
	date := t.UTC().Format(sigv.DateFormat)
	var room [2 + len(signedHeaders)]sigv.Header
	headers := append(room[:0], sigv.Header{Name: "Host", Value: req.URL.Host}, sigv.Header{Name: sigv.HeaderDate, Value: date})
	for _, h := range signedHeaders {
		if v := req.Header.Get(h); v != "" {
			headers = append(headers, sigv.Header{Name: h, Value: v})
		}
	}
	var query url.Values
	if req.URL.RawQuery != "" {
		query = req.URL.Query()
	}
	contentType := ""
	if body != nil {
		contentType = contentTypeJSON
	}
	auth, err := sigv.Sign(scheme, sigv.Request{
		Method:      req.Method,
		Host:        req.URL.Host,
		Path:        req.URL.Path,
		Query:       query,
		Headers:     headers,
		Body:        body,
		ContentType: contentType,
	}, c.AccessKey, c.SecretKey)
	if err != nil {
		return "", fmt.Errorf("sign request: %w", err)
	}
	req.Header[sigv.HeaderDate] = []string{date}
	req.Header[sigv.HeaderAuthorization] = []string{auth}
	_, sig, _ := strings.Cut(auth, "Signature=")
	return sig, nil
}
