package cph

import (
	"strings"
	"unicode/utf8"
)

// minRedactLen is the length from which a secret is redacted wherever it
// occurs. Huawei Cloud issues nothing shorter: secret keys have 40
// characters, security tokens hundreds, signatures 64 hex digits (access
// keys, 20 characters, are not secret). A shorter value cannot be a real
// credential, and looking for it would mangle messages: with the secret
// key "b", "busy" would read "[REDACTED]usy". So shorter values are left
// alone, and a message is never changed except where a real credential
// stood.
const minRedactLen = 16

// redact replaces every secret of at least minRedactLen bytes in s by
// "[REDACTED]".
func redact(s string, secrets []string) string {
	for _, secret := range secrets {
		if len(secret) >= minRedactLen && strings.Contains(s, secret) {
			s = strings.ReplaceAll(s, secret, redacted)
		}
	}
	return s
}

// redactCut is redact for a text that may have been cut short (ending in
// "…"): a start of a secret (of at least minRedactLen bytes), of at least
// 4 bytes, right before the cut is redacted too.
func redactCut(s string, secrets []string) string {
	s = redact(s, secrets)
	head, cut := strings.CutSuffix(s, "…")
	if !cut {
		return s
	}
	for _, secret := range secrets {
		if len(secret) < minRedactLen {
			continue
		}
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

// maxErrorText is the longest message redactError lets through: net/http
// quotes a malformed header line whole, and a header may be 1 MiB.
const maxErrorText = 1 << 10

// redactError returns err unchanged when its message holds no secret and
// is at most maxErrorText bytes, and otherwise an error with the same chain
// whose message is redacted and cut to that length.
func redactError(err error, secrets []string) error {
	msg := err.Error()
	r := redact(msg, secrets)
	if len(r) > maxErrorText {
		cut := maxErrorText
		for cut > 0 && !utf8.RuneStart(r[cut]) {
			cut--
		}
		r = redactCut(r[:cut]+"…", secrets)
	}
	if r != msg {
		return &redactedError{msg: r, err: err}
	}
	return err
}

// Caps of the texts an answer gives that the client quotes.
const (
	maxRequestID = 128 // a request ID, from the body or the X-Request-Id header
	maxBodyStart = 64  // the start of a body that is not the documented document
)

// cleanQuote makes s, a text from an answer, safe to show: every secret
// redacted, white space and control characters folded, cut to max bytes
// (with "…"), and a secret's start before the cut redacted too.
func cleanQuote(s string, max int, secrets []string) string {
	return redactCut(clean(redact(s, secrets), max), secrets)
}

// bodyStart is the first bytes of body, as an error may quote them:
// cleaned, cut to maxBodyStart bytes and redacted. It redacts a window
// long enough to hold any secret that starts within the first
// maxBodyStart bytes of body. Stripping HTML tags can bring text from past
// that point into what is shown, and so a secret that the window cuts:
// where the window cuts the body, the text is marked cut ("…"), so that a
// secret's start right before the cut is redacted too.
func bodyStart(body []byte, secrets []string) string {
	window := maxBodyStart
	for _, s := range secrets {
		window = max(window, maxBodyStart+len(s))
	}
	s := snippet(body[:min(len(body), window)])
	if s != "" && len(body) > window && !strings.HasSuffix(s, "…") {
		s += "…"
	}
	return cleanQuote(s, maxBodyStart, secrets)
}
