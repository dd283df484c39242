// Package flight lets concurrent callers share one run of a fetch: the
// client's project-ID discovery and the metadata credentials provider use
// it so that many first calls make one request.
package flight

import (
	"context"
	"errors"
	"sync"
)

// Group lets concurrent callers share one run of a fetch: the first caller
// runs it, the others wait for its result. It keeps no result once the run
// is over; callers cache what they need. The zero Group is ready to use; a
// Group must not be copied after first use.
type Group[T any] struct {
	mu  sync.Mutex
	cur *run[T]
}

// run is one run of a fetch.
type run[T any] struct {
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

// Do runs fn, or waits for the run already in progress and returns its
// result. A waiting caller gives up when its own ctx ends, with ctx.Err();
// if the run failed because the context of the caller that ran it ended, a
// waiter whose context is still live runs fn again rather than inherit
// that failure. If fn panics, the panic reaches the caller that ran it and
// the waiters get an error.
func (g *Group[T]) Do(ctx context.Context, fn func(context.Context) (T, error)) (T, error) {
	for {
		g.mu.Lock()
		r := g.cur
		if r == nil {
			r = &run[T]{done: make(chan struct{})}
			g.cur = r
			g.mu.Unlock()
			g.run(ctx, r, fn)
			return r.val, r.err
		}
		r.waiters++
		g.mu.Unlock()

		select {
		case <-r.done:
		case <-ctx.Done():
			var zero T
			return zero, ctx.Err()
		}
		if r.orphaned && ctx.Err() == nil {
			continue
		}
		return r.val, r.err
	}
}

// run runs fn for r and releases the waiters, even if fn panics.
func (g *Group[T]) run(ctx context.Context, r *run[T], fn func(context.Context) (T, error)) {
	defer func() {
		g.mu.Lock()
		g.cur = nil
		g.mu.Unlock()
		close(r.done)
	}()
	r.err = errPanicked
	r.val, r.err = fn(ctx)
	r.orphaned = r.err != nil && ctx.Err() != nil
}

// Waiting returns how many callers wait for the run in progress, 0 when
// none is in progress. Tests use it to know that callers overlap.
func (g *Group[T]) Waiting() int {
	g.mu.Lock()
	defer g.mu.Unlock()
	if g.cur == nil {
		return 0
	}
	return g.cur.waiters
}

// errPanicked is what waiters see if the fetch they waited for panicked.
var errPanicked = errors.New("cph: fetch panicked")
