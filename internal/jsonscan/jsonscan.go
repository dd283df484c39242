// Package jsonscan lexes JSON text held in a byte slice: white space,
// strings (with their escapes, and a word-at-a-time path for plain ASCII),
// numbers, the literals true, false and null, and whole values skipped.
// It builds no values itself: a decoder calls it for each token and keeps
// its own place, as the ListPhoneImages decoder of the root package does.
//
// # Contract
//
// Each method of Scanner takes pos, the offset where its token starts,
// and returns the offset just past the token. Any bytes are accepted as
// input: what encoding/json's scanner accepts (RFC 8259; in strings, raw
// bytes of any value, invalid UTF-8 included; at most MaxDepth open arrays
// and objects) is lexed the same way, and anything else gives a
// *SyntaxError naming the offending byte's offset, never a panic. The one
// precondition is on the caller: 0 <= pos <= len of the Scanner (at the
// end, a method reports the end of input). Nothing is allocated but
// errors, what AppendUnquoted and AppendFolded append, and the growth of
// the scratch stack that SkipValue hands back for reuse.
package jsonscan

import "fmt"

// MaxDepth is encoding/json's limit on nested arrays and objects, which
// SkipValue enforces too.
const MaxDepth = 10000

// Scanner is a JSON text to lex. It holds no state besides its bytes: a
// Scanner(b) conversion costs nothing, and its methods are the package's
// lexing functions with the text as their receiver.
type Scanner []byte

// SyntaxError is a lexing failure at byte Offset of the text. Msg reads as
// encoding/json's message for the same failure.
type SyntaxError struct {
	Msg    string
	Offset int
}

// Error returns Msg and the offset.
func (e *SyntaxError) Error() string {
	return fmt.Sprintf("%s (offset %d)", e.Msg, e.Offset)
}

// ErrAt returns the *SyntaxError for the byte at pos, met while looking
// for what: the end of input when pos is at or past the end, else that
// byte as an invalid character.
func (s Scanner) ErrAt(pos int, what string) error {
	if pos >= len(s) {
		return &SyntaxError{Msg: "unexpected end of JSON input", Offset: len(s)}
	}
	return &SyntaxError{Msg: fmt.Sprintf("invalid character %q %s", s[pos], what), Offset: pos}
}

// SkipWS returns the offset of the first byte at or after pos that is
// not JSON white space (len(s) if there is none).
func (s Scanner) SkipWS(pos int) int {
	for pos < len(s) {
		switch s[pos] {
		case ' ', '\t', '\n', '\r':
			pos++
		default:
			return pos
		}
	}
	return pos
}
