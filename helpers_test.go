package cph

import (
	"net/http"
	"sync"
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

// respondWithHeader answers status and body, with header's headers set on
// the answer.
func respondWithHeader(status int, body string, header http.Header) httpmock.Responder {
	return func(*http.Request) (*http.Response, error) {
		resp := httpmock.NewStringResponse(status, body)
		for k, v := range header {
			resp.Header[k] = v
		}
		return resp, nil
	}
}

// startEach runs f(0) to f(n-1), each in a goroutine of its own, and
// returns a func that waits for them all to return.
func startEach(n int, f func(i int)) (wait func()) {
	var wg sync.WaitGroup
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			f(i)
		}()
	}
	return wg.Wait
}
