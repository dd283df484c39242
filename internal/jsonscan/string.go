package jsonscan

import (
	"encoding/binary"
	"math/bits"
	"unicode"
	"unicode/utf16"
	"unicode/utf8"
)

// Flags says what ScanString met between a string's quotes.
type Flags uint8

const (
	// Escaped marks a string with at least one backslash escape.
	Escaped Flags = 1 << iota
	// NonASCII marks a string with a byte of 0x80 or more (maybe
	// invalid UTF-8).
	NonASCII
)

// NeedsUnquote reports whether the contents b of a string that ScanString
// returned f for differ from the string's value: escapes, or invalid
// UTF-8 that decoding replaces with U+FFFD.
func (f Flags) NeedsUnquote(b []byte) bool {
	return f&Escaped != 0 || f&NonASCII != 0 && !utf8.Valid(b)
}

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

// ScanString validates the string whose opening quote is at pos (the byte
// there is taken to be one, unread) and returns the offset just past its
// closing quote, and what the string holds. Its contents are
// s[pos+1:end-1]; when flags.NeedsUnquote says so, AppendUnquoted gives its
// value.
func (s Scanner) ScanString(pos int) (end int, flags Flags, err error) {
	// The usual string: printable ASCII up to the quote, a word at a time.
	i := pos + 1
	for i+8 <= len(s) {
		if m := stringStops(binary.LittleEndian.Uint64(s[i:]), true); m != 0 {
			i += bits.TrailingZeros64(m) >> 3
			if s[i] == '"' {
				return i + 1, 0, nil
			}
			break
		}
		i += 8
	}
	return s.scanStringFrom(i, 0)
}

// scanStringFrom goes on with ScanString at s[i], with the flags so far.
func (s Scanner) scanStringFrom(i int, flags Flags) (end int, _ Flags, err error) {
	for {
		for i+8 <= len(s) {
			if m := stringStops(binary.LittleEndian.Uint64(s[i:]), flags&NonASCII == 0); m != 0 {
				i += bits.TrailingZeros64(m) >> 3
				break
			}
			i += 8
		}
		if i >= len(s) {
			return 0, 0, s.ErrAt(i, "")
		}
		switch c := s[i]; {
		case c == '"':
			return i + 1, flags, nil
		case c == '\\':
			flags |= Escaped
			i++
			if i >= len(s) {
				return 0, 0, s.ErrAt(i, "")
			}
			switch s[i] {
			case '"', '\\', '/', 'b', 'f', 'n', 'r', 't':
				i++
			case 'u':
				for j := 1; j <= 4; j++ {
					if i+j >= len(s) {
						return 0, 0, s.ErrAt(i+j, "")
					}
					if hexVal(s[i+j]) < 0 {
						return 0, 0, s.ErrAt(i+j, "in \\u hexadecimal character escape")
					}
				}
				i += 5
			default:
				return 0, 0, s.ErrAt(i, "in string escape code")
			}
		case c < ' ':
			return 0, 0, s.ErrAt(i, "in string literal")
		case c >= utf8.RuneSelf:
			flags |= NonASCII
			i++
		default: // the last few bytes of s
			i++
		}
	}
}

// PlainASCII reports whether the string whose opening quote is at pos
// holds exactly n bytes of printable ASCII other than '"' and '\\' (so
// that its value is those bytes, and its closing quote is at pos+n+1),
// eight bytes at a time and with one test at the end. It reports false,
// not an error, for anything else, and within eight bytes of the end.
func (s Scanner) PlainASCII(pos, n int) bool {
	if n <= 0 || pos+1+n+8 > len(s) {
		return false
	}
	b := s[pos+1 : pos+1+n+8]
	var m uint64
	i := 0
	for ; i+8 <= n; i += 8 {
		m |= stringStops(binary.LittleEndian.Uint64(b[i:]), true)
	}
	if i < n {
		// The last word, masked to the bytes of the string: the borrows
		// in stringStops only set bits above a byte that stops.
		m |= stringStops(binary.LittleEndian.Uint64(b[i:]), true) & (1<<(8*(n-i)) - 1)
	}
	return m == 0 && b[n] == '"'
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

// AppendUnquoted appends the value of the string contents b to dst, as
// encoding/json decodes it: escapes resolved, surrogate pairs joined, and
// a lone surrogate or a byte of invalid UTF-8 replaced with U+FFFD. b must
// be contents that ScanString accepted (between the quotes); for other
// bytes the result is unspecified, but it does not panic.
func AppendUnquoted(dst, b []byte) []byte {
	for i := 0; i < len(b); {
		c := b[i]
		switch {
		case c == '\\' && i+1 < len(b):
			switch b[i+1] {
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
				r := hex4(b[i+2:])
				i += 6
				if utf16.IsSurrogate(r) {
					if i+6 <= len(b) && b[i] == '\\' && b[i+1] == 'u' {
						if dec := utf16.DecodeRune(r, hex4(b[i+2:])); dec != unicode.ReplacementChar {
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
				dst = append(dst, b[i+1])
			}
			i += 2
		case c < utf8.RuneSelf:
			dst = append(dst, c)
			i++
		default:
			r, n := utf8.DecodeRune(b[i:])
			dst = utf8.AppendRune(dst, r)
			i += n
		}
	}
	return dst
}

// hex4 returns the value of the four hexadecimal digits that start b, or
// U+FFFD if there are not four.
func hex4(b []byte) rune {
	if len(b) < 4 {
		return unicode.ReplacementChar
	}
	r := hexVal(b[0])<<12 | hexVal(b[1])<<8 | hexVal(b[2])<<4 | hexVal(b[3])
	if r < 0 {
		return unicode.ReplacementChar
	}
	return r
}
