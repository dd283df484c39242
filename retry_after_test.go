package cph

import (
	"context"
	"log/slog"
	"math"
	"net/http"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// Retry-After: the service's own request is honoured up to
// WithMaxRetryAfter, whatever the backoff's maximum; a longer one returns
// at once with the asked wait on the *APIError.

// TestRetryAfterHonouredBeyondBackoffMax: with a backoff capped at 10 ms, a
// 429 asking for 1 s is waited out and retried. (The test takes that
// second; it asserts what happened, not how long it took.)
func TestRetryAfterHonouredBeyondBackoffMax(t *testing.T) {
	s := newFaultServer(t, failFirst(1, status(429, `{"error_code":"APIGW.0308","error_msg":"throttled"}`, "Retry-After", "1")), false)
	h := &recordingHandler{}
	c := newFaultClient(t, s.URL, WithBackoff(time.Millisecond, 10*time.Millisecond), WithLogger(slog.New(h)))

	out, err := c.ListPhoneImages(context.Background())

	require.NoError(t, err)
	assert.Len(t, out.Images, 3)
	assert.Equal(t, 2, s.Served())
	warns := h.at(slog.LevelWarn)
	require.Len(t, warns, 1)
	assert.Equal(t, time.Second, warns[0]["wait"], "the wait is the service's, not the backoff's")
}

// TestRetryAfterTooLong: a Retry-After over the limit returns at once, with
// the *APIError carrying what the service asked for.
func TestRetryAfterTooLong(t *testing.T) {
	longest := time.Duration(math.MaxInt64)
	tests := map[string]struct {
		value string
		opts  []Option
		want  time.Duration
	}{
		"over the default minute":     {value: "61", want: 61 * time.Second},
		"over a chosen limit":         {value: "3", opts: []Option{WithMaxRetryAfter(2 * time.Second)}, want: 3 * time.Second},
		"any wait, with a limit of 0": {value: "1", opts: []Option{WithMaxRetryAfter(0)}, want: time.Second},
		"too large for an int64":      {value: "99999999999999999999999", want: longest},
		"too large for a Duration":    {value: "9223372036854775807", want: longest},
		"as an HTTP date far ahead":   {value: "Fri, 01 Jan 2100 00:00:00 GMT", want: 0},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			s := newFaultServer(t, always(status(503, `{"error_code":"CPS.0001","error_msg":"busy"}`, "Retry-After", tc.value)), false)
			c := newFaultClient(t, s.URL, tc.opts...)

			_, err := c.ListPhoneImages(context.Background())

			var apiErr *APIError
			require.ErrorAs(t, err, &apiErr)
			if tc.want == 0 { // an HTTP date: the wait depends on today
				assert.Greater(t, apiErr.RetryAfter, 24*time.Hour)
			} else {
				assert.Equal(t, tc.want, apiErr.RetryAfter)
			}
			assert.Equal(t, 1, s.Served(), "not retried")
			assert.Contains(t, err.Error(), "not retried: the service asks to wait")
			assert.Contains(t, err.Error(), "WithMaxRetryAfter")
		})
	}
}

// TestRetryAfterHugeWithLargestLimit: with no limit to speak of, the
// context's deadline still bounds the wait: the call returns at once.
func TestRetryAfterHugeWithLargestLimit(t *testing.T) {
	s := newFaultServer(t, always(status(429, "", "Retry-After", "99999999999999999999999")), false)
	c := newFaultClient(t, s.URL, WithMaxRetryAfter(time.Duration(math.MaxInt64)))
	ctx, cancel := context.WithTimeout(context.Background(), time.Hour)
	defer cancel()

	_, err := c.ListPhoneImages(ctx)

	var apiErr *APIError
	require.ErrorAs(t, err, &apiErr)
	assert.Equal(t, time.Duration(math.MaxInt64), apiErr.RetryAfter)
	assert.ErrorIs(t, err, context.DeadlineExceeded)
	assert.NoError(t, ctx.Err())
	assert.Equal(t, 1, s.Served())
}

// TestRetryAfterOnEveryAPIError: RetryAfter is set whenever the service
// asked, also on an answer that is not retried.
func TestRetryAfterOnEveryAPIError(t *testing.T) {
	s := newFaultServer(t, always(status(400, "", "Retry-After", "7")), false)
	c := newFaultClient(t, s.URL)

	_, err := c.ListPhoneImages(context.Background())

	var apiErr *APIError
	require.ErrorAs(t, err, &apiErr)
	assert.Equal(t, 7*time.Second, apiErr.RetryAfter)
	assert.Equal(t, 1, s.Served())
}

func TestWithMaxRetryAfterValues(t *testing.T) {
	_, err := NewClient(WithEndpoint("https://cph.example.invalid"), WithProjectID(testProjectID), WithCredentials(testCreds),
		WithMaxRetryAfter(-time.Nanosecond))
	require.ErrorIs(t, err, ErrInvalidParameter)
	assert.Contains(t, err.Error(), "max Retry-After")

	c, err := NewClient(WithEndpoint("https://cph.example.invalid"), WithProjectID(testProjectID), WithCredentials(testCreds))
	require.NoError(t, err)
	assert.Equal(t, time.Minute, c.maxRetryAfter, "the default")
}

// TestRetryAfterCountedFromAnswer: a Retry-After HTTP date is counted from
// when the answer came by the client's clock, for the wait as for
// APIError.RetryAfter: with the clock two days behind, a date 30 minutes
// past it is a wait of 30 minutes, which would pass the deadline.
func TestRetryAfterCountedFromAnswer(t *testing.T) {
	clock := time.Now().Add(-48 * time.Hour).Truncate(time.Second)
	at := clock.Add(30 * time.Minute).UTC().Format(http.TimeFormat)
	s := newFaultServer(t, always(status(503, "", "Retry-After", at)), false)
	c := newFaultClient(t, s.URL, WithMaxRetryAfter(time.Hour))
	c.setClock(func() time.Time { return clock })
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()

	_, err := c.ListPhoneImages(ctx)

	var apiErr *APIError
	require.ErrorAs(t, err, &apiErr)
	assert.Equal(t, 30*time.Minute, apiErr.RetryAfter)
	assert.ErrorIs(t, err, context.DeadlineExceeded)
	assert.Contains(t, err.Error(), "the next attempt, 30m0s from now")
	assert.Equal(t, 1, s.Served(), "not retried")
}
