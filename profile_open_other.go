//go:build !unix

package cph

// profileOpenFlags are added to O_RDONLY to open the profile file: none
// here, where the file's kind is checked before and after opening it.
const profileOpenFlags = 0
