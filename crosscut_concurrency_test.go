package cph

import (
	"context"
	"errors"
	"io"
	"log/slog"
	"net/http"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestConcurrentRetries sends many calls at once through one client while
// the server fails every third request (503, or a body cut mid-read). Every
// call must end in a success or a 503 after all its attempts, and the
// books must balance: one debug record per request, one warning per retry.
func TestConcurrentRetries(t *testing.T) {
	s := newFaultServer(t, func(w http.ResponseWriter, r *http.Request, n int) {
		switch {
		case n%6 == 0:
			cutBody(w, r, n)
		case n%3 == 0:
			status(503, `{"error_code":"CPS.0503","error_msg":"busy"}`)(w, r, n)
		default:
			serveOK(w)
		}
	}, false)
	h := &recordingHandler{}
	c := newFaultClient(t, s.URL, WithLogger(slog.New(h)))
	c.setJitter(func(int64) int64 { return 0 })

	const goroutines, perGoroutine = 24, 5
	var wg sync.WaitGroup
	errs := make(chan error, goroutines*perGoroutine)
	for range goroutines {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for range perGoroutine {
				out, err := c.ListPhoneImages(context.Background())
				if err == nil && len(out.Images) != 3 {
					t.Errorf("got %d images", len(out.Images))
				}
				errs <- err
			}
		}()
	}
	wg.Wait()
	close(errs)

	calls, failed := 0, 0
	for err := range errs {
		calls++
		if err == nil {
			continue
		}
		failed++
		var apiErr *APIError
		if errors.As(err, &apiErr) {
			assert.Equal(t, 503, apiErr.StatusCode)
			assert.Equal(t, 3, apiErr.Attempts)
		} else {
			assert.ErrorIs(t, err, io.ErrUnexpectedEOF)
			assert.Contains(t, err.Error(), "after 3 attempts")
		}
	}
	require.Equal(t, goroutines*perGoroutine, calls)
	requests := s.Served()
	assert.Greater(t, requests, calls, "faults were injected and retried")
	assert.Less(t, failed, calls, "most calls got through")
	assert.Len(t, h.at(slog.LevelDebug), requests, "one debug record per request")
	assert.Len(t, h.at(slog.LevelWarn), requests-calls, "one warning per retry")
}
