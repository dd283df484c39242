package jsonscan

import (
	"encoding/json"
	"errors"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// fuzzSeeds are texts for every fuzz test of the package: values of each
// kind, valid and not.
var fuzzSeeds = []string{
	`""`, `"abc"`, `"0123456789abcdef0123"`, `"\"\\\/\b\f\n\r\t"`, `"\u0041\u00e9\ud83d\ude00"`,
	`"\ud83dx"`, "\"a\xffb\"", "\"a\tb\"", `"\x"`, `"\u12g4"`, `"abc`, `"\`,
	`0`, `-0`, `01`, `-12.5e+3`, `1.`, `1e`, `-`, `+1`, `123456789012345678901234567890`,
	`true`, `fals`, `null`, `{}`, `[]`, ` {"a" : [1, {"b":null}, "c"], "d":{}} `,
	`{"a":1,}`, `[1}`, `{a:1}`, `[[[[[]]]]]`, `{"a":"b"} x`,
}

// FuzzSkipValue holds SkipValue to encoding/json on any text: a value
// and then only white space is valid JSON, and anything else is not, with
// a *SyntaxError inside the text and never a panic.
func FuzzSkipValue(f *testing.F) {
	for _, s := range fuzzSeeds {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		s := Scanner(data)
		end, _, err := s.SkipValue(0, 0, nil)
		valid := err == nil && s.SkipWS(end) == len(s)
		assert.Equal(t, json.Valid(data), valid, "SkipValue ended at %d with %v", end, err)
		if err != nil {
			var se *SyntaxError
			require.True(t, errors.As(err, &se))
			assert.True(t, 0 <= se.Offset && se.Offset <= len(data), "offset %d", se.Offset)
		}
	})
}

// FuzzScanString holds ScanString, NeedsUnquote, AppendUnquoted and
// PlainASCII to encoding/json on a text that starts with a quote: the
// string ScanString finds decodes with encoding/json to the value they
// give; a text it rejects is not a JSON string with anything after it.
func FuzzScanString(f *testing.F) {
	for _, s := range fuzzSeeds {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		if len(data) == 0 || data[0] != '"' {
			return
		}
		s := Scanner(data)
		end, flags, err := s.ScanString(0)
		if err != nil {
			var se *SyntaxError
			require.True(t, errors.As(err, &se))
			var v string
			assert.Error(t, json.Unmarshal(data, &v), "ScanString rejected it with %v", err)
			return
		}
		var want string
		require.NoError(t, json.Unmarshal(data[:end], &want), "the string ScanString found")
		contents := data[1 : end-1]
		got := string(contents)
		if flags.NeedsUnquote(contents) {
			got = string(AppendUnquoted(nil, contents))
		}
		assert.Equal(t, want, got)
		n := len(contents)
		if n > 0 && n+9 <= len(data) {
			assert.Equal(t, flags == 0, s.PlainASCII(0, n), "PlainASCII with room after the string")
		}
		assert.False(t, s.PlainASCII(0, n+1), "PlainASCII of the wrong length")
	})
}

// FuzzScanNumber holds ScanNumber and ParseInt to encoding/json on a text
// that starts as a number does: the number ScanNumber finds is valid
// JSON, an integer as ScanNumber says, and one that ParseInt parses as
// encoding/json does into an int; a text it rejects is not valid JSON.
func FuzzScanNumber(f *testing.F) {
	for _, s := range fuzzSeeds {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		if len(data) == 0 || data[0] != '-' && (data[0] < '0' || data[0] > '9') {
			return
		}
		end, integer, err := Scanner(data).ScanNumber(0)
		if err != nil {
			assert.False(t, json.Valid(data), "ScanNumber rejected it with %v", err)
			return
		}
		num := data[:end]
		require.True(t, json.Valid(num), "the number ScanNumber found")
		var v int
		jsonErr := json.Unmarshal(num, &v)
		n, ok := ParseInt(num)
		if !integer {
			assert.Error(t, jsonErr, "encoding/json takes %s as an int", num)
			return
		}
		assert.Equal(t, jsonErr == nil, ok, "ParseInt and encoding/json (%v) of %s", jsonErr, num)
		assert.Equal(t, v, n)
	})
}

// FuzzAppendFolded holds AppendFolded to encoding/json's matching of keys
// to a field's name: a key other than the name itself sets the field
// exactly when its folded form is the name's.
func FuzzAppendFolded(f *testing.F) {
	for _, k := range []string{"is_support_encrypt", "IS_SUPPORT_ENCRYPT", "iſ_ſupport_encrypt", "is_\u212aupport", "is_support_encrypt\xff", ""} {
		f.Add(k)
	}
	f.Fuzz(func(t *testing.T, key string) {
		const name = "is_support_encrypt"
		if key == name {
			return
		}
		doc, err := json.Marshal(map[string]int{key: 1})
		require.NoError(t, err)
		var v struct {
			X int `json:"is_support_encrypt"`
		}
		require.NoError(t, json.Unmarshal(doc, &v))
		// Marshal wrote invalid UTF-8 as U+FFFD, which folds the same.
		folds := string(AppendFolded(nil, []byte(key))) == string(AppendFolded(nil, []byte(name)))
		assert.Equal(t, v.X == 1, folds, "key %q", key)
	})
}
