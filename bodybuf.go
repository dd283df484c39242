package cph

import (
	"fmt"
	"net/http"

	"github.com/cph-go/cph/internal/bufpool"
)

// readCapped reads resp's body whole, up to limit bytes, into a pooled
// buffer (bufpool.ReadCapped, Content-Length its hint); the caller gives it
// back with bufpool.Release when done with it. Past the limit it returns
// what it read (limit bytes) and an error wrapping ErrResponseTooLarge
// that names the limit.
func readCapped(resp *http.Response, limit int64) ([]byte, error) {
	buf, err := bufpool.ReadCapped(resp.Body, resp.ContentLength, limit)
	if err == bufpool.ErrLimit {
		// len(buf) is the limit as bufpool took it (negative: 0).
		err = fmt.Errorf("%w: body exceeds %d bytes", ErrResponseTooLarge, len(buf))
	}
	return buf, err
}
