//go:build !race

package alloctest

// RaceDetector reports whether the code runs under the race detector,
// which changes allocation counts: sync.Pool drops items at random there.
const RaceDetector = false
