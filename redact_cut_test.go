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
		for k := 6; k <= len(faultToken); k++ {
			assert.NotContains(t, apiErr.Message, faultToken[:k], "pad %d", pad)
		}
	}
}
