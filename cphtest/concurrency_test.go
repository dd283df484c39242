package cphtest_test

import (
	"net/http"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/cph-go/cph"
	"github.com/cph-go/cph/cphtest"
)

// TestServer_Concurrent lists from many goroutines while others reseed the
// server, inject faults and read its state. Run with -race.
func TestServer_Concurrent(t *testing.T) {
	const (
		workers = 8
		calls   = 10
		faults  = 3
	)
	catalogueA := []cph.PhoneImage{publicImage, privateImage}
	catalogueB := []cph.PhoneImage{oddImage}
	srv := newServer(t, cphtest.WithImages(catalogueA...))
	client := newClient(t, srv)
	srv.FailNext(faults, http.StatusForbidden, "APIGW.0306", "API access denied.")

	var (
		wg       sync.WaitGroup
		mu       sync.Mutex
		failures int
		outputs  [][]string
	)
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for range calls {
				out, err := client.ListPhoneImages(ctx(t))
				mu.Lock()
				if err != nil {
					failures++
				} else {
					outputs = append(outputs, imageIDs(out.Images))
				}
				mu.Unlock()
			}
		}()
	}
	wg.Add(1)
	go func() {
		defer wg.Done()
		for i := range calls {
			if i%2 == 0 {
				srv.SetImages(catalogueB...)
			} else {
				srv.SetImages(catalogueA...)
			}
			_ = srv.Images()
			_ = srv.Requests()
			// Queued after FailNext's, and changing no answer's outcome.
			srv.InjectFault(1, cphtest.Fault{Header: http.Header{"X-Extra": {"1"}}})
		}
	}()
	wg.Wait()

	assert.Equal(t, faults, failures, "exactly the injected faults fail")
	assert.Len(t, srv.Requests(), workers*calls)
	require.Len(t, outputs, workers*calls-faults)
	for _, ids := range outputs {
		// Every answer is one whole catalogue, never a mix.
		assert.Contains(t, [][]string{imageIDs(catalogueA), imageIDs(catalogueB)}, ids)
	}
}
