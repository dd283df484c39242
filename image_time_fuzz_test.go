package cph

import (
	"encoding/json"
	"strconv"
	"testing"
)

// FuzzParseTime: parseWireTime never panics, whatever it reads; a time it
// reads from a number of milliseconds gives that number back.
func FuzzParseTime(f *testing.F) {
	for _, seed := range []string{
		`1713320018058`, `"1713320018058"`, `"2024-04-17T02:13:38.058+08:00"`, `"2024-04-17 02:13:38"`,
		`null`, ``, `-1`, `0`, `99999999999999999999`, `"\u0000"`, `"abc`, `1e3`,
	} {
		f.Add([]byte(seed))
	}
	f.Fuzz(func(t *testing.T, raw []byte) {
		got, text := parseWireTime(json.RawMessage(raw))
		if got.IsZero() || !isDigits(text) {
			return
		}
		ms, err := strconv.ParseInt(text, 10, 64)
		if err != nil {
			t.Fatalf("%q read as %v, but it is no int64", text, got)
		}
		if got.UnixMilli() != ms {
			t.Fatalf("%q read as %v, which is %d ms", text, got, got.UnixMilli())
		}
	})
}
