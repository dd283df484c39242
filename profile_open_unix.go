//go:build unix

package cph

import "syscall"

// profileOpenFlags are added to O_RDONLY to open the profile file: with
// O_NONBLOCK, opening a named pipe returns at once instead of waiting for a
// writer, so that a file swapped for one after its check cannot block.
// Reading a regular file is the same with or without it.
const profileOpenFlags = syscall.O_NONBLOCK
