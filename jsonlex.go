package cph

import (
	"encoding/binary"
	"fmt"
	"math/bits"
	"unicode"
	"unicode/utf16"
	"unicode/utf8"
)

// This file holds the JSON primitives of the ListPhoneImages decoder:
// white space, strings, numbers, literals and skipping a value, each
// validating exactly what encoding/json's scanner accepts (RFC 8259; raw
// bytes of any value inside strings; at most maxDepth open containers).

// maxDepth is encoding/json's limit on nested arrays and objects.
const maxDepth = 10000

// syntaxError is a decoding failure at a byte offset of the body.
type syntaxError struct {
	msg    string
	offset int
}

func (e *syntaxError) Error() string {
	return fmt.Sprintf("%s (offset %d)", e.msg, e.offset)
}

// errAt returns what went wrong at data[pos]: the end of the input or an
// invalid character, met while looking for what.
func errAt(data []byte, pos int, what string) error {
	if pos >= len(data) {
		return &syntaxError{msg: "unexpected end of JSON input", offset: len(data)}
	}
	return &syntaxError{msg: fmt.Sprintf("invalid character %q %s", data[pos], what), offset: pos}
}

// skipWS returns the index of the first byte at or after pos that is not
// JSON white space.
func skipWS(data []byte, pos int) int {
	for pos < len(data) {
		switch data[pos] {
		case ' ', '\t', '\n', '\r':
			pos++
		default:
			return pos
		}
	}
	return pos
}

// String flags: what scanString met between the quotes.
const (
	strEscaped = 1 << iota // a backslash escape
	strHigh                // a byte of 0x80 or more (maybe invalid UTF-8)
)

// Words of eight bytes, for scanning strings a word at a time.
const (
	lsbs = 0x0101010101010101
	msbs = 0x8080808080808080
)

// stringStops returns a word whose lowest set bit, if any, is the high bit
// of the first byte of x (read little-endian) that is a quote, a backslash
// or a control character, or with high also a byte of 0x80 or more. (The
// borrows of the subtractions may set bits above the first such byte, never
// below it.)
func stringStops(x uint64, high bool) uint64 {
	q := x ^ (lsbs * '"')
	b := x ^ (lsbs * '\\')
	m := (q-lsbs)&^q | (b-lsbs)&^b | (x-lsbs*' ')&^x
	if high {
		m |= x
	}
	return m & msbs
}

// scanString validates the string whose opening quote is data[pos] and
// returns the index just past its closing quote and the string's flags.
func scanString(data []byte, pos int) (end int, flags int, err error) {
	// The usual string: printable ASCII up to the quote, a word at a time.
	i := pos + 1
	for i+8 <= len(data) {
		if m := stringStops(binary.LittleEndian.Uint64(data[i:]), true); m != 0 {
			i += bits.TrailingZeros64(m) >> 3
			if data[i] == '"' {
				return i + 1, 0, nil
			}
			break
		}
		i += 8
	}
	return scanStringFrom(data, i, 0)
}

// plainASCII reports whether the string literal whose opening quote is
// data[pos] holds exactly n bytes of printable ASCII other than '"' and
// '\\' (so that its value is those bytes), eight bytes at a time and
// with one test at the end. It reports false, not an error, for anything
// else, and near the end of data.
func plainASCII(data []byte, pos, n int) bool {
	if n <= 0 || pos+1+n+8 > len(data) {
		return false
	}
	s := data[pos+1 : pos+1+n+8]
	var m uint64
	i := 0
	for ; i+8 <= n; i += 8 {
		m |= stringStops(binary.LittleEndian.Uint64(s[i:]), true)
	}
	if i < n {
		// The last word, masked to the bytes of the string: the borrows
		// in stringStops only set bits above a byte that stops.
		m |= stringStops(binary.LittleEndian.Uint64(s[i:]), true) & (1<<(8*(n-i)) - 1)
	}
	return m == 0 && s[n] == '"'
}

// scanStringFrom goes on with scanString at data[i], with the flags so far.
func scanStringFrom(data []byte, i, flags int) (end int, _ int, err error) {
	for {
		for i+8 <= len(data) {
			if m := stringStops(binary.LittleEndian.Uint64(data[i:]), flags&strHigh == 0); m != 0 {
				i += bits.TrailingZeros64(m) >> 3
				break
			}
			i += 8
		}
		if i >= len(data) {
			return 0, 0, errAt(data, i, "")
		}
		switch c := data[i]; {
		case c == '"':
			return i + 1, flags, nil
		case c == '\\':
			flags |= strEscaped
			i++
			if i >= len(data) {
				return 0, 0, errAt(data, i, "")
			}
			switch data[i] {
			case '"', '\\', '/', 'b', 'f', 'n', 'r', 't':
				i++
			case 'u':
				for j := 1; j <= 4; j++ {
					if i+j >= len(data) {
						return 0, 0, errAt(data, i+j, "")
					}
					if hexVal(data[i+j]) < 0 {
						return 0, 0, errAt(data, i+j, "in \\u hexadecimal character escape")
					}
				}
				i += 5
			default:
				return 0, 0, errAt(data, i, "in string escape code")
			}
		case c < ' ':
			return 0, 0, errAt(data, i, "in string literal")
		case c >= utf8.RuneSelf:
			flags |= strHigh
			i++
		default: // the last few bytes of data
			i++
		}
	}
}

// hexVal returns the value of a hexadecimal digit, or -1.
func hexVal(c byte) rune {
	switch {
	case '0' <= c && c <= '9':
		return rune(c - '0')
	case 'a' <= c && c <= 'f':
		return rune(c - 'a' + 10)
	case 'A' <= c && c <= 'F':
		return rune(c - 'A' + 10)
	}
	return -1
}

// needsUnquote reports whether the contents s of a string scanned with
// flags differ from the string's value: escapes, or invalid UTF-8 that
// decoding replaces with U+FFFD.
func needsUnquote(s []byte, flags int) bool {
	return flags&strEscaped != 0 || flags&strHigh != 0 && !utf8.Valid(s)
}

// appendUnquoted appends the value of the string contents s (validated by
// scanString) to dst, as encoding/json decodes it: escapes resolved,
// surrogate pairs joined, and a lone surrogate or a byte of invalid UTF-8
// replaced with U+FFFD.
func appendUnquoted(dst, s []byte) []byte {
	for i := 0; i < len(s); {
		c := s[i]
		switch {
		case c == '\\':
			switch s[i+1] {
			case 'b':
				dst = append(dst, '\b')
			case 'f':
				dst = append(dst, '\f')
			case 'n':
				dst = append(dst, '\n')
			case 'r':
				dst = append(dst, '\r')
			case 't':
				dst = append(dst, '\t')
			case 'u':
				r := hex4(s[i+2:])
				i += 6
				if utf16.IsSurrogate(r) {
					if i+6 <= len(s) && s[i] == '\\' && s[i+1] == 'u' {
						if dec := utf16.DecodeRune(r, hex4(s[i+2:])); dec != unicode.ReplacementChar {
							dst = utf8.AppendRune(dst, dec)
							i += 6
							continue
						}
					}
					r = unicode.ReplacementChar
				}
				dst = utf8.AppendRune(dst, r)
				continue
			default: // '"', '\\', '/'
				dst = append(dst, s[i+1])
			}
			i += 2
		case c < utf8.RuneSelf:
			dst = append(dst, c)
			i++
		default:
			r, n := utf8.DecodeRune(s[i:])
			dst = utf8.AppendRune(dst, r)
			i += n
		}
	}
	return dst
}

// hex4 returns the value of the four hexadecimal digits that start s.
func hex4(s []byte) rune {
	return hexVal(s[0])<<12 | hexVal(s[1])<<8 | hexVal(s[2])<<4 | hexVal(s[3])
}

// scanNumber validates the number that starts at data[pos] and returns the
// index just past it, and whether it is an integer (no fraction, no
// exponent).
func scanNumber(data []byte, pos int) (end int, integer bool, err error) {
	i := pos
	if i < len(data) && data[i] == '-' {
		i++
	}
	switch {
	case i < len(data) && data[i] == '0':
		i++
	case i < len(data) && '1' <= data[i] && data[i] <= '9':
		i++
		for i < len(data) && '0' <= data[i] && data[i] <= '9' {
			i++
		}
	default:
		return 0, false, errAt(data, i, "in numeric literal")
	}
	integer = true
	if i < len(data) && data[i] == '.' {
		integer = false
		i++
		if i >= len(data) || data[i] < '0' || data[i] > '9' {
			return 0, false, errAt(data, i, "after decimal point in numeric literal")
		}
		for i < len(data) && '0' <= data[i] && data[i] <= '9' {
			i++
		}
	}
	if i < len(data) && (data[i] == 'e' || data[i] == 'E') {
		integer = false
		i++
		if i < len(data) && (data[i] == '+' || data[i] == '-') {
			i++
		}
		if i >= len(data) || data[i] < '0' || data[i] > '9' {
			return 0, false, errAt(data, i, "in exponent of numeric literal")
		}
		for i < len(data) && '0' <= data[i] && data[i] <= '9' {
			i++
		}
	}
	return i, integer, nil
}

// scanLiteral checks that data holds lit (true, false or null) at pos and
// returns the index just past it.
func scanLiteral(data []byte, pos int, lit string) (int, error) {
	for j := 0; j < len(lit); j++ {
		if pos+j >= len(data) || data[pos+j] != lit[j] {
			return 0, errAt(data, pos+j, "in literal "+lit)
		}
	}
	return pos + len(lit), nil
}

// skipValue validates the value that starts at or after data[pos] (white
// space first) and returns the index just past it. depth is the number of
// arrays and objects already open around it; stack is scratch space for
// the containers it opens, returned for reuse.
func skipValue(data []byte, pos, depth int, stack []byte) (int, []byte, error) {
	stack = stack[:0]
	var err error
	for {
		pos = skipWS(data, pos)
		if pos >= len(data) {
			return 0, stack, errAt(data, pos, "")
		}
		switch c := data[pos]; c {
		case '{', '[':
			depth++
			if depth > maxDepth {
				return 0, stack, &syntaxError{msg: "exceeded max depth", offset: pos}
			}
			closer := byte('}')
			if c == '[' {
				closer = ']'
			}
			pos = skipWS(data, pos+1)
			if pos < len(data) && data[pos] == closer {
				pos++
				depth--
				break
			}
			stack = append(stack, closer)
			if c == '{' {
				if pos, err = skipKey(data, pos); err != nil {
					return 0, stack, err
				}
			}
			continue
		case '"':
			if pos, _, err = scanString(data, pos); err != nil {
				return 0, stack, err
			}
		case 't':
			if pos, err = scanLiteral(data, pos, "true"); err != nil {
				return 0, stack, err
			}
		case 'f':
			if pos, err = scanLiteral(data, pos, "false"); err != nil {
				return 0, stack, err
			}
		case 'n':
			if pos, err = scanLiteral(data, pos, "null"); err != nil {
				return 0, stack, err
			}
		default:
			if c != '-' && (c < '0' || c > '9') {
				return 0, stack, errAt(data, pos, "looking for beginning of value")
			}
			if pos, _, err = scanNumber(data, pos); err != nil {
				return 0, stack, err
			}
		}
		// After a value: close containers until one takes another value.
		for {
			if len(stack) == 0 {
				return pos, stack, nil
			}
			pos = skipWS(data, pos)
			if pos >= len(data) {
				return 0, stack, errAt(data, pos, "")
			}
			top := stack[len(stack)-1]
			if data[pos] == ',' {
				pos++
				if top == '}' {
					if pos, err = skipKey(data, pos); err != nil {
						return 0, stack, err
					}
				}
				break
			}
			if data[pos] != top {
				return 0, stack, errAt(data, pos, "after a value in an array or object")
			}
			pos++
			stack = stack[:len(stack)-1]
			depth--
		}
	}
}

// skipKey validates an object key and its colon, white space around them,
// starting at or after data[pos], and returns the index past the colon.
func skipKey(data []byte, pos int) (int, error) {
	pos = skipWS(data, pos)
	if pos >= len(data) || data[pos] != '"' {
		return 0, errAt(data, pos, "looking for beginning of object key string")
	}
	pos, _, err := scanString(data, pos)
	if err != nil {
		return 0, err
	}
	pos = skipWS(data, pos)
	if pos >= len(data) || data[pos] != ':' {
		return 0, errAt(data, pos, "after object key")
	}
	return pos + 1, nil
}
