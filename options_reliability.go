package cph

import (
	"fmt"
	"math/rand/v2"
	"time"
)

// Defaults of the reliability options.
const (
	defaultMaxAttempts   = 3
	defaultBackoffBase   = 200 * time.Millisecond
	defaultBackoffMax    = 20 * time.Second
	defaultMaxRetryAfter = time.Minute
)

// reliability is what the reliability options set; the zero value means
// the defaults.
type reliability struct {
	maxAttempts      int
	backoffBase      time.Duration
	backoffMax       time.Duration
	backoffSet       bool
	maxRetryAfter    time.Duration
	maxRetryAfterSet bool
	maxBodyBytes     int64
}

// WithMaxAttempts sets how many requests a call sends at most, the first
// included: 3 by default, 1 to turn retrying off. n below 1 is an error
// wrapping ErrInvalidParameter.
func WithMaxAttempts(n int) Option {
	return func(c *config) error {
		if n < 1 {
			return fmt.Errorf("%w: max attempts %d is below 1", ErrInvalidParameter, n)
		}
		c.reliability.maxAttempts = n
		return nil
	}
}

// WithBackoff sets the waits between attempts: before retry i (from 0) the
// client waits a random time in [0, min(max, base·2^i)) ("full jitter").
// The defaults are 200 ms and 20 s. A Retry-After of the service is waited
// out instead, up to WithMaxRetryAfter's limit, whatever max is: max caps
// the client's own jitter, not the service's request. Negative durations, or max below base, are an error
// wrapping ErrInvalidParameter; zero for both retries without waiting.
func WithBackoff(base, max time.Duration) Option {
	return func(c *config) error {
		if base < 0 || max < base {
			return fmt.Errorf("%w: backoff base %v and max %v need 0 <= base <= max", ErrInvalidParameter, base, max)
		}
		c.reliability.backoffBase, c.reliability.backoffMax = base, max
		c.reliability.backoffSet = true
		return nil
	}
}

// WithMaxRetryAfter sets the longest wait the client takes when the service
// asks for one with Retry-After, 60 s by default. A Retry-After up to d is
// waited out instead of the backoff, but never past the context's
// deadline: if the wait would end after it, the call returns at once, with
// an error that wraps both the last *APIError and
// context.DeadlineExceeded. A Retry-After longer than d (or too large to
// read) makes the call return at once with the last *APIError, whose
// RetryAfter says what the service asked for. With 0, only a Retry-After
// of 0 is followed (at once); a negative d is an error wrapping
// ErrInvalidParameter.
func WithMaxRetryAfter(d time.Duration) Option {
	return func(c *config) error {
		if d < 0 {
			return fmt.Errorf("%w: max Retry-After %v is negative", ErrInvalidParameter, d)
		}
		c.reliability.maxRetryAfter, c.reliability.maxRetryAfterSet = d, true
		return nil
	}
}

// WithMaxResponseBytes sets how many bytes of a successful response body
// the client reads at most, 32 MiB by default; a larger body is an error
// wrapping ErrResponseTooLarge, and is not read further. (Error bodies are
// always read up to 64 KiB.) n below 1 is an error wrapping
// ErrInvalidParameter; any larger n is taken as it is, neither refused nor
// clamped (math.MaxInt64 is, in effect, no limit). The limit is not
// allocated up front: a body's memory is taken as its bytes arrive,
// whatever length the server declares. Bodies up to 32 MiB are read into
// pooled buffers, reused from call to call; with n above 32 MiB, a body
// larger than 32 MiB is not pooled: it gets a buffer of its own on every
// call, left to the garbage collector.
func WithMaxResponseBytes(n int64) Option {
	return func(c *config) error {
		if n < 1 {
			return fmt.Errorf("%w: max response bytes %d is below 1", ErrInvalidParameter, n)
		}
		c.reliability.maxBodyBytes = n
		return nil
	}
}

// applyReliability fills the client's retry policy and limits from r,
// defaults where r has none.
func (c *Client) applyReliability(r reliability) {
	c.maxAttempts = defaultMaxAttempts
	if r.maxAttempts > 0 {
		c.maxAttempts = r.maxAttempts
	}
	c.backoffBase, c.backoffMax = defaultBackoffBase, defaultBackoffMax
	if r.backoffSet {
		c.backoffBase, c.backoffMax = r.backoffBase, r.backoffMax
	}
	c.maxRetryAfter = defaultMaxRetryAfter
	if r.maxRetryAfterSet {
		c.maxRetryAfter = r.maxRetryAfter
	}
	if r.maxBodyBytes > 0 {
		c.maxBodyBytes = r.maxBodyBytes
	}
	c.rand = rand.Int64N
}
