package cph

import (
	"encoding/json"
	"net/http"
	"strings"
	"unicode"
	"unicode/utf8"
)

// maxSnippet is how much of a non-JSON error body an APIError's Message keeps.
const maxSnippet = 256

// errorBody holds both error shapes in use on Huawei Cloud:
//
//	{"error_code": "CPS.0005", "error_msg": "...", "request_id": "..."}
//	{"error": {"code": "...", "message": "...", "request_id": "..."}}
type errorBody struct {
	Code      string `json:"error_code"`
	Msg       string `json:"error_msg"`
	RequestID string `json:"request_id"`
	Error     *struct {
		Code      string `json:"code"`
		Message   string `json:"message"`
		RequestID string `json:"request_id"`
	} `json:"error"`
}

// newAPIError builds the *APIError for a non-2xx answer from its status,
// headers and (capped) body. It never fails: a body that is not one of the
// two JSON shapes gives a trimmed snippet of its text as the Message.
func newAPIError(op string, status int, header http.Header, body []byte) *APIError {
	e := &APIError{Operation: op, StatusCode: status}
	var eb errorBody
	if err := json.Unmarshal(body, &eb); err == nil {
		e.Code, e.Message, e.RequestID = eb.Code, eb.Msg, eb.RequestID
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

// stripTags drops HTML tags, and the text of <style> and <script> elements.
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
		lower := strings.ToLower(s)
		for _, skip := range []string{"script", "style"} {
			if strings.HasPrefix(lower, "<"+skip) {
				if end := strings.Index(lower, "</"+skip); end >= 0 {
					s = s[end:]
					lower = lower[end:]
				}
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

// clean folds white space and control characters to single spaces, trims
// the ends and cuts the result to at most max bytes on a rune boundary,
// adding "…" when it cut.
func clean(s string, max int) string {
	var b strings.Builder
	space := false
	for _, r := range s {
		if r == utf8.RuneError || unicode.IsSpace(r) || unicode.IsControl(r) {
			space = b.Len() > 0
			continue
		}
		if space {
			b.WriteByte(' ')
			space = false
		}
		if b.Len()+utf8.RuneLen(r) > max {
			return b.String() + "…"
		}
		b.WriteRune(r)
	}
	return b.String()
}
