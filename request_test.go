package cph

import (
	"context"
	"io"
	"net/http"
	"strings"
	"sync"
	"syscall"
	"testing"

	"github.com/cph-go/cph/internal/bufpool"
	"github.com/cph-go/cph/internal/fakegw"
	"github.com/cph-go/cph/internal/sigv"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// The one request path with what the coming operations need: path
// parameters, a body, and operations that are not idempotent. The calls
// here are test operations, sent through c.do as an operation's file will.

// testPost is a POST of body to the members of image, as AddImageMember
// will send it.
func testPost(image string, body string) call {
	return call{
		op:     "TestPost",
		method: http.MethodPost,
		path:   "/v1/{project_id}/cloud-phone/images/{image_id}/members",
		params: []param{{"image_id", image}},
		body:   []byte(body),
	}
}

// verifiedServer answers 200 to a request whose signature, body hash
// included, verifies with the fault client's secret key, and records the
// path and body of each.
type verifiedServer struct {
	*fakegw.Server
	mu     sync.Mutex
	paths  []string
	bodies []string
	types  []string
}

func newVerifiedServer(t *testing.T) *verifiedServer {
	v := &verifiedServer{}
	v.Server = newFaultServer(t, always(func(w http.ResponseWriter, r *http.Request, _ int) {
		a, err := sigv.ParseAuthorization(r.Header.Get("Authorization"))
		if err == nil {
			err = sigv.Verify(r, a, testSK)
		}
		if err != nil {
			http.Error(w, `{"error_code":"APIGW.0301","error_msg":"`+err.Error()+`"}`, http.StatusUnauthorized)
			return
		}
		body, _ := io.ReadAll(r.Body)
		v.mu.Lock()
		v.paths = append(v.paths, r.URL.EscapedPath())
		v.bodies = append(v.bodies, string(body))
		v.types = append(v.types, r.Header.Get("Content-Type"))
		v.mu.Unlock()
		_, _ = io.WriteString(w, `{"request_id":"r1"}`)
	}), false)
	return v
}

func TestRequestPathSignsABody(t *testing.T) {
	s := newVerifiedServer(t)
	c := newFaultClient(t, s.URL)

	ans, err := c.do(context.Background(), testPost("img-1", `{"member_id":"abc"}`))

	require.NoError(t, err, "the signature, with the body's hash, verifies")
	bufpool.Release(ans.body)
	assert.Equal(t, []string{`{"member_id":"abc"}`}, s.bodies, "the exact bytes are sent")
	assert.Equal(t, []string{"application/json"}, s.types)
	assert.Equal(t, []string{"/v1/" + testProjectID + "/cloud-phone/images/img-1/members"}, s.paths)
}

func TestRequestPathEscapesParameters(t *testing.T) {
	s := newVerifiedServer(t)
	c := newFaultClient(t, s.URL)

	ans, err := c.do(context.Background(), testPost("img:1@é%", `{}`))

	require.NoError(t, err, "an escaped path signs and verifies")
	bufpool.Release(ans.body)
	assert.Equal(t, []string{"/v1/" + testProjectID + "/cloud-phone/images/img:1@%C3%A9%25/members"}, s.paths)
}

// TestRequestPathRefusesParameters: a path value that could leave its
// segment, or names nothing, is refused before anything is sent.
func TestRequestPathRefusesParameters(t *testing.T) {
	s := newVerifiedServer(t)
	c := newFaultClient(t, s.URL)
	for name, v := range map[string]string{
		"empty":         "",
		"slash":         "a/b",
		"backslash":     `a\b`,
		"dot dot":       "..",
		"dot":           ".",
		"dot dot in it": "a..b",
		"space":         "a b",
		"tab":           "a\tb",
		"newline":       "a\nb",
		"NBSP":          "a\u00a0b",
		"DEL":           "a\x7fb",
	} {
		t.Run(name, func(t *testing.T) {
			_, err := c.do(context.Background(), testPost(v, `{}`))

			require.ErrorIs(t, err, ErrInvalidParameter)
			assert.True(t, strings.HasPrefix(err.Error(), "cph: TestPost: invalid parameter: image_id "), err.Error())
		})
	}
	assert.Zero(t, s.Served(), "nothing was sent")
}

// TestNonIdempotentRetries: an operation that is not idempotent is resent
// only when it is certain the service never acted on it: the gateway's
// throttling answer and a connection that was never made; a 5xx or a
// connection cut after sending is returned at once. An idempotent one is
// resent in all those cases.
func TestNonIdempotentRetries(t *testing.T) {
	tests := map[string]struct {
		fault        faultHandler
		wantPost     int // attempts of the POST
		wantIdem     int // attempts of the same call marked idempotent
		wantThrottle bool
	}{
		"503":                         {fault: status(503, `{"error_code":"CPS.0001","error_msg":"busy"}`), wantPost: 1, wantIdem: 3},
		"500":                         {fault: status(500, ""), wantPost: 1, wantIdem: 3},
		"reset after sending":         {fault: resetConn, wantPost: 1, wantIdem: 3},
		"closed after sending":        {fault: closeConn, wantPost: 1, wantIdem: 3},
		"429 throttled":               {fault: status(429, `{"error_code":"APIGW.0308","error_msg":"throttled"}`), wantPost: 3, wantIdem: 3, wantThrottle: true},
		"throttling code on a 400":    {fault: status(400, `{"error_code":"APIG.0308","error_msg":"throttled"}`), wantPost: 3, wantIdem: 3, wantThrottle: true},
		"400 not retried by anything": {fault: status(400, `{"error_code":"CPS.0005","error_msg":"bad"}`), wantPost: 1, wantIdem: 1},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			for _, idempotent := range []bool{false, true} {
				s := newFaultServer(t, always(tc.fault), false)
				c := newFaultClient(t, s.URL)
				cl := testPost("img-1", `{"member_id":"abc"}`)
				cl.idempotent = idempotent

				_, err := c.do(context.Background(), cl)

				require.Error(t, err)
				want := tc.wantPost
				if idempotent {
					want = tc.wantIdem
				}
				assert.Equal(t, want, int(s.Served()), "idempotent %v: %v", idempotent, err)
				assert.Equal(t, tc.wantThrottle, IsThrottled(err))
			}
		})
	}
}

// TestNonIdempotentRetriedWhenNeverSent: a refused connection is certain
// not to have reached the service, so even a POST is resent.
func TestNonIdempotentRetriedWhenNeverSent(t *testing.T) {
	c, dials := newClosedPortClient(t)

	_, err := c.do(context.Background(), testPost("img-1", `{}`))

	require.ErrorIs(t, err, syscall.ECONNREFUSED)
	assert.Contains(t, err.Error(), "after 3 attempts")
	assert.Equal(t, 3, dials(), "each attempt dialled")
}

// TestIAMCallsGoThroughTheOnePath: discovery's IAM call is sent by do,
// signed and capped like every call, and carries no X-Project-Id.
func TestIAMCallsGoThroughTheOnePath(t *testing.T) {
	isolateEnv(t)
	s := newFaultServer(t, always(func(w http.ResponseWriter, r *http.Request, _ int) {
		_, _ = io.WriteString(w, `{"projects":[{"id":"`+testProjectID+`","name":"cn-north-4"}]}`)
	}), false)
	c, err := NewClient(WithRegion("cn-north-4"), WithEndpoint(s.URL), WithIAMEndpoint(s.URL),
		WithCredentials(testCreds))
	require.NoError(t, err)

	ans, err := c.do(context.Background(), call{op: opKeystoneListProjects, method: http.MethodGet, service: serviceIAM, path: "/v3/projects", idempotent: true})

	require.NoError(t, err)
	bufpool.Release(ans.body)
	seen := s.Requests()
	require.Len(t, seen, 1)
	assert.Equal(t, "/v3/projects", seen[0].Path)
	assert.Empty(t, seen[0].Header.Values("X-Project-Id"))
	assert.Contains(t, seen[0].Header.Get("Authorization"), "Access="+testAK)
}

func TestCloseIdleConnections(t *testing.T) {
	s := newFaultServer(t, always(func(w http.ResponseWriter, _ *http.Request, _ int) { serveOK(w) }), false)
	c := newFaultClient(t, s.URL)
	_, err := c.ListPhoneImages(context.Background())
	require.NoError(t, err)
	_, err = c.ListPhoneImages(context.Background())
	require.NoError(t, err)
	require.Equal(t, 1, int(s.Conns()), "precondition: the connection is kept alive")

	c.CloseIdleConnections()
	_, err = c.ListPhoneImages(context.Background())

	require.NoError(t, err)
	assert.Equal(t, 2, int(s.Conns()), "the idle connection was closed, so a new one was made")
}
