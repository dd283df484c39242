package cph

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestFlightGroup(t *testing.T) {
	t.Run("a failure is shared, not kept", func(t *testing.T) {
		var g flightGroup[int]
		boom := errors.New("boom")
		_, err := g.do(context.Background(), func(context.Context) (int, error) { return 0, boom })
		assert.ErrorIs(t, err, boom)
		v, err := g.do(context.Background(), func(context.Context) (int, error) { return 7, nil })
		require.NoError(t, err)
		assert.Equal(t, 7, v, "the next caller runs again")
		assert.Equal(t, 0, g.waiting())
	})
	t.Run("a panicking run releases its waiters", func(t *testing.T) {
		var g flightGroup[int]
		release := make(chan struct{})
		panicked := make(chan any, 1)
		go func() {
			defer func() { panicked <- recover() }()
			_, _ = g.do(context.Background(), func(context.Context) (int, error) {
				<-release
				panic("bug")
			})
		}()
		require.Eventually(t, func() bool { g.mu.Lock(); defer g.mu.Unlock(); return g.cur != nil }, 5*time.Second, time.Millisecond)
		waited := make(chan error, 1)
		go func() {
			_, err := g.do(context.Background(), func(context.Context) (int, error) { return 1, nil })
			waited <- err
		}()
		require.Eventually(t, func() bool { return g.waiting() == 1 }, 5*time.Second, time.Millisecond)
		close(release)
		assert.Equal(t, "bug", <-panicked, "the panic reaches the caller that ran it")
		assert.ErrorIs(t, <-waited, errPanicked)
	})
}
