package cph_test

import (
	"context"
	"net/http"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/cph-go/cph"
	"github.com/cph-go/cph/cphtest"
	"github.com/cph-go/cph/internal/sigv"
)

// newCphtestClient returns a client of srv with fast retries.
func newCphtestClient(t *testing.T, srv *cphtest.Server, opts ...cph.Option) *cph.Client {
	t.Helper()
	c, err := cph.NewClient(append(append(srv.ClientOptions(), cph.WithBackoff(time.Millisecond, 5*time.Millisecond)), opts...)...)
	require.NoError(t, err)
	return c
}

// TestCphtestFailNextRetried: the fake server's injected faults, as a user
// of cphtest sees them.
func TestCphtestFailNextRetried(t *testing.T) {
	tests := map[string]struct {
		failures, status int
		code             string
		wantRequests     int
		wantStatus       int // 0: success
	}{
		"two 503, then served":         {failures: 2, status: 503, code: "CPS.0503", wantRequests: 3},
		"throttled twice, then served": {failures: 2, status: 429, code: "APIGW.0308", wantRequests: 3},
		"three 500: attempts run out":  {failures: 3, status: 500, code: "CPS.9999", wantRequests: 3, wantStatus: 500},
		"403 is not retried":           {failures: 1, status: 403, code: "APIGW.0306", wantRequests: 1, wantStatus: 403},
		"400 is not retried":           {failures: 1, status: 400, code: "CPS.0005", wantRequests: 1, wantStatus: 400},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			srv := cphtest.NewServer()
			defer srv.Close()
			c := newCphtestClient(t, srv)
			srv.FailNext(tc.failures, tc.status, tc.code, "injected")

			out, err := c.ListPhoneImages(context.Background())

			assert.Len(t, srv.Requests(), tc.wantRequests)
			if tc.wantStatus == 0 {
				require.NoError(t, err)
				assert.Len(t, out.Images, 3)
				return
			}
			var apiErr *cph.APIError
			require.ErrorAs(t, err, &apiErr)
			assert.Equal(t, tc.wantStatus, apiErr.StatusCode)
			assert.Equal(t, tc.code, apiErr.Code)
			assert.Equal(t, tc.wantRequests, apiErr.Attempts)
		})
	}
}

// TestCphtestClockSkewCorrected: against cphtest with its clock an hour
// ahead, the first call is refused once and corrected, and the next call
// is signed with the gateway's time from the start.
func TestCphtestClockSkewCorrected(t *testing.T) {
	srv := cphtest.NewServer(cphtest.WithClock(func() time.Time { return time.Now().Add(time.Hour) }))
	defer srv.Close()
	c := newCphtestClient(t, srv)

	_, err := c.ListPhoneImages(context.Background())
	require.NoError(t, err)
	_, err = c.ListPhoneImages(context.Background())
	require.NoError(t, err)

	reqs := srv.Requests()
	require.Len(t, reqs, 3, "refused, corrected; then right at once")
	var signed []time.Time
	for _, r := range reqs {
		d, err := time.Parse(sigv.DateFormat, r.Header.Get(sigv.HeaderDate))
		require.NoError(t, err)
		signed = append(signed, d)
		assert.Equal(t, http.MethodGet, r.Method)
	}
	assert.InDelta(t, time.Hour.Seconds(), signed[1].Sub(signed[0]).Seconds(), 120)
	assert.InDelta(t, 0, reqs[2].Time.Sub(signed[2]).Seconds(), 120, "the later call is signed with the server's time")
}
