//go:build race

package cph

// raceDetector reports whether the tests run under the race detector,
// which changes allocation counts: sync.Pool drops items at random there.
const raceDetector = true
