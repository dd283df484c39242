package cph

import (
	"testing"

	"go.uber.org/goleak"
)

// TestMain fails the package's tests if any goroutine outlives them:
// servers, connections, retry timers and response bodies must all be
// closed. The tests run without the HUAWEICLOUD_SDK_ variables and profile
// file of the machine running them.
func TestMain(m *testing.M) {
	isolateProcessEnv()
	goleak.VerifyTestMain(m)
}
