package cph_test

import (
	"cmp"
	"context"
	"errors"
	"io"
	"net/http"
	"syscall"
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

// TestCphtestInjectFault: the faults a user of cphtest injects to test
// their own code (Retry-After, a slow answer, a reset connection, a proxy's
// HTML page, a body cut short), as a real client sees them.
func TestCphtestInjectFault(t *testing.T) {
	const html502 = "<html><head><title>502 Bad Gateway</title></head><body><center><h1>502 Bad Gateway</h1></center><hr><center>nginx</center></body></html>"
	throttled := func(retryAfter string) cphtest.Fault {
		return cphtest.Fault{
			Status: http.StatusTooManyRequests, Code: "APIGW.0308", Message: "The throttling threshold has been reached",
			Header: http.Header{"Retry-After": {retryAfter}},
		}
	}
	tests := map[string]struct {
		n            int
		fault        cphtest.Fault
		opts         []cph.Option
		timeout      time.Duration // of the call's context; 0: 10 s
		wantRequests int
		check        func(t *testing.T, out *cph.ListPhoneImagesOutput, err error) // nil: the call succeeds
	}{
		"Retry-After 0: retried at once": {n: 1, fault: throttled("0"), wantRequests: 2},
		"Retry-After past WithMaxRetryAfter: returned at once": {
			n: 1, fault: throttled("120"), wantRequests: 1,
			check: func(t *testing.T, _ *cph.ListPhoneImagesOutput, err error) {
				apiErr := requireAPIError(t, err)
				assert.Equal(t, http.StatusTooManyRequests, apiErr.StatusCode)
				assert.Equal(t, "APIGW.0308", apiErr.Code)
				assert.Equal(t, 2*time.Minute, apiErr.RetryAfter)
				assert.Equal(t, 1, apiErr.Attempts)
			},
		},
		"Retry-After past the context's deadline: returned at once": {
			n: 1, fault: throttled("30"), timeout: 5 * time.Second, wantRequests: 1,
			check: func(t *testing.T, _ *cph.ListPhoneImagesOutput, err error) {
				assert.ErrorIs(t, err, context.DeadlineExceeded)
				assert.Equal(t, 30*time.Second, requireAPIError(t, err).RetryAfter)
			},
		},
		"slow answer: served late": {n: 1, fault: cphtest.Fault{Delay: 50 * time.Millisecond}, wantRequests: 1},
		"slow answer past the HTTP client's timeout: retried": {
			n: 1, fault: cphtest.Fault{Delay: time.Minute}, wantRequests: 2,
			opts: []cph.Option{cph.WithHTTPClient(&http.Client{Timeout: 200 * time.Millisecond})},
		},
		"slow answer past the caller's deadline: not retried": {
			n: 1, fault: cphtest.Fault{Delay: time.Minute}, timeout: 200 * time.Millisecond, wantRequests: 1,
			check: func(t *testing.T, _ *cph.ListPhoneImagesOutput, err error) {
				assert.ErrorIs(t, err, context.DeadlineExceeded)
			},
		},
		"hang past the caller's deadline": {
			n: 1, fault: cphtest.Fault{Hang: true}, timeout: 200 * time.Millisecond, wantRequests: 1,
			check: func(t *testing.T, _ *cph.ListPhoneImagesOutput, err error) {
				assert.ErrorIs(t, err, context.DeadlineExceeded)
			},
		},
		"connection reset once: retried": {n: 1, fault: cphtest.Fault{Reset: true}, wantRequests: 2},
		"connection reset always: attempts run out": {
			n: 3, fault: cphtest.Fault{Reset: true}, wantRequests: 3,
			check: func(t *testing.T, _ *cph.ListPhoneImagesOutput, err error) {
				assert.True(t, errors.Is(err, syscall.ECONNRESET), "%v", err)
				assert.Contains(t, err.Error(), "after 3 attempts")
			},
		},
		"proxy's HTML 502 once: retried": {
			n: 1, fault: cphtest.Fault{Status: http.StatusBadGateway, Body: html502}, wantRequests: 2,
		},
		"proxy's HTML 502 always: its text in the error": {
			n: 3, fault: cphtest.Fault{Status: http.StatusBadGateway, Body: html502}, wantRequests: 3,
			check: func(t *testing.T, _ *cph.ListPhoneImagesOutput, err error) {
				apiErr := requireAPIError(t, err)
				assert.Equal(t, http.StatusBadGateway, apiErr.StatusCode)
				assert.Contains(t, apiErr.Message, "502 Bad Gateway nginx")
				assert.NotContains(t, apiErr.Message, "<", "the tags are stripped")
				assert.Regexp(t, "^[0-9a-f]{32}$", apiErr.RequestID, "from X-Request-Id")
			},
		},
		"HTML page with 200 (a captive portal): an invalid response": {
			n: 1, fault: cphtest.Fault{Status: http.StatusOK, Body: html502}, wantRequests: 1,
			check: func(t *testing.T, _ *cph.ListPhoneImagesOutput, err error) {
				assert.ErrorIs(t, err, cph.ErrInvalidResponse)
				var invalid *cph.InvalidResponseError
				require.ErrorAs(t, err, &invalid)
				assert.Equal(t, http.StatusOK, invalid.StatusCode)
			},
		},
		"body cut short once: retried": {n: 1, fault: cphtest.Fault{Truncate: true}, wantRequests: 2},
		"body cut short always": {
			n: 3, fault: cphtest.Fault{Truncate: true}, wantRequests: 3,
			check: func(t *testing.T, _ *cph.ListPhoneImagesOutput, err error) {
				assert.ErrorIs(t, err, io.ErrUnexpectedEOF)
			},
		},
		"a fault for IAM does not touch the listing": {
			n: 1, fault: cphtest.Fault{Operation: "KeystoneListProjects", Reset: true}, wantRequests: 1,
		},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			srv := cphtest.NewServer()
			defer srv.Close()
			c := newCphtestClient(t, srv, tc.opts...)
			srv.InjectFault(tc.n, tc.fault)
			ctx, cancel := context.WithTimeout(context.Background(), cmp.Or(tc.timeout, 10*time.Second))
			defer cancel()

			out, err := c.ListPhoneImages(ctx)

			assert.Len(t, srv.Requests(), tc.wantRequests)
			if tc.check == nil {
				require.NoError(t, err)
				assert.Equal(t, cphtest.DocumentedImages(), out.Images)
				return
			}
			require.Error(t, err)
			tc.check(t, out, err)
			if tc.timeout == 0 {
				assert.NoError(t, ctx.Err(), "returned before the deadline")
			}
		})
	}
}

// TestCphtestInjectFaultDiscovery: a fault narrowed to IAM's operation
// reaches the client's project ID discovery only.
func TestCphtestInjectFaultDiscovery(t *testing.T) {
	srv := cphtest.NewServer()
	defer srv.Close()
	srv.InjectFault(1, cphtest.Fault{Operation: "KeystoneListProjects", Status: http.StatusServiceUnavailable, Code: "APIGW.0201"})
	srv.InjectFault(1, cphtest.Fault{Operation: "ListPhoneImages", Reset: true})
	c, err := cph.NewClient(append(srv.DiscoveryOptions(), cph.WithBackoff(time.Millisecond, 5*time.Millisecond))...)
	require.NoError(t, err)

	out, err := c.ListPhoneImages(context.Background())
	require.NoError(t, err)
	assert.Len(t, out.Images, 3)
	var paths []string
	for _, r := range srv.Requests() {
		paths = append(paths, r.Path)
	}
	images := "/v1/" + srv.ProjectID() + "/cloud-phone/phone-images"
	assert.Equal(t, []string{"/v3/projects", "/v3/projects", images, images}, paths,
		"IAM's 503 retried, then the listing's reset retried")
}

// requireAPIError returns the *cph.APIError in err.
func requireAPIError(t *testing.T, err error) *cph.APIError {
	t.Helper()
	var apiErr *cph.APIError
	require.ErrorAs(t, err, &apiErr)
	return apiErr
}
