// Package alloctest measures what a function allocates, for the tests of
// the module that bound allocations.
package alloctest

import (
	"math"
	"runtime"
	"testing"
)

// Allocated returns how many bytes of heap f allocates (in the whole
// process: the tests that call it must not run in parallel), after
// collecting twice so that the buffer pools start empty: sync.Pool keeps
// what it held before a collection until the next one.
func Allocated(f func()) uint64 {
	var before, after runtime.MemStats
	runtime.GC()
	runtime.GC()
	runtime.ReadMemStats(&before)
	f()
	runtime.ReadMemStats(&after)
	return after.TotalAlloc - before.TotalAlloc
}

// LeastAllocated returns the fewest bytes of heap one of tries runs of f
// allocates, the pools left as they are.
func LeastAllocated(tries int, f func()) uint64 {
	least := uint64(math.MaxUint64)
	for range tries {
		var before, after runtime.MemStats
		runtime.ReadMemStats(&before)
		f()
		runtime.ReadMemStats(&after)
		least = min(least, after.TotalAlloc-before.TotalAlloc)
	}
	return least
}

// SkipIfRacing skips a test that counts allocations when the race
// detector is on: it makes sync.Pool drop items at random and adds
// allocations of its own.
func SkipIfRacing(t testing.TB) {
	t.Helper()
	if RaceDetector {
		t.Skip("the race detector changes allocations")
	}
}
