package main

import (
	"bytes"
	"context"
	"log/slog"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// A call the server fails once with a 503 is said on stderr, one line,
// with or without --verbose; the listing still comes.
func TestRetryIsSaid(t *testing.T) {
	for name, verbose := range map[string]bool{"quiet": false, "verbose": true} {
		t.Run(name, func(t *testing.T) {
			srv := newServer(t)
			srv.FailNext(1, http.StatusServiceUnavailable, "CPS.0001", "busy")
			args := []string{"--endpoint", srv.URL}
			if verbose {
				args = append(args, "--verbose")
			}
			r := runCLI(t, serverEnv(srv), args...)
			require.Equal(t, exitOK, r.code, r.stderr)
			assert.Contains(t, r.stdout, "20032420200401a60b0003a99684b8ea")
			assert.Len(t, srv.Requests(), 2)
			assert.Regexp(t, `(?m)^cphimages: ListPhoneImages: attempt 1 of 3 failed \(503 Service Unavailable\); retrying (now|in [0-9.]+(µs|ms|s))$`, r.stderr)
			assert.Equal(t, 1, strings.Count(r.stderr, "retrying"), "one line per retry: %s", r.stderr)
			assert.Equal(t, verbose, strings.Contains(r.stderr, "level=DEBUG"), r.stderr)
		})
	}
}

// record is a record as the library logs it.
func record(level slog.Level, msg string, attrs ...slog.Attr) slog.Record {
	r := slog.NewRecord(time.Time{}, level, msg, 0)
	r.AddAttrs(attrs...)
	return r
}

func retryRecord(reason string, wait time.Duration) slog.Record {
	return record(slog.LevelWarn, "cph: retrying",
		slog.String("operation", "ListPhoneImages"), slog.Int("attempt", 2), slog.Int("max_attempts", 3),
		slog.String("reason", reason), slog.Duration("wait", wait))
}

func TestRetryLine(t *testing.T) {
	tests := map[string]struct {
		r    slog.Record
		want string // "" for a record that is not a retry
	}{
		"a status":        {retryRecord("status 503", 1234*time.Millisecond), "cphimages: ListPhoneImages: attempt 2 of 3 failed (503 Service Unavailable); retrying in 1.2s"},
		"milliseconds":    {retryRecord("status 502", 120400*time.Microsecond), "cphimages: ListPhoneImages: attempt 2 of 3 failed (502 Bad Gateway); retrying in 120ms"},
		"no wait":         {retryRecord("connection refused", 0), "cphimages: ListPhoneImages: attempt 2 of 3 failed (connection refused); retrying now"},
		"throttled":       {retryRecord("throttled (status 429)", 3*time.Second), "cphimages: ListPhoneImages: attempt 2 of 3 failed (throttled (status 429)); retrying in 3s"},
		"unknown status":  {retryRecord("status 599", time.Second), "cphimages: ListPhoneImages: attempt 2 of 3 failed (status 599); retrying in 1s"},
		"bare":            {record(slog.LevelWarn, "cph: retrying", slog.String("reason", "x"), slog.Duration("wait", 0)), "cphimages: attempt failed (x); retrying now"},
		"another warning": {record(slog.LevelWarn, "cph: something", slog.String("reason", "x")), ""},
		"a debug record":  {record(slog.LevelDebug, "cph: request", slog.String("reason", "x"), slog.Duration("wait", 0)), ""},
	}
	for name, tt := range tests {
		t.Run(name, func(t *testing.T) {
			line, ok := retryLine(tt.r)
			assert.Equal(t, tt.want != "", ok)
			assert.Equal(t, tt.want, line)
		})
	}
}

// Without --verbose only the retry lines are written; with it, every
// record, the retries as their short line.
func TestRetryHandler(t *testing.T) {
	ctx := context.Background()
	for name, verbose := range map[string]bool{"quiet": false, "verbose": true} {
		t.Run(name, func(t *testing.T) {
			var buf bytes.Buffer
			h := newRetryHandler(&buf, verbose)
			assert.True(t, h.Enabled(ctx, slog.LevelWarn))
			assert.Equal(t, verbose, h.Enabled(ctx, slog.LevelDebug), "the library builds no debug record without --verbose")

			logger := slog.New(h).With("component", "test")
			logger.LogAttrs(ctx, slog.LevelDebug, "cph: request", slog.Int("status", 503))
			logger.LogAttrs(ctx, slog.LevelWarn, "cph: retrying", slog.String("reason", "status 503"), slog.Duration("wait", 0))
			logger.LogAttrs(ctx, slog.LevelWarn, "cph: other warning")
			out := buf.String()
			assert.Contains(t, out, "cphimages: attempt failed (503 Service Unavailable); retrying now\n")
			assert.Equal(t, verbose, strings.Contains(out, `msg="cph: request"`), out)
			assert.Equal(t, verbose, strings.Contains(out, `msg="cph: other warning"`), out)
			assert.Equal(t, verbose, strings.Contains(out, "component=test"), out)
			assert.NotContains(t, out, `msg="cph: retrying"`, "a retry is written once, as its line")
		})
	}
}
