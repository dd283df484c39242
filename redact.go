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

// redactCut is redact for a text that may have been cut short (ending in
// "…"): a start of a secret, of at least 4 bytes, right before the cut is
// redacted too.
func redactCut(s string, secrets []string) string {
	s = redact(s, secrets)
	head, cut := strings.CutSuffix(s, "…")
	if !cut {
		return s
	}
	for _, secret := range secrets {
		for k := len(secret) - 1; k >= 4; k-- {
			if strings.HasSuffix(head, secret[:k]) {
				head = head[:len(head)-k] + redacted
				break
			}
		}
	}
	return head + "…"
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
