package cph

import (
	"context"
	"fmt"
	"net/http"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestSharedClientKeepsItsConnections makes 20 rounds of 64 calls at once
// through one client with the library's own transport. The server holds
// each round's requests until all 64 have arrived, so a round needs 64
// connections; when the round is over all 64 are idle at once. Every one
// must go back to the idle pool to carry the next round, so the server sees
// 64 connections in all (and a few that net/http drops), not 64 plus 48
// per round as with a pool of 16.
func TestSharedClientKeepsItsConnections(t *testing.T) {
	const goroutines, rounds = 64, 20
	barrier := newRoundBarrier(goroutines)
	srv, conns := countingServer(t, func(w http.ResponseWriter, _ *http.Request) {
		barrier.wait()
		serveOK(w)
	})
	c := newFaultClient(t, srv.URL)

	for round := range rounds {
		var wg sync.WaitGroup
		errs := make(chan error, goroutines)
		for range goroutines {
			wg.Add(1)
			go func() {
				defer wg.Done()
				out, err := c.ListPhoneImages(context.Background())
				if err == nil && len(out.Images) != 3 {
					err = fmt.Errorf("got %d images, want 3", len(out.Images))
				}
				errs <- err
			}()
		}
		wg.Wait()
		close(errs)
		for err := range errs {
			require.NoError(t, err, "round %d", round)
		}
	}
	// net/http itself closes a connection now and then: one whose request
	// it has not yet seen written when the whole answer is in (it waits
	// 50 ms; a loaded machine can stall its goroutine longer; seen once in
	// about 300 runs here). A pool of 63 would open 64+19 = 83.
	const drops = rounds / 2
	assert.LessOrEqual(t, conns.Load(), int32(goroutines+drops), "connections opened for %d rounds of %d calls", rounds, goroutines)
}

// TestLibraryTransportLimits pins the figures newHTTPClient's doc comment
// and the package documentation (doc.go, Transport) give (TestLibraryHTTPClient checks the rest of its
// hardening: TLS, verification, redirects).
func TestLibraryTransportLimits(t *testing.T) {
	c, err := NewClient(reliabilityBase("https://cph.cn-north-4.myhuaweicloud.com")...)
	require.NoError(t, err)
	tr, ok := c.hc.Transport.(*http.Transport)
	require.True(t, ok, "the library's own *http.Transport")
	assert.Equal(t, int64(1<<20), tr.MaxResponseHeaderBytes, "at most 1 MiB of response headers")
	assert.Equal(t, 10*time.Second, tr.TLSHandshakeTimeout)
	assert.Equal(t, 30*time.Second, tr.ResponseHeaderTimeout)
	assert.Equal(t, 128, tr.MaxIdleConnsPerHost, "idle connections kept per host")
	assert.Equal(t, 256, tr.MaxIdleConns, "idle connections kept in all")
	assert.Equal(t, 90*time.Second, tr.IdleConnTimeout)
}

// roundBarrier holds requests until size of them wait, then lets them all
// go at once.
type roundBarrier struct {
	mu      sync.Mutex
	size    int
	waiting int
	release chan struct{}
}

func newRoundBarrier(size int) *roundBarrier {
	return &roundBarrier{size: size, release: make(chan struct{})}
}

// wait blocks until size callers wait, or for at most 5 s (so that a
// failed call cannot hang the test).
func (b *roundBarrier) wait() {
	b.mu.Lock()
	ch := b.release
	b.waiting++
	if b.waiting == b.size {
		close(ch)
		b.release, b.waiting = make(chan struct{}), 0
	}
	b.mu.Unlock()
	select {
	case <-ch:
	case <-time.After(5 * time.Second):
	}
}
