package cph

import (
	"net/http"
	"testing"

	"github.com/jarcoal/httpmock"
	"github.com/stretchr/testify/require"
)

// newMockedClient returns a client whose own *http.Client is answered by
// httpmock, and deactivates the mock when the test ends.
func newMockedClient(t *testing.T, opts ...Option) *Client {
	t.Helper()
	hc := &http.Client{}
	httpmock.ActivateNonDefault(hc)
	t.Cleanup(func() {
		httpmock.DeactivateNonDefault(hc)
		httpmock.Reset()
	})
	base := []Option{
		WithEndpoint(testEndpoint),
		WithProjectID(testProjectID),
		WithCredentials(testCreds),
		WithHTTPClient(hc),
	}
	c, err := NewClient(append(base, opts...)...)
	require.NoError(t, err)
	return c
}
