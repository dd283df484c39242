package cph

import (
	"fmt"
	"log/slog"
)

// Credentials are an access key (AK) and secret key (SK), and for temporary
// credentials a security token.
//
// Credentials never print their secrets: under every fmt verb, as an slog
// value and as JSON the secret key and token are replaced by "[REDACTED]"
// and the access key is masked. Two cases fmt does not let any type
// redact: %p of a Credentials value or of a struct holding one (fmt
// handles %p before it looks for a method, and calls none on what it
// holds), and Credentials in an unexported field of your own struct (fmt
// prints such fields by reflection, without calling their methods): keep
// credentials in exported fields and out of %p. A Client and this
// package's providers keep theirs where fmt cannot reach.
type Credentials struct {
	AccessKey     string
	SecretKey     string
	SecurityToken string // temporary credentials; sent as X-Security-Token
}

const redacted = "[REDACTED]"

// maskedAccessKey shows the first four and last two characters of a long
// enough access key, and nothing of a short one.
func (c Credentials) maskedAccessKey() string {
	ak := c.AccessKey
	if ak == "" {
		return ""
	}
	if len(ak) < 12 {
		return "****"
	}
	return ak[:4] + "****" + ak[len(ak)-2:]
}

func redactedIfSet(s string) string {
	if s == "" {
		return ""
	}
	return redacted
}

// String returns the credentials with the secrets redacted.
func (c Credentials) String() string {
	return fmt.Sprintf("cph.Credentials{AccessKey:%q, SecretKey:%q, SecurityToken:%q}",
		c.maskedAccessKey(), redactedIfSet(c.SecretKey), redactedIfSet(c.SecurityToken))
}

// GoString returns the same redacted text as String, for %#v.
func (c Credentials) GoString() string { return c.String() }

// Format prints the redacted String under every verb, so that no fmt verb
// (%v, %+v, %#v, %s, %q, %x, ...) reveals a secret.
func (c Credentials) Format(f fmt.State, _ rune) {
	_, _ = f.Write([]byte(c.String()))
}

// LogValue makes slog log the credentials redacted.
func (c Credentials) LogValue() slog.Value {
	return slog.GroupValue(
		slog.String("access_key", c.maskedAccessKey()),
		slog.String("secret_key", redactedIfSet(c.SecretKey)),
		slog.String("security_token", redactedIfSet(c.SecurityToken)),
	)
}

// validate reports missing or unsendable credentials without quoting them.
func (c Credentials) validate() error {
	switch {
	case c.AccessKey == "" && c.SecretKey == "":
		return fmt.Errorf("%w: no access key and secret key given", ErrMissingCredentials)
	case c.AccessKey == "":
		return fmt.Errorf("%w: no access key given", ErrMissingCredentials)
	case c.SecretKey == "":
		return fmt.Errorf("%w: no secret key given", ErrMissingCredentials)
	case !isToken(c.AccessKey, false):
		return fmt.Errorf("%w: the access key has characters an access key cannot have", ErrInvalidCredentials)
	case c.SecurityToken != "" && !isToken(c.SecurityToken, true):
		return fmt.Errorf("%w: the security token has characters a header cannot carry", ErrInvalidCredentials)
	}
	return nil
}

// isToken reports whether s is printable ASCII without spaces; commas are
// refused unless allowComma, since the access key sits in a comma-separated
// Authorization header.
func isToken(s string, allowComma bool) bool {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c <= ' ' || c >= 0x7f || (c == ',' && !allowComma) {
			return false
		}
	}
	return true
}
