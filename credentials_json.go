package cph

import (
	"encoding/json"
	"errors"
	"fmt"
	"strings"

	"github.com/cph-go/cph/internal/redact"
)

// MarshalJSON encodes the credentials redacted, so that a struct holding
// them can be logged as JSON without leaking the secret key:
// {"access_key": the masked access key, "secret_key": "[REDACTED]",
// "security_token": "[REDACTED]"}, each "" when unset.
func (c Credentials) MarshalJSON() ([]byte, error) {
	return json.Marshal(map[string]string{
		"access_key":     c.maskedAccessKey(),
		"secret_key":     redactedIfSet(c.SecretKey),
		"security_token": redactedIfSet(c.SecurityToken),
	})
}

// credentialsJSON is what UnmarshalJSON reads: the names MarshalJSON
// writes and the Go field names. A nil field was absent or null.
type credentialsJSON struct {
	AccessKey     *string `json:"access_key"`
	SecretKey     *string `json:"secret_key"`
	SecurityToken *string `json:"security_token"`

	GoAccessKey     *string `json:"AccessKey"`
	GoSecretKey     *string `json:"SecretKey"`
	GoSecurityToken *string `json:"SecurityToken"`
}

// UnmarshalJSON decodes a JSON object into c, replacing all of it, under
// the names MarshalJSON writes (access_key, secret_key, security_token)
// and, for compatibility, the Go field names (AccessKey, SecretKey,
// SecurityToken), matched case-insensitively as encoding/json matches
// names. A field absent or null is empty; when both names of a field are
// given they must agree. Unknown names are ignored, as encoding/json
// ignores them; JSON null leaves c unchanged.
//
// What MarshalJSON writes cannot be read back as credentials: a secret key
// or security token of "[REDACTED]", or an access key masked with "****",
// is an error wrapping ErrInvalidCredentials, so that a round trip never
// silently yields keys that fail to sign. So is a value that is not a
// string (the error also wraps the *json.UnmarshalTypeError), or input
// that is not an object. On an error c is left unchanged, and no error
// message holds a key or token of the input.
func (c *Credentials) UnmarshalJSON(data []byte) error {
	if string(data) == "null" {
		return nil
	}
	var in credentialsJSON
	if err := json.Unmarshal(data, &in); err != nil {
		return unmarshalError(err)
	}
	var out Credentials
	fields := []struct {
		dst          *string
		name, goName string
		value, alias *string
	}{
		{&out.AccessKey, "access_key", "AccessKey", in.AccessKey, in.GoAccessKey},
		{&out.SecretKey, "secret_key", "SecretKey", in.SecretKey, in.GoSecretKey},
		{&out.SecurityToken, "security_token", "SecurityToken", in.SecurityToken, in.GoSecurityToken},
	}
	for _, f := range fields {
		v := f.value
		if v == nil {
			v = f.alias
		} else if f.alias != nil && *f.alias != *v {
			return fmt.Errorf("cph: Credentials.UnmarshalJSON: %w: %s and %s are both given, with different values", ErrInvalidCredentials, f.name, f.goName)
		}
		if v != nil {
			*f.dst = *v
		}
	}
	switch {
	case strings.Contains(out.AccessKey, "****"):
		return fmt.Errorf("cph: Credentials.UnmarshalJSON: %w: access_key is masked, as MarshalJSON writes it, not an access key", ErrInvalidCredentials)
	case out.SecretKey == redacted:
		return fmt.Errorf("cph: Credentials.UnmarshalJSON: %w: secret_key is %q, the placeholder MarshalJSON writes, not a secret key", ErrInvalidCredentials, redacted)
	case out.SecurityToken == redacted:
		return fmt.Errorf("cph: Credentials.UnmarshalJSON: %w: security_token is %q, the placeholder MarshalJSON writes, not a security token", ErrInvalidCredentials, redacted)
	}
	*c = out
	return nil
}

// unmarshalError says what in the input has the wrong JSON type, without
// the internal type's name or any value; the error wraps
// ErrInvalidCredentials and err, the *json.UnmarshalTypeError.
func unmarshalError(err error) error {
	var typeErr *json.UnmarshalTypeError
	if !errors.As(err, &typeErr) {
		return fmt.Errorf("cph: Credentials.UnmarshalJSON: %w", err)
	}
	what := "the credentials are a JSON " + typeErr.Value + ", not an object"
	if typeErr.Field != "" {
		what = typeErr.Field + " is a JSON " + typeErr.Value + ", not a string"
	}
	msg := "cph: Credentials.UnmarshalJSON: " + ErrInvalidCredentials.Error() + ": " + what
	return redact.WithMessage(fmt.Errorf("%w: %w", ErrInvalidCredentials, err), msg)
}
