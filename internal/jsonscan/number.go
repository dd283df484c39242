package jsonscan

import "math"

// ScanNumber validates the number that starts at pos and returns the
// offset just past it, and whether it is an integer (no fraction, no
// exponent).
func (s Scanner) ScanNumber(pos int) (end int, integer bool, err error) {
	i := pos
	if i < len(s) && s[i] == '-' {
		i++
	}
	switch {
	case i < len(s) && s[i] == '0':
		i++
	case i < len(s) && '1' <= s[i] && s[i] <= '9':
		i++
		for i < len(s) && '0' <= s[i] && s[i] <= '9' {
			i++
		}
	default:
		return 0, false, s.ErrAt(i, "in numeric literal")
	}
	integer = true
	if i < len(s) && s[i] == '.' {
		integer = false
		i++
		if i >= len(s) || s[i] < '0' || s[i] > '9' {
			return 0, false, s.ErrAt(i, "after decimal point in numeric literal")
		}
		for i < len(s) && '0' <= s[i] && s[i] <= '9' {
			i++
		}
	}
	if i < len(s) && (s[i] == 'e' || s[i] == 'E') {
		integer = false
		i++
		if i < len(s) && (s[i] == '+' || s[i] == '-') {
			i++
		}
		if i >= len(s) || s[i] < '0' || s[i] > '9' {
			return 0, false, s.ErrAt(i, "in exponent of numeric literal")
		}
		for i < len(s) && '0' <= s[i] && s[i] <= '9' {
			i++
		}
	}
	return i, integer, nil
}

// ContinuesNumber reports whether c can follow a digit within a number:
// a digit, '.', 'e' or 'E'. A digit followed by any other byte is a whole
// number if it is one at all.
func ContinuesNumber(c byte) bool {
	return numberByte[c]
}

var numberByte = [256]bool{'0': true, '1': true, '2': true, '3': true, '4': true,
	'5': true, '6': true, '7': true, '8': true, '9': true, '.': true, 'e': true, 'E': true}

// ParseInt parses b, an integer as ScanNumber accepts it, into an int.
// It reports false when b does not fit in an int, or is not such an
// integer's digits (an optional '-', then at least one digit).
func ParseInt(b []byte) (int, bool) {
	limit, sign := uint64(math.MaxInt), 1
	if len(b) > 1 && b[0] == '-' {
		b, limit, sign = b[1:], limit+1, -1
	}
	var n uint64
	for _, c := range b {
		d := uint64(c - '0')
		if d > 9 || n > (limit-d)/10 {
			return 0, false
		}
		n = n*10 + d
	}
	// For the least int, int(n) is already it, and times -1 stays it.
	return int(n) * sign, len(b) > 0
}
