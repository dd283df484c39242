package cph

import (
	"context"
	"fmt"
	"log/slog"
	"net/http"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/cph-go/cph/internal/sigv"
)

// gateway401 answers like the API gateway does when a signature's time is
// more than 15 minutes off its clock.
func gateway401(w http.ResponseWriter, signed, serverNow time.Time) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(http.StatusUnauthorized)
	_, _ = fmt.Fprintf(w, `{"error_code":"APIGW.0301","error_msg":"Incorrect IAM authentication information: signature expired, signature time:%s,server time:%s","request_id":"r-expired"}`,
		signed.Format(sigv.DateFormat), serverNow.UTC().Format(sigv.DateFormat))
}

// skewedGateway is a handler whose clock is offset from the local one: it
// sends its time in Date and refuses signatures more than 15 minutes off
// it. dateHeader, if set, changes the headers of the refusal.
func skewedGateway(offset time.Duration, dateHeader func(h http.Header)) faultHandler {
	return func(w http.ResponseWriter, r *http.Request, _ int) {
		serverNow := time.Now().Add(offset)
		w.Header().Set("Date", serverNow.UTC().Format(http.TimeFormat))
		signed, err := sigv.Date(r)
		if err != nil || signed.Sub(serverNow).Abs() > 15*time.Minute {
			if dateHeader != nil {
				dateHeader(w.Header())
			}
			gateway401(w, signed, serverNow)
			return
		}
		serveOK(w)
	}
}

// signedAt returns the X-Sdk-Date of a request with header h.
func signedAt(t *testing.T, h http.Header) time.Time {
	t.Helper()
	d, err := time.Parse(sigv.DateFormat, h.Get(sigv.HeaderDate))
	require.NoError(t, err)
	return d
}

// dateOf returns the X-Sdk-Date of r, for a handler: zero if it has none.
func dateOf(r *http.Request) time.Time {
	d, _ := sigv.Date(r)
	return d
}

// TestClockSkewCorrected: a client whose clock is an hour off learns the
// gateway's offset from the 401's Date, retries once at once with it, and
// signs every later call with it from the start.
func TestClockSkewCorrected(t *testing.T) {
	for name, offset := range map[string]time.Duration{"gateway ahead": time.Hour, "gateway behind": -time.Hour} {
		t.Run(name, func(t *testing.T) {
			s := newFaultServer(t, skewedGateway(offset, nil), false)
			h := &recordingHandler{}
			c := newFaultClient(t, s.URL, WithLogger(slog.New(h)))

			_, err := c.ListPhoneImages(context.Background())
			require.NoError(t, err)
			reqs := s.Requests()
			require.Len(t, reqs, 2, "the first call: refused, then corrected")
			shift := signedAt(t, reqs[1].Header).Sub(signedAt(t, reqs[0].Header))
			assert.InDelta(t, offset.Seconds(), shift.Seconds(), 120, "the retry is signed with the gateway's time")
			assert.InDelta(t, offset.Seconds(), time.Duration(c.skew.Load()).Seconds(), 120)
			warn := h.at(slog.LevelWarn)
			require.Len(t, warn, 1)
			assert.Contains(t, warn[0]["reason"], "clock skew")

			_, err = c.ListPhoneImages(context.Background())
			require.NoError(t, err)
			reqs = s.Requests()
			require.Len(t, reqs, 3, "a later call uses the offset from its first request")
			assert.InDelta(t, 0, signedAt(t, reqs[2].Header).Sub(signedAt(t, reqs[1].Header)).Seconds(), 120)
		})
	}
}

// TestClockSkewNotCorrected covers the 401s that must not lead to a retry.
func TestClockSkewNotCorrected(t *testing.T) {
	tests := map[string]struct {
		handler faultHandler
	}{
		"answer with an Age header (from a cache)": {
			handler: skewedGateway(time.Hour, func(h http.Header) { h.Set("Age", "3600") }),
		},
		"answer without a Date header": {
			handler: skewedGateway(time.Hour, func(h http.Header) { h["Date"] = nil }),
		},
		"unreadable Date header": {
			handler: skewedGateway(time.Hour, func(h http.Header) { h.Set("Date", "yesterday") }),
		},
		"expired but the gateway's clock agrees with ours": {
			handler: always(func(w http.ResponseWriter, r *http.Request, _ int) {
				gateway401(w, dateOf(r), time.Now())
			}),
		},
		"other 401 from a skewed gateway": {
			handler: always(func(w http.ResponseWriter, _ *http.Request, _ int) {
				w.Header().Set("Date", time.Now().Add(time.Hour).UTC().Format(http.TimeFormat))
				status(401, `{"error_code":"APIGW.0301","error_msg":"Incorrect IAM authentication information: verify aksk signature fail"}`)(w, nil, 1)
			}),
		},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			s := newFaultServer(t, tc.handler, false)
			c := newFaultClient(t, s.URL)

			_, err := c.ListPhoneImages(context.Background())

			var apiErr *APIError
			require.ErrorAs(t, err, &apiErr)
			assert.Equal(t, http.StatusUnauthorized, apiErr.StatusCode)
			assert.True(t, IsAuthError(err))
			assert.Equal(t, 1, apiErr.Attempts)
			assert.Equal(t, 1, s.Served(), "authentication failures are not retried")
			assert.Zero(t, c.skew.Load(), "no offset learned")
		})
	}
}

// TestClockSkewRetriedOnce: when the corrected request is refused as
// expired too, the call gives up: two requests, not the three attempts.
func TestClockSkewRetriedOnce(t *testing.T) {
	var mu sync.Mutex
	offset := time.Hour
	s := newFaultServer(t, always(func(w http.ResponseWriter, r *http.Request, _ int) {
		mu.Lock()
		serverNow := time.Now().Add(offset)
		offset += time.Hour // a gateway whose clock keeps jumping
		mu.Unlock()
		w.Header().Set("Date", serverNow.UTC().Format(http.TimeFormat))
		gateway401(w, dateOf(r), serverNow)
	}), false)
	c := newFaultClient(t, s.URL)

	_, err := c.ListPhoneImages(context.Background())

	var apiErr *APIError
	require.ErrorAs(t, err, &apiErr)
	assert.Equal(t, http.StatusUnauthorized, apiErr.StatusCode)
	assert.Equal(t, 2, apiErr.Attempts)
	assert.Equal(t, 2, s.Served())
}

// TestClockSkewWithoutRetries: with WithMaxAttempts(1) the offset is still
// learned, and the next call is signed with it.
func TestClockSkewWithoutRetries(t *testing.T) {
	s := newFaultServer(t, skewedGateway(time.Hour, nil), false)
	c := newFaultClient(t, s.URL, WithMaxAttempts(1))

	_, err := c.ListPhoneImages(context.Background())
	var apiErr *APIError
	require.ErrorAs(t, err, &apiErr)
	assert.Equal(t, 1, apiErr.Attempts)
	assert.Equal(t, 1, s.Served())

	_, err = c.ListPhoneImages(context.Background())
	require.NoError(t, err)
	assert.Equal(t, 2, s.Served())
}

// TestClockSkewConcurrent: many calls at once through a client an hour
// off; each learns or uses the offset, and all succeed.
func TestClockSkewConcurrent(t *testing.T) {
	s := newFaultServer(t, skewedGateway(time.Hour, nil), false)
	c := newFaultClient(t, s.URL)
	const calls = 16
	errs := make([]error, calls)
	startEach(calls, func(i int) { _, errs[i] = c.ListPhoneImages(context.Background()) })()
	for i, err := range errs {
		assert.NoError(t, err, "call %d", i)
	}
	n := s.Served()
	assert.GreaterOrEqual(t, n, calls+1, "at least one call was refused first")
	assert.LessOrEqual(t, n, 2*calls, "no call needed more than the one correction")
	assert.InDelta(t, time.Hour.Seconds(), time.Duration(c.skew.Load()).Seconds(), 120)
}
