package redact

import (
	"errors"
	"io/fs"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestCut(t *testing.T) {
	secrets := []string{"", "SECRETKEY0123456789"}
	tests := map[string]struct{ in, want string }{
		"whole secret":              {in: "a SECRETKEY0123456789 b", want: "a [REDACTED] b"},
		"secret cut at the end":     {in: "a SECRETKEY01…", want: "a [REDACTED]…"},
		"short start is left":       {in: "a SEC…", want: "a SEC…"},
		"not cut: start left as is": {in: "a SECRETKEY01", want: "a SECRETKEY01"},
		"cut elsewhere":             {in: "nothing secret…", want: "nothing secret…"},
		"whole secret, then cut":    {in: "SECRETKEY0123456789 and SECRETK…", want: "[REDACTED] and [REDACTED]…"},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			assert.Equal(t, tc.want, Cut(tc.in, secrets))
		})
	}
}

// TestRule: secrets of MinLen bytes or more are redacted
// wherever they occur; shorter ones, which no real credential is, are left
// alone so that no message is mangled.
func TestRule(t *testing.T) {
	realSK := "sEcReTkEy0123456789abcdefghijklmnopqrstu" // 40 characters, as Huawei Cloud's
	tests := map[string]struct {
		secret, in, want string
	}{
		"one-letter secret":           {secret: "b", in: "busy, try later", want: "busy, try later"},
		"word-long secret":            {secret: "busy", in: "busy, try later", want: "busy, try later"},
		"one byte under the rule":     {secret: "abcdefghijklmno", in: "x abcdefghijklmno y", want: "x abcdefghijklmno y"},
		"at the rule":                 {secret: "abcdefghijklmnop", in: "x abcdefghijklmnop y", want: "x [REDACTED] y"},
		"a real secret key":           {secret: realSK, in: "echo " + realSK + "!", want: "echo [REDACTED]!"},
		"a real secret key, twice":    {secret: realSK, in: realSK + realSK, want: "[REDACTED][REDACTED]"},
		"a real secret key, cut":      {secret: realSK, in: "echo " + realSK[:10] + "…", want: "echo [REDACTED]…"},
		"short secret, cut":           {secret: "busyness", in: "bus…", want: "bus…"},
		"short secret's start, cut":   {secret: "busyness", in: "try later, busy…", want: "try later, busy…"},
		"a real key's start, not cut": {secret: realSK, in: "sEcReT is a word", want: "sEcReT is a word"},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			assert.Equal(t, tc.want, Cut(tc.in, []string{tc.secret}))
		})
	}
}

func TestString(t *testing.T) {
	secrets := []string{"SECRETKEY0123456789", "", "short", "TOKEN0123456789ABCDEF"}
	assert.Equal(t, "a "+Mark+" b "+Mark+" short", String("a SECRETKEY0123456789 b TOKEN0123456789ABCDEF short", secrets))
	assert.Equal(t, "nothing here", String("nothing here", secrets))
}

func TestError(t *testing.T) {
	const secret = "SECRETKEY0123456789"
	cause := &fs.PathError{Op: "open", Path: "x", Err: fs.ErrNotExist}
	tests := map[string]struct {
		err      error
		want     string // "" : err comes back unchanged
		wantSame bool
	}{
		"no secret, short: unchanged": {err: cause, wantSame: true},
		"a secret: redacted, chain kept": {
			err:  errors.Join(errors.New("sent "+secret), cause),
			want: "sent " + Mark + "\nopen x: file does not exist",
		},
		"long: cut at MaxErrorText with a mark": {
			err:  errors.Join(errors.New(strings.Repeat("é", MaxErrorText)), cause),
			want: strings.Repeat("é", MaxErrorText/2) + "…",
		},
		"long, a secret across the cut: redacted before the cut": {
			err:  errors.Join(errors.New(strings.Repeat("x", MaxErrorText-6)+secret), cause),
			want: strings.Repeat("x", MaxErrorText-6) + Mark[:6] + "…",
		},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			got := Error(tc.err, []string{secret})
			if tc.wantSame {
				assert.Same(t, tc.err, got)
				return
			}
			assert.Equal(t, strings.ReplaceAll(tc.want, "\\n", "\n"), got.Error())
			var pe *fs.PathError
			require.ErrorAs(t, got, &pe, "the chain is kept")
			assert.ErrorIs(t, got, fs.ErrNotExist)
		})
	}
}

func TestWithMessage(t *testing.T) {
	err := WithMessage(fs.ErrNotExist, "gone")
	assert.Equal(t, "gone", err.Error())
	assert.ErrorIs(t, err, fs.ErrNotExist)
}
