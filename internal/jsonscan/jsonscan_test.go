package jsonscan

import (
	"errors"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// requireSyntaxError checks that err is a *SyntaxError at offset with
// msg (the part before the offset).
func requireSyntaxError(t *testing.T, err error, msg string, offset int) {
	t.Helper()
	var se *SyntaxError
	require.True(t, errors.As(err, &se), "a *SyntaxError, got %v", err)
	assert.Equal(t, msg, se.Msg)
	assert.Equal(t, offset, se.Offset)
}

func TestSyntaxErrorMessage(t *testing.T) {
	err := &SyntaxError{Msg: "invalid character 'x' in literal true", Offset: 7}
	assert.Equal(t, "invalid character 'x' in literal true (offset 7)", err.Error())
}

func TestErrAt(t *testing.T) {
	s := Scanner(`{"a":x}`)
	requireSyntaxError(t, s.ErrAt(5, "looking for beginning of value"), "invalid character 'x' looking for beginning of value", 5)
	requireSyntaxError(t, s.ErrAt(len(s), "after object key"), "unexpected end of JSON input", len(s))
	requireSyntaxError(t, s.ErrAt(len(s)+3, ""), "unexpected end of JSON input", len(s))
}

func TestSkipWS(t *testing.T) {
	tests := map[string]struct {
		text     string
		pos, end int
	}{
		"none":              {`x`, 0, 0},
		"all four":          {" \t\r\nx", 0, 4},
		"from the middle":   {"a  b", 1, 3},
		"to the end":        {"a \n", 1, 3},
		"at the end":        {"a", 1, 1},
		"form feed is not":  {"\fx", 0, 0},
		"no-break space is": {"\u00a0", 0, 0},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			assert.Equal(t, tc.end, Scanner(tc.text).SkipWS(tc.pos))
		})
	}
}

func TestScanString(t *testing.T) {
	tests := map[string]struct {
		text  string // the string at offset 0, then anything
		end   int
		flags Flags
		value string // with AppendUnquoted when flags say so
	}{
		"empty":                 {`""`, 2, 0, ""},
		"short":                 {`"ab",`, 4, 0, "ab"},
		"a word and more":       {`"0123456789abcdef012"}`, 21, 0, "0123456789abcdef012"},
		"quote at a word's end": {`"0123456"xxxxxxxxx`, 9, 0, "0123456"},
		"all escapes":           {`"\"\\\/\b\f\n\r\t"`, 18, Escaped, "\"\\/\b\f\n\r\t"},
		"unicode escapes":       {`"\u0041\u00e9\u4E91"`, 20, Escaped, "Aé云"},
		"surrogate pair":        {`"\ud83d\ude00"`, 14, Escaped, "😀"},
		"lone high surrogate":   {`"\ud83dx"`, 9, Escaped, "\ufffdx"},
		"lone low surrogate":    {`"\ude00"`, 8, Escaped, "\ufffd"},
		"two high surrogates":   {`"\ud83d\ud83d\ude00"`, 20, Escaped, "\ufffd😀"},
		"raw unicode":           {`"自定义镜像 Ændröid"`, 27, NonASCII, "自定义镜像 Ændröid"},
		"invalid utf-8":         {"\"a\xffb\xc3\"", 6, NonASCII, "a\ufffdb\ufffd"},
		"escape after a word":   {`"0123456789\n"`, 14, Escaped, "0123456789\n"},
		"non-ASCII then escape": {`"é\t"`, 6, Escaped | NonASCII, "é\t"},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			s := Scanner(tc.text)
			end, flags, err := s.ScanString(0)
			require.NoError(t, err)
			assert.Equal(t, tc.end, end)
			assert.Equal(t, tc.flags, flags)
			contents := s[1 : end-1]
			value := string(contents)
			if flags.NeedsUnquote(contents) {
				value = string(AppendUnquoted(nil, contents))
			}
			assert.Equal(t, tc.value, value)
		})
	}
}

func TestNeedsUnquote(t *testing.T) {
	assert.False(t, Flags(0).NeedsUnquote([]byte("abc")))
	assert.True(t, Escaped.NeedsUnquote([]byte(`a\n`)))
	assert.False(t, NonASCII.NeedsUnquote([]byte("é")), "valid UTF-8 is its own value")
	assert.True(t, NonASCII.NeedsUnquote([]byte("\xff")), "invalid UTF-8 becomes U+FFFD")
}

func TestAppendUnquotedAppends(t *testing.T) {
	assert.Equal(t, "keep:a\nb", string(AppendUnquoted([]byte("keep:"), []byte(`a\nb`))))
}

// TestAppendUnquotedOtherBytes holds AppendUnquoted to not panicking on
// bytes that ScanString would not accept.
func TestAppendUnquotedOtherBytes(t *testing.T) {
	for _, b := range []string{`\`, `a\`, `\u`, `\u12`, `\u12g4`, `\ud83d\u`, `\ud83d\`, `\ud83d\ude0`} {
		t.Run(b, func(t *testing.T) {
			assert.NotPanics(t, func() { AppendUnquoted(nil, []byte(b)) })
		})
	}
}

func TestPlainASCII(t *testing.T) {
	pad := strings.Repeat(" ", 8)
	tests := map[string]struct {
		text string
		n    int
		want bool
	}{
		"exact length":          {`"abc",` + pad, 3, true},
		"across words":          {`"0123456789abcdefg"` + pad, 17, true},
		"a word exactly":        {`"01234567"` + pad, 8, true},
		"shorter than n":        {`"abc",` + pad, 4, false},
		"longer than n":         {`"abcd"` + pad, 3, false},
		"escape":                {`"a\nb"` + pad, 4, false},
		"quote in it":           {`"a"b"` + pad, 3, false},
		"non-ASCII":             {`"aé"` + pad, 3, false},
		"control character":     {"\"a\x01b\"" + pad, 3, false},
		"too near the end":      {`"abc"`, 3, false},
		"zero length":           {`""` + pad, 0, false},
		"stop just after the n": {`"0123456789"\` + pad, 10, true},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			assert.Equal(t, tc.want, Scanner(tc.text).PlainASCII(0, tc.n))
		})
	}
}

func TestScanNumber(t *testing.T) {
	tests := map[string]struct {
		text    string
		end     int
		integer bool
	}{
		"zero":              {`0`, 1, true},
		"minus zero":        {`-0,`, 2, true},
		"leading zero ends": {`01`, 1, true},
		"integer":           {`1234]`, 4, true},
		"negative":          {`-12}`, 3, true},
		"fraction":          {`1.25`, 4, false},
		"exponent":          {`1e5`, 3, false},
		"signed exponent":   {`1E+2 `, 4, false},
		"negative exponent": {`-1.5e-3,`, 7, false},
		"huge":              {`123456789012345678901234567890`, 30, true},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			end, integer, err := Scanner(tc.text).ScanNumber(0)
			require.NoError(t, err)
			assert.Equal(t, tc.end, end)
			assert.Equal(t, tc.integer, integer)
		})
	}
}

func TestContinuesNumber(t *testing.T) {
	for c := 0; c < 256; c++ {
		want := '0' <= c && c <= '9' || c == '.' || c == 'e' || c == 'E'
		assert.Equal(t, want, ContinuesNumber(byte(c)), "byte %q", c)
	}
}

func TestParseInt(t *testing.T) {
	tests := map[string]struct {
		text string
		n    int
		ok   bool
	}{
		"zero":            {"0", 0, true},
		"minus zero":      {"-0", 0, true},
		"small":           {"42", 42, true},
		"negative":        {"-7", -7, true},
		"max int64":       {"9223372036854775807", 9223372036854775807, true},
		"min int64":       {"-9223372036854775808", -9223372036854775808, true},
		"overflow":        {"9223372036854775808", 0, false},
		"negative over":   {"-9223372036854775809", 0, false},
		"huge":            {"123456789012345678901234567890", 0, false},
		"empty":           {"", 0, false},
		"bare minus":      {"-", 0, false},
		"not a digit":     {"1x", 0, false},
		"fraction":        {"1.0", 0, false},
		"leading plus":    {"+1", 0, false},
		"double negative": {"--1", 0, false},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			n, ok := ParseInt([]byte(tc.text))
			assert.Equal(t, tc.ok, ok)
			assert.Equal(t, tc.n, n)
		})
	}
}

func TestScanLiteral(t *testing.T) {
	tests := map[string]struct {
		text, lit string
		end       int
	}{
		"true":  {`true,`, "true", 4},
		"false": {`false`, "false", 5},
		"null":  {`null}`, "null", 4},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			end, err := Scanner(tc.text).ScanLiteral(0, tc.lit)
			require.NoError(t, err)
			assert.Equal(t, tc.end, end)
		})
	}
}

func TestSkipValue(t *testing.T) {
	tests := map[string]struct {
		text     string
		pos, end int
	}{
		"number":            {` 12 ,`, 0, 3},
		"string":            {`"a\"b"]`, 0, 6},
		"literal":           {`true}`, 0, 4},
		"empty object":      {`{ }x`, 0, 3},
		"empty array":       {"[\n]", 0, 3},
		"nested":            {`{"a":[1,{"b":null},"c"],"d":{}} ,`, 0, 31},
		"from an offset":    {`{"x":[1,2],"y":3}`, 5, 10},
		"white space":       {" [ 1 , { \"k\" : 2 } ] ", 0, 20},
		"at the depth":      {strings.Repeat("[", MaxDepth) + strings.Repeat("]", MaxDepth), 0, 2 * MaxDepth},
		"empty at the edge": {strings.Repeat("[", MaxDepth-1) + "{}" + strings.Repeat("]", MaxDepth-1), 0, 2 * MaxDepth},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			end, _, err := Scanner(tc.text).SkipValue(tc.pos, 0, nil)
			require.NoError(t, err)
			assert.Equal(t, tc.end, end)
		})
	}
}

// TestSkipValueReusesStack holds SkipValue to handing back its scratch
// space, so that a decoder that keeps it allocates once.
func TestSkipValueReusesStack(t *testing.T) {
	s := Scanner(`[[{"a":[1]}]]`)
	_, stack, err := s.SkipValue(0, 0, make([]byte, 0, 16))
	require.NoError(t, err)
	assert.Equal(t, 16, cap(stack))
	allocs := testing.AllocsPerRun(10, func() {
		_, stack, _ = s.SkipValue(0, 0, stack)
	})
	assert.Zero(t, allocs)
}

// TestAppendFolded pins folded forms: ASCII letters upper case, other
// runes the smallest of their orbit (S for ſ, K for the Kelvin sign, Æ
// for æ).
func TestAppendFolded(t *testing.T) {
	tests := map[string]struct{ key, want string }{
		"ASCII":          {"is_Public", "IS_PUBLIC"},
		"long s":         {"iſ_public", "IS_PUBLIC"},
		"kelvin sign":    {"image_id\u212a", "IMAGE_IDK"},
		"other runes":    {"Ændröid", "ÆNDRÖID"},
		"invalid utf-8":  {"a\xffb", "A\ufffdB"},
		"digits, signs":  {"a1_-.", "A1_-."},
		"empty":          {"", ""},
		"appends to dst": {"x", "X"},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			want := tc.want
			dst := []byte(nil)
			if name == "appends to dst" {
				dst, want = []byte("keep:"), "keep:"+tc.want
			}
			assert.Equal(t, want, string(AppendFolded(dst, []byte(tc.key))))
		})
	}
}

// TestScanErrors pins the *SyntaxError of each kind of bad input: its
// message (encoding/json's words) and the offset of the byte at fault.
func TestScanErrors(t *testing.T) {
	str := func(s Scanner) error { _, _, err := s.ScanString(0); return err }
	num := func(s Scanner) error { _, _, err := s.ScanNumber(0); return err }
	null := func(s Scanner) error { _, err := s.ScanLiteral(0, "null"); return err }
	true_ := func(s Scanner) error { _, err := s.ScanLiteral(0, "true"); return err }
	skip := func(s Scanner) error { _, _, err := s.SkipValue(0, 0, nil); return err }
	// skipInside skips with all but two of MaxDepth containers open.
	skipInside := func(s Scanner) error { _, _, err := s.SkipValue(0, MaxDepth-2, nil); return err }
	tests := map[string]struct {
		scan   func(Scanner) error
		text   string
		msg    string
		offset int
	}{
		"string unterminated":  {str, `"abc`, "unexpected end of JSON input", 4},
		"unterminated long":    {str, `"0123456789abcdef`, "unexpected end of JSON input", 17},
		"only a quote":         {str, `"`, "unexpected end of JSON input", 1},
		"control character":    {str, "\"a\tb\"", `invalid character '\t' in string literal`, 2},
		"nul in a word":        {str, "\"0123\x0056789\"", `invalid character '\x00' in string literal`, 5},
		"bad escape":           {str, `"\x"`, `invalid character 'x' in string escape code`, 2},
		"escaped single quote": {str, `"\'"`, `invalid character '\'' in string escape code`, 2},
		"backslash at the end": {str, `"\`, "unexpected end of JSON input", 2},
		"short \\u":            {str, `"\u12"`, `invalid character '"' in \u hexadecimal character escape`, 5},
		"bad \\u digit":        {str, `"\u12g4"`, `invalid character 'g' in \u hexadecimal character escape`, 5},
		"\\u at the end":       {str, `"\u12`, "unexpected end of JSON input", 5},
		"bare minus":           {num, `-`, "unexpected end of JSON input", 1},
		"minus then letter":    {num, `-x`, `invalid character 'x' in numeric literal`, 1},
		"plus sign":            {num, `+1`, `invalid character '+' in numeric literal`, 0},
		"dangling point":       {num, `1.}`, `invalid character '}' after decimal point in numeric literal`, 2},
		"point at the end":     {num, `1.`, "unexpected end of JSON input", 2},
		"dangling exponent":    {num, `1e}`, `invalid character '}' in exponent of numeric literal`, 2},
		"exponent sign":        {num, `1e+`, "unexpected end of JSON input", 3},
		"leading point":        {num, `.5`, `invalid character '.' in numeric literal`, 0},
		"literal truncated":    {true_, `tru`, "unexpected end of JSON input", 3},
		"literal misspelt":     {null, `nul1`, `invalid character '1' in literal null`, 3},
		"literal capitalised":  {true_, `True`, `invalid character 'T' in literal true`, 0},
		"empty":                {skip, ``, "unexpected end of JSON input", 0},
		"not a value":          {skip, `}`, `invalid character '}' looking for beginning of value`, 0},
		"trailing comma":       {skip, `[1,]`, `invalid character ']' looking for beginning of value`, 3},
		"mismatched":           {skip, `[1}`, `invalid character '}' after a value in an array or object`, 2},
		"missing colon":        {skip, `{"a" 1}`, `invalid character '1' after object key`, 5},
		"unquoted key":         {skip, `{a:1}`, `invalid character 'a' looking for beginning of object key string`, 1},
		"comma then no key":    {skip, `{"a":1,}`, `invalid character '}' looking for beginning of object key string`, 7},
		"unterminated":         {skip, `[1,[2`, "unexpected end of JSON input", 5},
		"bad string inside":    {skip, `["\x"]`, `invalid character 'x' in string escape code`, 3},
		"bad number inside":    {skip, `[1.]`, `invalid character ']' after decimal point in numeric literal`, 3},
		"bad literal inside":   {skip, `[nul]`, `invalid character ']' in literal null`, 4},
		"over the depth":       {skip, strings.Repeat("[", MaxDepth+1) + strings.Repeat("]", MaxDepth+1), "exceeded max depth", MaxDepth},
		"over with the outer":  {skipInside, `[[[]]]`, "exceeded max depth", 2},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			requireSyntaxError(t, tc.scan(Scanner(tc.text)), tc.msg, tc.offset)
		})
	}
}

// TestAtTheEnd holds each method to the contract's edge: at pos equal to
// the text's length it reports the end of input (or, for SkipWS and
// PlainASCII, nothing to find), without a panic.
func TestAtTheEnd(t *testing.T) {
	s := Scanner(`{"a":1}`)
	end := len(s)
	assert.Equal(t, end, s.SkipWS(end))
	assert.False(t, s.PlainASCII(end, 1))
	_, _, err := s.ScanString(end)
	requireSyntaxError(t, err, "unexpected end of JSON input", end)
	_, _, err = s.ScanNumber(end)
	requireSyntaxError(t, err, "unexpected end of JSON input", end)
	_, err = s.ScanLiteral(end, "null")
	requireSyntaxError(t, err, "unexpected end of JSON input", end)
	_, _, err = s.SkipValue(end, 0, nil)
	requireSyntaxError(t, err, "unexpected end of JSON input", end)
}

// TestLexingAllocatesNothing holds the contract's promise that lexing
// valid input allocates nothing (SkipValue, once its scratch stack is
// big enough).
func TestLexingAllocatesNothing(t *testing.T) {
	s := Scanner(` "0123456789abcdef\n\u00e9" -12.5e3 true {"a":[1,"b",null]} `)
	stack := make([]byte, 0, 8)
	allocs := testing.AllocsPerRun(20, func() {
		pos := s.SkipWS(0)
		pos, _, _ = s.ScanString(pos)
		pos, _, _ = s.ScanNumber(s.SkipWS(pos))
		pos, _ = s.ScanLiteral(s.SkipWS(pos), "true")
		_, stack, _ = s.SkipValue(pos, 0, stack)
		_ = s.PlainASCII(1, 16)
	})
	assert.Zero(t, allocs)
}
