package cph

import (
	"context"
	"errors"
	"sync"
)

// flightGroup lets concurrent callers share one run of a fetch: the first
// caller runs it, the others wait for its result. It keeps no result once
// the run is over; callers cache what they need.
type flightGroup[T any] struct {
	mu  sync.Mutex
	cur *flight[T]
}

// flight is one run of a fetch.
type flight[T any] struct {
	done chan struct{}
	val  T
	err  error
	// orphaned is set when the run failed because the context of the
	// caller that ran it ended.
	orphaned bool
	// waiters counts the callers that waited for this run (under the
	// group's mu); tests read it to know that callers overlap.
	waiters int
}

// do runs fn, or waits for the run already in progress and returns its
// result. A waiting caller gives up when its own ctx ends; if the run failed
// because the context of the caller that ran it ended, a waiter whose
// context is still live runs fn again rather than inherit that failure.
func (g *flightGroup[T]) do(ctx context.Context, fn func(context.Context) (T, error)) (T, error) {
	for {
		g.mu.Lock()
		f := g.cur
		if f == nil {
			f = &flight[T]{done: make(chan struct{})}
			g.cur = f
			g.mu.Unlock()
			g.run(ctx, f, fn)
			return f.val, f.err
		}
		f.waiters++
		g.mu.Unlock()

		select {
		case <-f.done:
		case <-ctx.Done():
			var zero T
			return zero, ctx.Err()
		}
		if f.orphaned && ctx.Err() == nil {
			continue
		}
		return f.val, f.err
	}
}

// run runs fn for f and releases the waiters, even if fn panics.
func (g *flightGroup[T]) run(ctx context.Context, f *flight[T], fn func(context.Context) (T, error)) {
	defer func() {
		g.mu.Lock()
		g.cur = nil
		g.mu.Unlock()
		close(f.done)
	}()
	f.err = errPanicked
	f.val, f.err = fn(ctx)
	f.orphaned = f.err != nil && ctx.Err() != nil
}

// waiting returns how many callers wait for the run in progress.
func (g *flightGroup[T]) waiting() int {
	g.mu.Lock()
	defer g.mu.Unlock()
	if g.cur == nil {
		return 0
	}
	return g.cur.waiters
}

// errPanicked is what waiters see if the fetch they waited for panicked.
var errPanicked = errors.New("cph: fetch panicked")
