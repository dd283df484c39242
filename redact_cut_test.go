package cph

import (
	"context"
	"net/http"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

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
