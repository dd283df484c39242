package cph

import (
	"bytes"
	"context"
	"encoding/json"
	"log/slog"
	"net/http"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// recordingHandler is a slog.Handler that keeps every record, and calls
// onWarn, if set, on each warning.
type recordingHandler struct {
	mu      sync.Mutex
	records []slog.Record
	onWarn  func()
}

func (h *recordingHandler) Enabled(context.Context, slog.Level) bool { return true }

func (h *recordingHandler) Handle(_ context.Context, r slog.Record) error {
	h.mu.Lock()
	h.records = append(h.records, r.Clone())
	h.mu.Unlock()
	if r.Level == slog.LevelWarn && h.onWarn != nil {
		h.onWarn()
	}
	return nil
}

func (h *recordingHandler) WithAttrs([]slog.Attr) slog.Handler { return h }
func (h *recordingHandler) WithGroup(string) slog.Handler      { return h }

// at returns the records of level l, each as a map of its attributes.
func (h *recordingHandler) at(l slog.Level) []map[string]any {
	h.mu.Lock()
	defer h.mu.Unlock()
	var out []map[string]any
	for _, r := range h.records {
		if r.Level != l {
			continue
		}
		m := map[string]any{"msg": r.Message}
		r.Attrs(func(a slog.Attr) bool {
			m[a.Key] = a.Value.Resolve().Any()
			return true
		})
		out = append(out, m)
	}
	return out
}

// TestLogsPerAttemptAndRetry checks the debug record of each attempt, the
// warning of each retry, and that no secret reaches the log, even when the
// error body echoes the request's Authorization and token.
func TestLogsPerAttemptAndRetry(t *testing.T) {
	s := newFaultServer(t, failFirst(1, func(w http.ResponseWriter, r *http.Request, _ int) {
		w.Header().Set("X-Request-Id", "req-1")
		w.WriteHeader(http.StatusServiceUnavailable)
		body, _ := json.Marshal(map[string]string{
			"error_code": "CPS.0503",
			"error_msg":  "busy; you sent " + r.Header.Get("Authorization") + " with " + r.Header.Get("X-Security-Token"),
		})
		_, _ = w.Write(body)
	}), false)
	var buf bytes.Buffer
	h := &recordingHandler{}
	text := slog.NewTextHandler(&buf, &slog.HandlerOptions{Level: slog.LevelDebug})
	c := newFaultClient(t, s.URL, WithLogger(slog.New(teeHandler{h, text})))

	_, err := c.ListPhoneImages(context.Background())
	require.NoError(t, err)

	debug := h.at(slog.LevelDebug)
	require.Len(t, debug, 2, "one debug record per attempt")
	for i, want := range []struct {
		status    int64
		requestID string
	}{{503, "req-1"}, {200, "req-ok"}} {
		rec := debug[i]
		assert.Equal(t, "cph: request", rec["msg"])
		assert.Equal(t, "ListPhoneImages", rec["operation"])
		assert.Equal(t, "GET", rec["method"])
		assert.Equal(t, "/v1/"+testProjectID+"/cloud-phone/phone-images", rec["path"])
		assert.Equal(t, want.status, rec["status"])
		assert.Equal(t, int64(i+1), rec["attempt"])
		assert.Contains(t, rec, "duration")
		assert.Equal(t, want.requestID, rec["request_id"])
	}
	assert.Contains(t, debug[0]["error"], "503 CPS.0503: busy")
	assert.NotContains(t, debug[1], "error")

	warn := h.at(slog.LevelWarn)
	require.Len(t, warn, 1, "one warning per retry")
	assert.Equal(t, "cph: retrying", warn[0]["msg"])
	assert.Equal(t, "status 503", warn[0]["reason"])
	assert.Equal(t, int64(1), warn[0]["attempt"])
	assert.Contains(t, warn[0], "wait")

	logged := buf.String()
	require.Contains(t, logged, "Signature="+redacted+" with "+redacted, "the echoed secrets are redacted")
	assert.NotContains(t, logged, "Authorization")
	assertNoSecrets(t, logged, s.Requests())
}

// teeHandler sends records to two handlers.
type teeHandler struct{ a, b slog.Handler }

func (t teeHandler) Enabled(ctx context.Context, l slog.Level) bool {
	return t.a.Enabled(ctx, l) || t.b.Enabled(ctx, l)
}

func (t teeHandler) Handle(ctx context.Context, r slog.Record) error {
	if err := t.a.Handle(ctx, r.Clone()); err != nil {
		return err
	}
	return t.b.Handle(ctx, r)
}

func (t teeHandler) WithAttrs(as []slog.Attr) slog.Handler {
	return teeHandler{t.a.WithAttrs(as), t.b.WithAttrs(as)}
}

func (t teeHandler) WithGroup(g string) slog.Handler {
	return teeHandler{t.a.WithGroup(g), t.b.WithGroup(g)}
}

// TestLogsTransportErrorAttempt checks the record of an attempt that got
// no answer: status 0 and the error.
func TestLogsTransportErrorAttempt(t *testing.T) {
	s := newFaultServer(t, failFirst(1, resetConn), false)
	h := &recordingHandler{}
	c := newFaultClient(t, s.URL, WithLogger(slog.New(h)))

	_, err := c.ListPhoneImages(context.Background())
	require.NoError(t, err)

	debug := h.at(slog.LevelDebug)
	require.Len(t, debug, 2)
	assert.Equal(t, int64(0), debug[0]["status"])
	assert.NotEmpty(t, debug[0]["error"])
	warn := h.at(slog.LevelWarn)
	require.Len(t, warn, 1)
	assert.Contains(t, []any{"connection reset", "connection closed before the response"}, warn[0]["reason"])
}
