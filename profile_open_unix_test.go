//go:build unix && !aix

package cph

import (
	"io"
	"os"
	"path/filepath"
	"syscall"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
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

// TestProfileOpenFlags opens what readProfile opens as it opens it: a
// regular file reads as it is, and a named pipe with no writer opens at
// once (and reads as empty) instead of waiting for one.
func TestProfileOpenFlags(t *testing.T) {
	tests := map[string]struct {
		make func(t *testing.T, path string) // makes the file at path
		want string
	}{
		"regular file": {
			make: func(t *testing.T, path string) { require.NoError(t, os.WriteFile(path, []byte("[basic]\n"), 0o600)) },
			want: "[basic]\n",
		},
		"named pipe without a writer": {
			make: func(t *testing.T, path string) { require.NoError(t, mkfifo(path)) },
			want: "",
		},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "credentials")
			tc.make(t, path)
			var got []byte
			err := notBlocking(t, path, func() error {
				f, err := os.OpenFile(path, os.O_RDONLY|profileOpenFlags, 0)
				if err != nil {
					return err
				}
				defer f.Close()
				got, err = io.ReadAll(f)
				return err
			})
			require.NoError(t, err)
			assert.Equal(t, tc.want, string(got))
		})
	}
}
