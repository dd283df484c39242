package jsonscan

import (
	"unicode"
	"unicode/utf8"
)

// AppendFolded appends key folded as encoding/json folds object keys to
// match them to field names without regard to case: ASCII letters in
// upper case, any other rune replaced by the smallest rune of its
// case-folding orbit (invalid UTF-8 by U+FFFD). Two keys match a name
// the same way when their folded forms are equal.
func AppendFolded(dst, key []byte) []byte {
	for i := 0; i < len(key); {
		c := key[i]
		if c < utf8.RuneSelf {
			if 'a' <= c && c <= 'z' {
				c -= 'a' - 'A'
			}
			dst = append(dst, c)
			i++
			continue
		}
		r, n := utf8.DecodeRune(key[i:])
		dst = utf8.AppendRune(dst, foldRune(r))
		i += n
	}
	return dst
}

// foldRune returns the smallest rune of r's case-folding orbit.
func foldRune(r rune) rune {
	for {
		r2 := unicode.SimpleFold(r)
		if r2 <= r {
			return r2
		}
		r = r2
	}
}
