package cph

import (
	"strings"

	"github.com/cph-go/cph/internal/redact"
)

// Caps of the texts an answer gives that the client quotes.
const (
	maxRequestID = 128 // a request ID, from the body or the X-Request-Id header
	maxBodyStart = 64  // the start of a body that is not the documented document
)

// cleanQuote makes s, a text from an answer, safe to show: every secret
// redacted, white space and control characters folded, cut to max bytes
// (with "…"), and a secret's start before the cut redacted too.
func cleanQuote(s string, max int, secrets []string) string {
	return redact.Cut(clean(redact.String(s, secrets), max), secrets)
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
