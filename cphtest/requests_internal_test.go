package cphtest

import (
	"io"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/cph-go/cph/internal/fakegw"
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

// Fault and Request are cphtest's own types, with the gateway's fields:
// the conversions at the boundary keep every field.
func TestFaultAndRequestConvert(t *testing.T) {
	f := Fault{Operation: "ListImages", Status: 503, Code: "C", Message: "M", Body: "B",
		Header: http.Header{"X": {"1"}}, Delay: time.Second, Hang: true, Reset: true, Truncate: true}
	g := fakegw.Fault(f)
	assert.Equal(t, f, Fault(g))
	assert.Equal(t, "ListImages", g.Operation)
	assert.True(t, g.Truncate)

	srv := NewServer()
	defer srv.Close()
	resp, err := http.Post(srv.URL+"/x?a=1", "application/json", strings.NewReader(`{"k":1}`))
	require.NoError(t, err)
	_, _ = io.Copy(io.Discard, resp.Body)
	require.NoError(t, resp.Body.Close())
	reqs := srv.Requests()
	require.Len(t, reqs, 1)
	assert.Equal(t, http.MethodPost, reqs[0].Method)
	assert.Equal(t, "/x", reqs[0].Path)
	assert.Equal(t, "1", reqs[0].Query.Get("a"))
	assert.Equal(t, "application/json", reqs[0].Header.Get("Content-Type"))
	assert.Equal(t, []byte(`{"k":1}`), reqs[0].Body)
	assert.False(t, reqs[0].Time.IsZero())
}
