package sigv

import (
	"errors"
	"fmt"
	"mime"
	"strings"
)

// Errors for a request Sign refuses because the core signer would sign it
// otherwise than as it is sent.
var (
	// ErrUnsignedHeader means Request.Headers holds a header the core
	// signer leaves out of the signature: Content-Type (or any name that
	// begins with it) or a name with "_".
	ErrUnsignedHeader = errors.New("header not signed by the core signer")
	// ErrContentType means Request.ContentType is not JSON, or a body has
	// no content type.
	ErrContentType = errors.New("content type not signable")
	// ErrBodyHash means Request.Headers holds the scheme's body-hash
	// header together with a body, whose hash Sign computes itself.
	ErrBodyHash = errors.New("body hash header with a body")
)

// checkSignable returns an error if the core signer would not sign r as
// Sign promises: every header of r.Headers and the hash of r.Body. It also
// reports whether r.Headers holds contentHeader, the scheme's body-hash
// header.
func checkSignable(r Request, contentHeader string) (hasContentHeader bool, err error) {
	for _, h := range r.Headers {
		name := h.Name
		if len(name) >= len("content-type") && strings.EqualFold(name[:len("content-type")], "content-type") {
			return false, fmt.Errorf("%w: %s (set Request.ContentType)", ErrUnsignedHeader, name)
		}
		if strings.IndexByte(name, '_') >= 0 {
			return false, fmt.Errorf("%w: %s (a name with _)", ErrUnsignedHeader, name)
		}
		if strings.EqualFold(name, contentHeader) {
			hasContentHeader = true
		}
	}
	if r.ContentType != "" && !isJSON(r.ContentType) {
		return false, fmt.Errorf("%w: %q is not application/json", ErrContentType, r.ContentType)
	}
	if len(r.Body) > 0 {
		if r.ContentType == "" {
			return false, fmt.Errorf("%w: a body needs ContentType application/json", ErrContentType)
		}
		if hasContentHeader {
			return false, fmt.Errorf("%w: %s", ErrBodyHash, contentHeader)
		}
	}
	return hasContentHeader, nil
}

// isJSON reports whether the content type v is application/json, with any
// parameters.
func isJSON(v string) bool {
	mt, _, err := mime.ParseMediaType(v)
	return err == nil && mt == "application/json"
}
