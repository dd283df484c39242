package flight

import (
	"context"
	"errors"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestGroup(t *testing.T) {
	t.Run("a failure is shared, not kept", func(t *testing.T) {
		var g Group[int]
		boom := errors.New("boom")
		_, err := g.Do(context.Background(), func(context.Context) (int, error) { return 0, boom })
		assert.ErrorIs(t, err, boom)
		v, err := g.Do(context.Background(), func(context.Context) (int, error) { return 7, nil })
		require.NoError(t, err)
		assert.Equal(t, 7, v, "the next caller runs again")
		assert.Equal(t, 0, g.Waiting())
	})
	t.Run("waiters share the one run", func(t *testing.T) {
		var g Group[int]
		release := make(chan struct{})
		var runs int
		fn := func(context.Context) (int, error) { runs++; <-release; return 42, nil }
		const callers = 4
		var wg sync.WaitGroup
		got := make([]int, callers)
		for i := range callers {
			wg.Add(1)
			go func() {
				defer wg.Done()
				got[i], _ = g.Do(context.Background(), fn)
			}()
		}
		require.Eventually(t, func() bool { return g.Waiting() == callers-1 }, 5*time.Second, time.Millisecond)
		close(release)
		wg.Wait()
		assert.Equal(t, 1, runs)
		assert.Equal(t, []int{42, 42, 42, 42}, got)
	})
	t.Run("a waiter gives up when its context ends", func(t *testing.T) {
		var g Group[int]
		release := make(chan struct{})
		defer close(release)
		go func() {
			_, _ = g.Do(context.Background(), func(context.Context) (int, error) { <-release; return 1, nil })
		}()
		require.Eventually(t, func() bool { g.mu.Lock(); defer g.mu.Unlock(); return g.cur != nil }, 5*time.Second, time.Millisecond)
		ctx, cancel := context.WithCancel(context.Background())
		waited := make(chan error, 1)
		go func() {
			_, err := g.Do(ctx, func(context.Context) (int, error) { return 2, nil })
			waited <- err
		}()
		require.Eventually(t, func() bool { return g.Waiting() == 1 }, 5*time.Second, time.Millisecond)
		cancel()
		assert.ErrorIs(t, <-waited, context.Canceled)
	})
	t.Run("a live waiter runs again when the runner's context ended", func(t *testing.T) {
		var g Group[int]
		ctx, cancel := context.WithCancel(context.Background())
		first := make(chan error, 1)
		go func() {
			_, err := g.Do(ctx, func(ctx context.Context) (int, error) { <-ctx.Done(); return 0, ctx.Err() })
			first <- err
		}()
		require.Eventually(t, func() bool { g.mu.Lock(); defer g.mu.Unlock(); return g.cur != nil }, 5*time.Second, time.Millisecond)
		second := make(chan int, 1)
		go func() {
			v, _ := g.Do(context.Background(), func(context.Context) (int, error) { return 9, nil })
			second <- v
		}()
		require.Eventually(t, func() bool { return g.Waiting() == 1 }, 5*time.Second, time.Millisecond)
		cancel()
		assert.ErrorIs(t, <-first, context.Canceled)
		assert.Equal(t, 9, <-second, "the waiter ran fn itself")
	})
	t.Run("a panicking run releases its waiters", func(t *testing.T) {
		var g Group[int]
		release := make(chan struct{})
		panicked := make(chan any, 1)
		go func() {
			defer func() { panicked <- recover() }()
			_, _ = g.Do(context.Background(), func(context.Context) (int, error) {
				<-release
				panic("bug")
			})
		}()
		require.Eventually(t, func() bool { g.mu.Lock(); defer g.mu.Unlock(); return g.cur != nil }, 5*time.Second, time.Millisecond)
		waited := make(chan error, 1)
		go func() {
			_, err := g.Do(context.Background(), func(context.Context) (int, error) { return 1, nil })
			waited <- err
		}()
		require.Eventually(t, func() bool { return g.Waiting() == 1 }, 5*time.Second, time.Millisecond)
		close(release)
		assert.Equal(t, "bug", <-panicked, "the panic reaches the caller that ran it")
		assert.ErrorIs(t, <-waited, errPanicked)
	})
}
