//go:build unix && !aix

package cph

import (
	"os"
	"syscall"
)

// mkfifo makes a named pipe at path, with Mknod: syscall.Mkfifo is missing
// on Solaris and illumos.
func mkfifo(path string) error { return syscall.Mknod(path, syscall.S_IFIFO|0o600, 0) }

// unblockFIFO opens the named pipe at path for writing without waiting and
// closes it, so that a reader stuck opening it gets its end of file and a
// test that failed by blocking leaves no goroutine behind.
func unblockFIFO(path string) {
	if w, err := os.OpenFile(path, os.O_WRONLY|syscall.O_NONBLOCK, 0); err == nil {
		_ = w.Close()
	}
}
