package cph

import (
	"fmt"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestNilClientPrints(t *testing.T) {
	var c *Client
	assert.Equal(t, "cph.Client(nil)", fmt.Sprint(c))
	assert.Equal(t, "cph.Client(nil)", c.LogValue().String())
}

// TestClientFormatIsStable pins the text a client prints as, so that a
// change to it is a decision.
func TestClientFormatIsStable(t *testing.T) {
	c, err := NewClient(WithEndpoint("https://cph.example.invalid"), WithProjectID(testProjectID),
		WithCredentials(testCreds), WithMaxRetryAfter(time.Second))
	require.NoError(t, err)
	want := `cph.Client{Region:"", Endpoint:"https://cph.example.invalid", ProjectID:"0a1b2c3d4e5f60718293a4b5c6d7e8f9", ` +
		`Credentials:cph.Credentials{AccessKey:"HPUA****E1", SecretKey:"[REDACTED]", SecurityToken:""}}`
	for _, verb := range []string{"%v", "%+v", "%#v", "%s", "%q", "%x", "%X", "%d", "%10.3s"} {
		assert.Equal(t, want, fmt.Sprintf(verb, c), verb)
	}
}
