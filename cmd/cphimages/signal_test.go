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
	r := runInterrupted(t, srv, "--endpoint", srv.URL)
	assert.Equal(t, exitInterrupted, r.code, r.stderr)
	assert.Empty(t, r.stdout)
	checkGolden(t, "stderr", "interrupted", normalize(r.stderr))
}

// runInterrupted runs the command with args in srv's environment (as
// runCLI isolates it) and ends its context once srv has the call.
func runInterrupted(t *testing.T, srv *cphtest.Server, args ...string) result {
	t.Helper()
	isolateEnv(t, serverEnv(srv))
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var stdout, stderr bytes.Buffer
	done := make(chan int)
	go func() { done <- run(ctx, args, nil, &stdout, &stderr) }()
	waitForRequest(t, srv)
	cancel()
	code := <-done
	return result{code: code, stdout: stdout.String(), stderr: stderr.String()}
}

// The built command, sent SIGINT while its call hangs, exits 130.
func TestInterrupted_Binary(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("no SIGINT to send on Windows")
	}
	bin := buildCommand(t)
	srv := hangingServer(t)
	cmd := exec.Command(bin, "--endpoint", srv.URL)
	cmd.Env = commandEnv(t, serverEnv(srv))
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	require.NoError(t, cmd.Start())
	t.Cleanup(func() { _ = cmd.Process.Kill() })
	waitForRequest(t, srv)
	require.NoError(t, cmd.Process.Signal(os.Interrupt))

	err := cmd.Wait()
	var exitErr *exec.ExitError
	require.True(t, errors.As(err, &exitErr), "the command ended with %v; stderr: %s", err, stderr.String())
	assert.Equal(t, exitInterrupted, exitErr.ExitCode(), stderr.String())
	assert.Equal(t, "cphimages: interrupted (SIGINT); nothing listed\n", stderr.String())
	assert.Empty(t, stdout.String())
}

// buildCommand builds the command into a temporary directory and returns
// the path of the binary; with -short it skips the test instead.
func buildCommand(t *testing.T) string {
	t.Helper()
	if testing.Short() {
		t.Skip("builds the command")
	}
	bin := filepath.Join(t.TempDir(), "cphimages")
	out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput()
	require.NoError(t, err, "go build: %s", out)
	return bin
}

// commandEnv is the environment of the built command: this process's,
// without its HUAWEICLOUD_SDK_ variables, the profile file pointed at
// nothing, and e.
func commandEnv(t *testing.T, e env) []string {
	out := []string{envCredsFile + "=" + filepath.Join(t.TempDir(), "no-such-credentials")}
	for _, kv := range os.Environ() {
		if !strings.HasPrefix(kv, "HUAWEICLOUD_SDK_") {
			out = append(out, kv)
		}
	}
	for name, value := range e {
		out = append(out, name+"="+value)
	}
	return out
}

// main gives run its stdin: the built command's delete without --yes,
// its stdin a character device (/dev/null), asks, reads the end of the
// file and deletes nothing; its stdin a pipe, it refuses, naming --yes.
func TestDelete_Binary_Stdin(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("no /dev/null")
	}
	bin := buildCommand(t)
	null, err := os.Open(os.DevNull)
	require.NoError(t, err)
	t.Cleanup(func() { null.Close() })

	for name, tt := range map[string]struct {
		stdin func(cmd *exec.Cmd)
		code  int
		want  string
	}{
		"a terminal, as far as it can tell": {func(cmd *exec.Cmd) { cmd.Stdin = null }, exitFailure, "? [y/N] \ncphimages delete: image " + img + " not deleted: not confirmed\n"},
		"a pipe":                            {func(cmd *exec.Cmd) { cmd.Stdin = strings.NewReader("y\n") }, exitUsage, "give --yes to delete image " + img},
	} {
		t.Run(name, func(t *testing.T) {
			cmd := exec.Command(bin, "delete", img, "--demo")
			cmd.Env = commandEnv(t, env{})
			tt.stdin(cmd)
			var stdout, stderr bytes.Buffer
			cmd.Stdout, cmd.Stderr = &stdout, &stderr
			err := cmd.Run()
			var exitErr *exec.ExitError
			require.True(t, errors.As(err, &exitErr), "the command ended with %v; stderr: %s", err, stderr.String())
			assert.Equal(t, tt.code, exitErr.ExitCode(), stderr.String())
			assert.Contains(t, stderr.String(), tt.want)
			assert.Empty(t, stdout.String())
		})
	}
}
