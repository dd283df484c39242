package cph

import (
	"context"
	"net/http"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestRedactCut(t *testing.T) {
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
			assert.Equal(t, tc.want, redactCut(tc.in, secrets))
		})
	}
}

// TestRedactRule: secrets of minRedactLen bytes or more are redacted
// wherever they occur; shorter ones, which no real credential is, are left
// alone so that no message is mangled.
func TestRedactRule(t *testing.T) {
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
			assert.Equal(t, tc.want, redactCut(tc.in, []string{tc.secret}))
		})
	}
}

// TestShortSecretDoesNotMangleMessages: through a real call, a client whose
// secret key is one letter gets the service's message as it was.
func TestShortSecretDoesNotMangleMessages(t *testing.T) {
	s := newFaultServer(t, always(status(400, `{"error_code":"CPS.0005","error_msg":"busy: bad request body"}`)), false)
	c, err := NewClient(WithEndpoint(s.URL), WithProjectID(testProjectID), WithCredentials(Credentials{AccessKey: testAK, SecretKey: "b"}))
	require.NoError(t, err)

	_, err = c.ListPhoneImages(context.Background())

	var apiErr *APIError
	require.ErrorAs(t, err, &apiErr)
	assert.Equal(t, "busy: bad request body", apiErr.Message)
}

// TestErrorMessageCutInsideASecret: a proxy echoes the security token
// where the message's snippet is cut; no part of the token may remain.
func TestErrorMessageCutInsideASecret(t *testing.T) {
	for _, pad := range []int{220, 230, 240, 245, 250, 255} {
		s := newFaultServer(t, always(func(w http.ResponseWriter, r *http.Request, _ int) {
			w.WriteHeader(http.StatusBadRequest)
			_, _ = w.Write([]byte("<p>" + strings.Repeat("x", pad) + " token " + r.Header.Get("X-Security-Token") + "</p>"))
		}), false)
		c := newFaultClient(t, s.URL)

		_, err := c.ListPhoneImages(context.Background())

		var apiErr *APIError
		require.ErrorAs(t, err, &apiErr)
		for k := 6; k <= len(testToken); k++ {
			assert.NotContains(t, apiErr.Message, testToken[:k], "pad %d", pad)
		}
	}
}
