package main

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"
)

// retryHandler is the slog.Handler of the client's logger. It writes each
// retry warning of the library (cph.WithLogger: one record per retry, with
// its operation, attempt, max_attempts, reason and wait) as one short line
// on stderr, verbose or not, so that a slow call is never silent:
//
//	cphimages: ListPhoneImages: attempt 1 of 3 failed (503 Service Unavailable); retrying in 120ms
//
// Every other record goes to verbose, the --verbose text log, and is
// dropped without --verbose (verbose nil).
type retryHandler struct {
	mu      *sync.Mutex // serialises the short lines
	w       io.Writer
	verbose slog.Handler // nil without --verbose
}

func newRetryHandler(stderr io.Writer, verbose bool) *retryHandler {
	h := &retryHandler{mu: new(sync.Mutex), w: stderr}
	if verbose {
		h.verbose = slog.NewTextHandler(stderr, &slog.HandlerOptions{Level: slog.LevelDebug})
	}
	return h
}

// Enabled reports whether level is logged: warnings and above always (a
// retry warning is one), debug and info only with --verbose, so that the
// library builds no debug record nobody reads.
func (h *retryHandler) Enabled(ctx context.Context, level slog.Level) bool {
	if level >= slog.LevelWarn {
		return true
	}
	return h.verbose != nil && h.verbose.Enabled(ctx, level)
}

// Handle writes r as a short retry line, or passes it to the verbose log.
func (h *retryHandler) Handle(ctx context.Context, r slog.Record) error {
	if line, ok := retryLine(r); ok {
		h.mu.Lock()
		defer h.mu.Unlock()
		_, err := io.WriteString(h.w, line+"\n")
		return err
	}
	if h.verbose == nil || !h.verbose.Enabled(ctx, r.Level) {
		return nil
	}
	return h.verbose.Handle(ctx, r)
}

// WithAttrs and WithGroup apply to the verbose log; the short line reads
// only the record's own attributes.
func (h *retryHandler) WithAttrs(attrs []slog.Attr) slog.Handler {
	cp := *h
	if cp.verbose != nil {
		cp.verbose = cp.verbose.WithAttrs(attrs)
	}
	return &cp
}

func (h *retryHandler) WithGroup(name string) slog.Handler {
	cp := *h
	if cp.verbose != nil {
		cp.verbose = cp.verbose.WithGroup(name)
	}
	return &cp
}

// retryLine returns the short line of a retry warning: a warning record
// with a reason and a wait. Other records are not retry warnings.
func retryLine(r slog.Record) (string, bool) {
	if r.Level != slog.LevelWarn {
		return "", false
	}
	var (
		op, reason           string
		attempt, maxAttempts int64
		wait                 time.Duration
		hasReason, hasWait   bool
	)
	r.Attrs(func(a slog.Attr) bool {
		v := a.Value.Resolve()
		switch a.Key {
		case "operation":
			op = v.String()
		case "attempt":
			attempt = intValue(v)
		case "max_attempts":
			maxAttempts = intValue(v)
		case "reason":
			reason, hasReason = v.String(), true
		case "wait":
			if v.Kind() == slog.KindDuration {
				wait, hasWait = v.Duration(), true
			}
		}
		return true
	})
	if !hasReason || !hasWait {
		return "", false
	}
	var b strings.Builder
	b.WriteString("cphimages: ")
	if op != "" {
		b.WriteString(op + ": ")
	}
	b.WriteString("attempt")
	if attempt > 0 {
		b.WriteString(" " + strconv.FormatInt(attempt, 10))
		if maxAttempts > 0 {
			b.WriteString(" of " + strconv.FormatInt(maxAttempts, 10))
		}
	}
	fmt.Fprintf(&b, " failed (%s); %s", reasonText(reason), waitText(wait))
	return b.String(), true
}

func intValue(v slog.Value) int64 {
	switch v.Kind() {
	case slog.KindInt64:
		return v.Int64()
	case slog.KindUint64:
		return int64(v.Uint64())
	}
	return 0
}

// reasonText spells the library's "status 503" as "503 Service
// Unavailable"; any other reason ("connection refused", "throttled (status
// 429)") is already words.
func reasonText(reason string) string {
	if n, ok := strings.CutPrefix(reason, "status "); ok {
		if code, err := strconv.Atoi(n); err == nil && http.StatusText(code) != "" {
			return n + " " + http.StatusText(code)
		}
	}
	return reason
}

// waitText says when the retry comes: "retrying now", "retrying in 120ms",
// "retrying in 1.2s".
func waitText(d time.Duration) string {
	switch {
	case d < time.Millisecond:
		return "retrying now"
	case d < time.Second:
		return "retrying in " + d.Round(time.Millisecond).String()
	}
	return "retrying in " + d.Round(100*time.Millisecond).String()
}
