package cph

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"runtime"
	"strconv"
	"sync/atomic"
	"testing"

	sdkmodel "github.com/huaweicloud/huaweicloud-sdk-go-v3/services/cph/v1/model"
)

// BenchmarkListPhoneImagesParallel measures the 3-image call made by 2, 8
// and 64 goroutines at once, all sharing one client of each contender (as
// in BenchmarkListPhoneImages; the floor's transport keeps as many idle
// connections as there are goroutines, so that it never has to close one).
// Each contender gets a new client per goroutine count. Besides time and
// allocations it reports new-conns/op: the connections the loopback server
// saw opened during the run, per call. A client whose idle pool is smaller
// than the number of goroutines closes connections it could have kept and
// opens new ones.
//
// The goroutine counts are b.SetParallelism multiples of GOMAXPROCS: with
// GOMAXPROCS 2, parallelism 1, 4 and 32. benchmarks/README.md
// shows a run and how to reproduce it.
func BenchmarkListPhoneImagesParallel(b *testing.B) {
	replay := newReplayServer(b)
	replay.replay(sampleBody)
	srv, conns := countingServer(b, replay.Config.Handler.ServeHTTP)
	u, header := floorRequest(b, srv.URL)
	ctx := context.Background()
	for _, goroutines := range parallelGoroutines(2, 8, 64) {
		c := benchClient(b, srv.URL)
		b.Cleanup(c.hc.CloseIdleConnections)
		sdk := sdkClient(b, srv.URL)
		floorHC := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: goroutines}}
		b.Cleanup(floorHC.CloseIdleConnections)
		name := "goroutines=" + strconv.Itoa(goroutines)
		b.Run(name+"/client=cph", func(b *testing.B) {
			benchParallel(b, goroutines, conns, func() error {
				out, err := c.ListPhoneImages(ctx)
				if err != nil {
					return err
				}
				return checkImages(len(out.Images))
			})
		})
		b.Run(name+"/client=sdk", func(b *testing.B) {
			benchParallel(b, goroutines, conns, func() error {
				out, err := sdk.ListCloudPhoneImages(&sdkmodel.ListCloudPhoneImagesRequest{})
				if err != nil {
					return err
				}
				if out.PhoneImages == nil {
					return checkImages(0)
				}
				return checkImages(len(*out.PhoneImages))
			})
		})
		b.Run(name+"/client=floor", func(b *testing.B) {
			benchParallel(b, goroutines, conns, func() error {
				resp, err := floorGet(ctx, floorHC, u, header)
				if err != nil {
					return err
				}
				var out listPhoneImagesBody
				err = json.NewDecoder(resp.Body).Decode(&out)
				_, _ = io.Copy(io.Discard, resp.Body)
				resp.Body.Close()
				if err != nil {
					return err
				}
				return checkImages(len(out.PhoneImages))
			})
		})
	}
}

// parallelGoroutines returns the goroutine counts b.RunParallel can run
// nearest to each of want (at least want, a multiple of GOMAXPROCS), each
// once.
func parallelGoroutines(want ...int) []int {
	procs := runtime.GOMAXPROCS(0)
	var out []int
	for _, w := range want {
		n := max(1, (w+procs-1)/procs) * procs
		if len(out) == 0 || out[len(out)-1] != n {
			out = append(out, n)
		}
	}
	return out
}

// benchParallel runs call from goroutines goroutines (a multiple of
// GOMAXPROCS) until b.N calls are made, and reports the connections the
// server opened meanwhile, counted by conns, per call.
func benchParallel(b *testing.B, goroutines int, conns *atomic.Int32, call func() error) {
	b.SetParallelism(goroutines / runtime.GOMAXPROCS(0))
	b.ReportAllocs()
	before := conns.Load()
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			if err := call(); err != nil {
				b.Error(err)
				return
			}
		}
	})
	b.StopTimer()
	b.ReportMetric(float64(conns.Load()-before)/float64(b.N), "new-conns/op")
}

// checkImages reports whether a call returned the documented sample's 3
// images.
func checkImages(got int) error {
	if got != 3 {
		return fmt.Errorf("got %d images, want 3", got)
	}
	return nil
}
