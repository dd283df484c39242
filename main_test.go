package cph

import (
	"testing"

	"go.uber.org/goleak"
)

// TestMain fails the package's tests if any goroutine outlives them:
// servers, connections, retry timers and response bodies must all be
// closed.
func TestMain(m *testing.M) {
	goleak.VerifyTestMain(m)
}
