package cph

import (
	"context"
	"log/slog"
	"net/http"
	"time"
)

// logAttempt writes one debug record for attempt n, if a logger is set:
// operation, method, path, status (0 without an answer), attempt, duration,
// request ID and the error, if any. It names no header, the request ID is
// cleaned, capped and redacted, and the error is already redacted, so no
// secret can reach the log.
func (c *Client) logAttempt(ctx context.Context, op string, req *http.Request, n int, resp *http.Response, d time.Duration, err error, secrets []string) {
	if c.logger == nil || !c.logger.Enabled(ctx, slog.LevelDebug) {
		return
	}
	status, requestID := 0, ""
	if resp != nil {
		status, requestID = resp.StatusCode, cleanQuote(resp.Header.Get("X-Request-Id"), maxRequestID, secrets)
	}
	if e, ok := asAPIError(err); ok && requestID == "" {
		requestID = e.RequestID
	}
	attrs := []slog.Attr{
		slog.String("operation", op),
		slog.String("method", req.Method),
		slog.String("path", req.URL.Path),
		slog.Int("status", status),
		slog.Int("attempt", n),
		slog.Duration("duration", d),
		slog.String("request_id", requestID),
	}
	if err != nil {
		attrs = append(attrs, slog.String("error", err.Error()))
	}
	c.logger.LogAttrs(ctx, slog.LevelDebug, "cph: request", attrs...)
}

// logRetry writes one warning for a retry after attempt n, if a logger is
// set: the operation, the attempt, why it is retried and the wait.
func (c *Client) logRetry(ctx context.Context, op string, n int, reason string, wait time.Duration) {
	if c.logger == nil || !c.logger.Enabled(ctx, slog.LevelWarn) {
		return
	}
	c.logger.LogAttrs(ctx, slog.LevelWarn, "cph: retrying",
		slog.String("operation", op),
		slog.Int("attempt", n),
		slog.Int("max_attempts", c.maxAttempts),
		slog.String("reason", reason),
		slog.Duration("wait", wait),
	)
}
