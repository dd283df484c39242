package cph

import (
	"errors"
	"net/http"
	"strconv"
	"strings"
	"time"
)

// Sentinel errors. The library never returns them bare: it wraps them in an
// error that starts with "cph:" and names the operation, so test with
// errors.Is.
var (
	// ErrMissingCredentials means no access key and secret key were given.
	ErrMissingCredentials = errors.New("missing credentials")
	// ErrInvalidCredentials means the credentials cannot be sent as given,
	// for example an access key with spaces or control characters.
	ErrInvalidCredentials = errors.New("invalid credentials")
	// ErrMissingProjectID means no project ID was given.
	ErrMissingProjectID = errors.New("missing project ID")
	// ErrInvalidProjectID means the project ID has characters a project ID
	// cannot have.
	ErrInvalidProjectID = errors.New("invalid project ID")
	// ErrMissingEndpoint means neither a region nor an endpoint was given.
	ErrMissingEndpoint = errors.New("missing endpoint: set a region or an endpoint")
	// ErrInvalidEndpoint means the endpoint is not an absolute http(s) URL,
	// or the region is not a region ID.
	ErrInvalidEndpoint = errors.New("invalid endpoint")
	// ErrInvalidParameter means a call's parameter was refused before any
	// request was sent.
	ErrInvalidParameter = errors.New("invalid parameter")
	// ErrInvalidResponse means the service answered 2xx with a body that is
	// not the documented document.
	ErrInvalidResponse = errors.New("invalid response")
	// ErrResponseTooLarge means the response body was larger than the
	// client reads.
	ErrResponseTooLarge = errors.New("response too large")
	// ErrInsecureEndpoint means the endpoint is a plain http:// URL of a
	// host that is not loopback, and WithAllowInsecureHTTP was not given.
	ErrInsecureEndpoint = errors.New("insecure endpoint")
)

// APIError is a non-2xx answer of the service or of the API gateway in front
// of it. Reach it with errors.As.
type APIError struct {
	Operation  string // "ListPhoneImages"
	StatusCode int    // the HTTP status, such as 400
	Code       string // "CPS.0005", "APIGW.0301", ...; empty if the body had none
	Message    string // the service's message, or a trimmed snippet of a non-JSON body
	RequestID  string // the body's request_id, else the X-Request-Id header
	Attempts   int    // how many requests the call sent, retries included

	// RetryAfter is the wait the service asked for with a Retry-After
	// header (seconds, or an HTTP date counted from when the answer came),
	// or 0 when it asked for none. A value too large to read is the
	// longest Duration.
	RetryAfter time.Duration
}

// Error returns "cph: ListPhoneImages: 400 CPS.0005: <message> (request id r1)".
// Parts the answer did not have are left out. (The number of attempts is in
// the Attempts field.)
func (e *APIError) Error() string {
	var b strings.Builder
	writeErrorStart(&b, e.Operation)
	b.WriteString(strconv.Itoa(e.StatusCode))
	if e.Code != "" {
		b.WriteByte(' ')
		b.WriteString(e.Code)
	}
	msg := e.Message
	if msg == "" {
		msg = http.StatusText(e.StatusCode)
	}
	if msg != "" {
		b.WriteString(": ")
		b.WriteString(msg)
	}
	writeRequestID(&b, e.RequestID)
	return b.String()
}

// writeErrorStart writes the start of an answer's error message:
// "cph: <op>: ", or "cph: " when op is "".
func writeErrorStart(b *strings.Builder, op string) {
	b.WriteString("cph: ")
	if op != "" {
		b.WriteString(op)
		b.WriteString(": ")
	}
}

// writeRequestID writes the end of an answer's error message,
// " (request id <id>)", when id is not "".
func writeRequestID(b *strings.Builder, id string) {
	if id != "" {
		b.WriteString(" (request id ")
		b.WriteString(id)
		b.WriteByte(')')
	}
}

// InvalidResponseError is a 2xx answer whose body is not the documented
// document, so the call could not use it. Reach it with errors.As; it
// wraps ErrInvalidResponse and Err, so errors.Is(err, ErrInvalidResponse)
// holds too.
type InvalidResponseError struct {
	Operation  string // "ListPhoneImages"
	StatusCode int    // the answer's status, such as 200
	RequestID  string // the body's request_id if decoding read it, else the X-Request-Id header
	BodyStart  string // the first bytes of the body, cleaned, with every secret redacted
	Attempts   int    // how many requests the call sent, retries included
	Err        error  // what is wrong with the body
}

// Error returns "cph: ListPhoneImages: invalid response: <what is wrong>
// (body starts "...") (request id r1)". Parts the answer did not have are
// left out.
func (e *InvalidResponseError) Error() string {
	var b strings.Builder
	writeErrorStart(&b, e.Operation)
	if e.Err != nil {
		b.WriteString(e.Err.Error())
	} else {
		b.WriteString(ErrInvalidResponse.Error())
	}
	if e.BodyStart != "" {
		b.WriteString(" (body starts ")
		b.WriteString(strconv.Quote(e.BodyStart))
		b.WriteByte(')')
	}
	writeRequestID(&b, e.RequestID)
	return b.String()
}

// Unwrap returns ErrInvalidResponse and Err, for errors.Is and errors.As.
func (e *InvalidResponseError) Unwrap() []error {
	if e.Err == nil {
		return []error{ErrInvalidResponse}
	}
	return []error{ErrInvalidResponse, e.Err}
}

// asAPIError finds an *APIError in err's chain.
func asAPIError(err error) (*APIError, bool) {
	var e *APIError
	if errors.As(err, &e) && e != nil {
		return e, true
	}
	return nil, false
}

// IsNotFound reports whether err is, or wraps, an *APIError with status 404.
func IsNotFound(err error) bool {
	e, ok := asAPIError(err)
	return ok && e.StatusCode == http.StatusNotFound
}

// IsThrottled reports whether err is, or wraps, an *APIError that says the
// caller was throttled: status 429, or the gateway's code APIGW.0308 or
// APIG.0308.
func IsThrottled(err error) bool {
	e, ok := asAPIError(err)
	if !ok {
		return false
	}
	return e.StatusCode == http.StatusTooManyRequests || gatewayCode(e.Code) == "0308"
}

// IsAuthError reports whether err is, or wraps, an *APIError that says the
// request was not authenticated or not authorized: status 401 or 403, or one
// of the gateway's authentication codes (APIGW.0301 to APIGW.0307 and
// APIGW.0311, also spelled APIG.).
func IsAuthError(err error) bool {
	e, ok := asAPIError(err)
	if !ok {
		return false
	}
	if e.StatusCode == http.StatusUnauthorized || e.StatusCode == http.StatusForbidden {
		return true
	}
	return isGatewayAuthCode(gatewayCode(e.Code))
}

// isGatewayAuthCode reports whether n (the number after "APIGW." or
// "APIG.") is one of the API gateway's authentication and authorization
// codes.
func isGatewayAuthCode(n string) bool {
	switch n {
	case "0301", // incorrect IAM authentication information (bad or expired signature)
		"0302", // IAM user not authorized to access the API
		"0303", // incorrect app authentication information
		"0304", // app not authorized to access the API
		"0305", // incorrect authentication information
		"0306", // API access denied
		"0307", // token must be updated
		"0311": // incorrect debug authentication information
		return true
	}
	return false
}

// gatewayCode returns the number of an API gateway code ("0308" for
// "APIGW.0308" or "APIG.0308"), or "" for any other code.
func gatewayCode(code string) string {
	for _, prefix := range []string{"APIGW.", "APIG."} {
		if rest, ok := strings.CutPrefix(code, prefix); ok {
			return rest
		}
	}
	return ""
}
