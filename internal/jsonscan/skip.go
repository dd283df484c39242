package jsonscan

// ScanLiteral checks that lit (true, false or null) is at pos and returns
// the offset just past it.
func (s Scanner) ScanLiteral(pos int, lit string) (int, error) {
	for j := 0; j < len(lit); j++ {
		if pos+j >= len(s) || s[pos+j] != lit[j] {
			return 0, s.ErrAt(pos+j, "in literal "+lit)
		}
	}
	return pos + len(lit), nil
}

// SkipValue validates the value that starts at or after pos (white space
// first) and returns the offset just past it. depth is the number of
// arrays and objects already open around it, counted against MaxDepth;
// stack is scratch space for the containers it opens, returned for reuse
// (nil will do).
func (s Scanner) SkipValue(pos, depth int, stack []byte) (int, []byte, error) {
	stack = stack[:0]
	var err error
	for {
		pos = s.SkipWS(pos)
		if pos >= len(s) {
			return 0, stack, s.ErrAt(pos, "")
		}
		switch c := s[pos]; c {
		case '{', '[':
			depth++
			if depth > MaxDepth {
				return 0, stack, &SyntaxError{Msg: "exceeded max depth", Offset: pos}
			}
			closer := byte('}')
			if c == '[' {
				closer = ']'
			}
			pos = s.SkipWS(pos + 1)
			if pos < len(s) && s[pos] == closer {
				pos++
				depth--
				break
			}
			stack = append(stack, closer)
			if c == '{' {
				if pos, err = s.skipKey(pos); err != nil {
					return 0, stack, err
				}
			}
			continue
		case '"':
			if pos, _, err = s.ScanString(pos); err != nil {
				return 0, stack, err
			}
		case 't':
			if pos, err = s.ScanLiteral(pos, "true"); err != nil {
				return 0, stack, err
			}
		case 'f':
			if pos, err = s.ScanLiteral(pos, "false"); err != nil {
				return 0, stack, err
			}
		case 'n':
			if pos, err = s.ScanLiteral(pos, "null"); err != nil {
				return 0, stack, err
			}
		default:
			if c != '-' && (c < '0' || c > '9') {
				return 0, stack, s.ErrAt(pos, "looking for beginning of value")
			}
			if pos, _, err = s.ScanNumber(pos); err != nil {
				return 0, stack, err
			}
		}
		// After a value: close containers until one takes another value.
		for {
			if len(stack) == 0 {
				return pos, stack, nil
			}
			pos = s.SkipWS(pos)
			if pos >= len(s) {
				return 0, stack, s.ErrAt(pos, "")
			}
			top := stack[len(stack)-1]
			if s[pos] == ',' {
				pos++
				if top == '}' {
					if pos, err = s.skipKey(pos); err != nil {
						return 0, stack, err
					}
				}
				break
			}
			if s[pos] != top {
				return 0, stack, s.ErrAt(pos, "after a value in an array or object")
			}
			pos++
			stack = stack[:len(stack)-1]
			depth--
		}
	}
}

// skipKey validates an object key and its colon, white space around them,
// starting at or after pos, and returns the offset past the colon.
func (s Scanner) skipKey(pos int) (int, error) {
	pos = s.SkipWS(pos)
	if pos >= len(s) || s[pos] != '"' {
		return 0, s.ErrAt(pos, "looking for beginning of object key string")
	}
	pos, _, err := s.ScanString(pos)
	if err != nil {
		return 0, err
	}
	pos = s.SkipWS(pos)
	if pos >= len(s) || s[pos] != ':' {
		return 0, s.ErrAt(pos, "after object key")
	}
	return pos + 1, nil
}
