// Package redact takes secrets out of the texts the client shows: error
// messages, quoted bodies, logged values.
package redact

import (
	"strings"
	"unicode/utf8"
)

// Mark is what stands where a secret was.
const Mark = "[REDACTED]"

// MinLen is the length from which a secret is redacted wherever it occurs.
// Huawei Cloud issues nothing shorter: secret keys have 40 characters,
// security tokens hundreds, signatures 64 hex digits (access keys, 20
// characters, are not secret). A shorter value cannot be a real
// credential, and looking for it would mangle messages: with the secret
// key "b", "busy" would read "[REDACTED]usy". So shorter values are left
// alone, and a message is never changed except where a real credential
// stood.
const MinLen = 16

// String replaces every secret of at least MinLen bytes in s by Mark.
func String(s string, secrets []string) string {
	for _, secret := range secrets {
		if len(secret) >= MinLen && strings.Contains(s, secret) {
			s = strings.ReplaceAll(s, secret, Mark)
		}
	}
	return s
}

// Cut is String for a text that may have been cut short (ending in "…"):
// a start of a secret (of at least MinLen bytes), of at least 4 bytes,
// right before the cut is redacted too.
func Cut(s string, secrets []string) string {
	s = String(s, secrets)
	head, cut := strings.CutSuffix(s, "…")
	if !cut {
		return s
	}
	for _, secret := range secrets {
		if len(secret) < MinLen {
			continue
		}
		for k := len(secret) - 1; k >= 4; k-- {
			if strings.HasSuffix(head, secret[:k]) {
				head = head[:len(head)-k] + Mark
				break
			}
		}
	}
	return head + "…"
}

// MaxErrorText is the longest message Error lets through: net/http quotes
// a malformed header line whole, and a header may be 1 MiB.
const MaxErrorText = 1 << 10

// Error returns err unchanged when its message holds no secret and is at
// most MaxErrorText bytes, and otherwise an error with the same chain
// (for errors.Is and errors.As) whose message is redacted and cut to that
// length (with "…", at a rune boundary).
func Error(err error, secrets []string) error {
	msg := err.Error()
	r := String(msg, secrets)
	if len(r) > MaxErrorText {
		cut := MaxErrorText
		for cut > 0 && !utf8.RuneStart(r[cut]) {
			cut--
		}
		r = Cut(r[:cut]+"…", secrets)
	}
	if r != msg {
		return &messageError{msg: r, err: err}
	}
	return err
}

// WithMessage returns an error whose message is msg and whose chain is
// err's, for errors.Is and errors.As.
func WithMessage(err error, msg string) error {
	return &messageError{msg: msg, err: err}
}

// messageError keeps a cause for errors.Is and errors.As but shows another
// message.
type messageError struct {
	msg string
	err error
}

func (e *messageError) Error() string { return e.msg }
func (e *messageError) Unwrap() error { return e.err }
