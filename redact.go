package cph

import "strings"

// redact replaces every non-empty secret in s by "[REDACTED]".
func redact(s string, secrets []string) string {
	for _, secret := range secrets {
		if secret != "" && strings.Contains(s, secret) {
			s = strings.ReplaceAll(s, secret, redacted)
		}
	}
	return s
}

// redactedError keeps a cause for errors.Is and errors.As but shows a
// message with the secrets taken out.
type redactedError struct {
	msg string
	err error
}

func (e *redactedError) Error() string { return e.msg }
func (e *redactedError) Unwrap() error { return e.err }

// redactError returns err unchanged when its message holds no secret, and
// otherwise an error with the same chain whose message is redacted.
func redactError(err error, secrets []string) error {
	msg := err.Error()
	if r := redact(msg, secrets); r != msg {
		return &redactedError{msg: r, err: err}
	}
	return err
}
