package cph

import (
	"encoding/json"
	"net/http"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/cph-go/cph/internal/wire"
)

// maxSnippet is how much of a non-JSON error body an APIError's Message keeps.
const maxSnippet = 256

// newAPIError builds the *APIError for a non-2xx answer from its status,
// headers and (capped) body. It never fails: a body that is not one of the
// two JSON shapes gives a trimmed snippet of its text as the Message.
func newAPIError(op string, status int, header http.Header, body []byte) *APIError {
	e := &APIError{Operation: op, StatusCode: status}
	var eb wire.ErrorBody // either shape, or both
	if err := json.Unmarshal(body, &eb); err == nil {
		e.Code, e.Message, e.RequestID = eb.Code, eb.Message, eb.RequestID
		if eb.Error != nil {
			if e.Code == "" {
				e.Code = eb.Error.Code
			}
			if e.Message == "" {
				e.Message = eb.Error.Message
			}
			if e.RequestID == "" {
				e.RequestID = eb.Error.RequestID
			}
		}
		if e.Code == "" && e.Message == "" {
			e.Message = snippet(body)
		}
	} else {
		e.Message = snippet(body)
	}
	e.Code = clean(e.Code, 64)
	e.Message = clean(e.Message, 1024)
	e.RequestID = clean(e.RequestID, 128)
	if e.RequestID == "" {
		e.RequestID = clean(header.Get("X-Request-Id"), 128)
	}
	return e
}

// snippet turns a body that is not an error document (an HTML page from a
// proxy, say) into one readable line: tags dropped, white space folded,
// at most maxSnippet bytes.
func snippet(body []byte) string {
	s := string(body)
	if strings.Contains(s, "<") {
		s = stripTags(s)
	}
	return clean(s, maxSnippet)
}

// stripTags drops HTML tags, and the text of <style> and <script> elements
// (all the rest, for one left open). It runs in time linear in len(s), so
// that a hostile 64 KiB body costs no more than a plain one.
func stripTags(s string) string {
	var b strings.Builder
	for len(s) > 0 {
		i := strings.IndexByte(s, '<')
		if i < 0 {
			b.WriteString(s)
			break
		}
		b.WriteString(s[:i])
		b.WriteByte(' ')
		s = s[i:]
		for _, elem := range []string{"script", "style"} {
			if isTagName(s[1:], elem) {
				s = s[indexEndTag(s, elem):]
				break
			}
		}
		j := strings.IndexByte(s, '>')
		if j < 0 {
			break
		}
		s = s[j+1:]
	}
	return b.String()
}

// indexEndTag returns the index in s of the first "</elem", ignoring
// case, or len(s) if there is none.
func indexEndTag(s, elem string) int {
	for i := 0; i < len(s); {
		j := strings.Index(s[i:], "</")
		if j < 0 {
			break
		}
		i += j
		if isTagName(s[i+2:], elem) {
			return i
		}
		i += 2
	}
	return len(s)
}

// isTagName reports whether s starts with the tag name elem, in any case,
// followed by the end of s or a character that ends a name.
func isTagName(s, elem string) bool {
	if len(s) < len(elem) || !strings.EqualFold(s[:len(elem)], elem) {
		return false
	}
	return len(s) == len(elem) || strings.IndexByte(" \t\r\n\f/>", s[len(elem)]) >= 0
}

// clean folds white space and control characters to single spaces, trims
// the ends and cuts the result to at most max bytes on a rune boundary,
// adding "…" when it cut.
func clean(s string, max int) string {
	if len(s) <= max && isCleanASCII(s) {
		return s // the common case: nothing to fold, nothing to cut
	}
	var b strings.Builder
	space := false
	for _, r := range s {
		if r == utf8.RuneError || unicode.IsSpace(r) || unicode.IsControl(r) {
			space = b.Len() > 0
			continue
		}
		n := utf8.RuneLen(r)
		if space {
			n++
		}
		if b.Len()+n > max {
			return b.String() + "…"
		}
		if space {
			b.WriteByte(' ')
			space = false
		}
		b.WriteRune(r)
	}
	return b.String()
}

// isCleanASCII reports whether clean would return s unchanged: printable
// ASCII, spaces only single and between other characters.
func isCleanASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c == ' ' {
			if i == 0 || i == len(s)-1 || s[i-1] == ' ' {
				return false
			}
			continue
		}
		if c < 0x21 || c > 0x7e {
			return false
		}
	}
	return true
}
