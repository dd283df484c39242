package cphtest

import (
	"io"
	"net/http"
	"strconv"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// The ring itself is internal/fakegw's (TestRequestLog_Ring there).
func TestRequestLog_Bound(t *testing.T) {
	assert.Equal(t, 10_000, maxRequests, "the package documents the newest 10,000")
	srv := NewServer()
	defer srv.Close()
	assert.Equal(t, maxRequests, srv.gw.MaxRequests())
	md := NewMetadataServer(srv.Credentials(), time.Now())
	defer md.Close()
	assert.Equal(t, maxRequests, md.gw.MaxRequests())
}

// A server whose log keeps 3 requests: Requests returns the newest 3, in
// order. (Sending 10,001 requests would make the test slow under -race.)
func TestRequests_DropsTheOldest(t *testing.T) {
	srv := NewServer(func(c *config) { c.maxRequests = 3 })
	defer srv.Close()
	for i := range 5 {
		resp, err := http.Get(srv.URL + "/r" + strconv.Itoa(i))
		require.NoError(t, err)
		_, _ = io.Copy(io.Discard, resp.Body)
		require.NoError(t, resp.Body.Close())
	}
	var got []string
	for _, r := range srv.Requests() {
		got = append(got, r.Path)
	}
	assert.Equal(t, []string{"/r2", "/r3", "/r4"}, got)
}
