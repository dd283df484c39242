package cphtest_test

import (
	"net/http"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/cph-go/cph/cphtest"
)

func TestRequests_Body(t *testing.T) {
	srv := newServer(t)
	const body = `{"phone_ids":["p1","p2"]}`
	req, err := http.NewRequestWithContext(ctx(t), http.MethodPost, srv.URL+"/v1/"+srv.ProjectID()+"/cloud-phone/phones/batch-restart", strings.NewReader(body))
	require.NoError(t, err)
	resp, err := http.DefaultTransport.RoundTrip(req)
	require.NoError(t, err)
	require.NoError(t, resp.Body.Close())
	_, err = newClient(t, srv).ListPhoneImages(ctx(t))
	require.NoError(t, err)

	reqs := srv.Requests()
	require.Len(t, reqs, 2)
	assert.Equal(t, http.MethodPost, reqs[0].Method)
	assert.Equal(t, body, string(reqs[0].Body))
	assert.Nil(t, reqs[1].Body, "a GET has no body")

	// Callers get copies.
	reqs[0].Body[0] = 'X'
	assert.Equal(t, body, string(srv.Requests()[0].Body))
}

// The body is recorded, and still reaches the route behind the gateway
// (a fault's normal answer included).
func TestRequests_BodyWithAFault(t *testing.T) {
	srv := newServer(t)
	srv.InjectFault(1, cphtest.Fault{Reset: true})
	req, err := http.NewRequestWithContext(ctx(t), http.MethodPut, srv.URL+"/x", strings.NewReader("payload"))
	require.NoError(t, err)
	_, err = http.DefaultTransport.RoundTrip(req)
	require.Error(t, err)
	require.Len(t, srv.Requests(), 1)
	assert.Equal(t, "payload", string(srv.Requests()[0].Body))
}

func TestResetRequests(t *testing.T) {
	srv := newServer(t)
	client := newClient(t, srv)
	out1, err := client.ListPhoneImages(ctx(t))
	require.NoError(t, err)
	require.Len(t, srv.Requests(), 1)

	srv.ResetRequests()
	assert.Empty(t, srv.Requests())

	out2, err := client.ListPhoneImages(ctx(t))
	require.NoError(t, err)
	reqs := srv.Requests()
	require.Len(t, reqs, 1, "only what came after")
	assert.Equal(t, "/v1/"+srv.ProjectID()+"/cloud-phone/phone-images", reqs[0].Path)
	assert.NotEqual(t, out1.RequestID, out2.RequestID, "request IDs keep counting")
}
