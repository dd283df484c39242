package main

import (
	"bytes"
	"context"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/cph-go/cph/cphtest"
)

// hangingServer is a server whose next request gets no answer until the
// client gives up.
func hangingServer(t *testing.T) *cphtest.Server {
	t.Helper()
	srv := newServer(t)
	srv.InjectFault(1, cphtest.Fault{Hang: true})
	return srv
}

// waitForRequest waits until srv has a request.
func waitForRequest(t *testing.T, srv *cphtest.Server) {
	t.Helper()
	require.Eventually(t, func() bool { return len(srv.Requests()) > 0 }, 15*time.Second, 5*time.Millisecond, "the call never reached the server")
}

// The context run is given ends (as main's does on SIGINT) while the call
// waits for an answer: the command stops at once with exit code 130.
func TestInterrupted(t *testing.T) {
	srv := hangingServer(t)
	for name, value := range serverEnv(srv) {
		t.Setenv(name, value)
	}
	t.Setenv(envCredsFile, filepath.Join(t.TempDir(), "no-such-credentials"))
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var stdout, stderr bytes.Buffer
	done := make(chan int)
	go func() { done <- run(ctx, []string{"--endpoint", srv.URL}, nil, &stdout, &stderr) }()
	waitForRequest(t, srv)
	cancel()
	assert.Equal(t, exitInterrupted, <-done, stderr.String())
	assert.Empty(t, stdout.String())
	checkGolden(t, "stderr", "interrupted", normalize(stderr.String()))
}

// The built command, sent SIGINT while its call hangs, exits 130.
func TestInterrupted_Binary(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("no SIGINT to send on Windows")
	}
	if testing.Short() {
		t.Skip("builds the command")
	}
	bin := filepath.Join(t.TempDir(), "cphimages")
	build := exec.Command("go", "build", "-o", bin, ".")
	out, err := build.CombinedOutput()
	require.NoError(t, err, "go build: %s", out)

	srv := hangingServer(t)
	cmd := exec.Command(bin, "--endpoint", srv.URL)
	cmd.Env = []string{envCredsFile + "=" + filepath.Join(t.TempDir(), "no-such-credentials")}
	for _, kv := range os.Environ() {
		if !strings.HasPrefix(kv, "HUAWEICLOUD_SDK_") {
			cmd.Env = append(cmd.Env, kv)
		}
	}
	for name, value := range serverEnv(srv) {
		cmd.Env = append(cmd.Env, name+"="+value)
	}
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	require.NoError(t, cmd.Start())
	t.Cleanup(func() { _ = cmd.Process.Kill() })
	waitForRequest(t, srv)
	require.NoError(t, cmd.Process.Signal(os.Interrupt))

	err = cmd.Wait()
	var exitErr *exec.ExitError
	require.True(t, errors.As(err, &exitErr), "the command ended with %v; stderr: %s", err, stderr.String())
	assert.Equal(t, exitInterrupted, exitErr.ExitCode(), stderr.String())
	assert.Equal(t, "cphimages: interrupted (SIGINT); nothing listed\n", stderr.String())
	assert.Empty(t, stdout.String())
}
