package cph

import (
	"fmt"

	"github.com/cph-go/cph/internal/sigv"
)

// SigningAlgorithm is the scheme that signs requests, as named at the start
// of the Authorization header.
type SigningAlgorithm string

// The signing algorithms, both computed by the official core signer.
const (
	// SigningHMACSHA256 is SDK-HMAC-SHA256, the default.
	SigningHMACSHA256 SigningAlgorithm = sigv.HMACSHA256
	// SigningHMACSM3 is SDK-HMAC-SM3, for regions that require the SM3
	// hash.
	SigningHMACSM3 SigningAlgorithm = sigv.HMACSM3
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

// WithSigningAlgorithm sets the algorithm that signs requests:
// SigningHMACSHA256 (the default, also for "") or SigningHMACSM3. Any other
// value makes NewClient fail with an error wrapping ErrInvalidParameter.
func WithSigningAlgorithm(a SigningAlgorithm) Option {
	return func(c *config) error {
		if a != "" && !a.IsKnown() {
			return fmt.Errorf("%w: signing algorithm %q is not %q or %q", ErrInvalidParameter, string(a), SigningHMACSHA256, SigningHMACSM3)
		}
		c.signing = a
		return nil
	}
}
