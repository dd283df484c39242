package cph

import (
	"context"
	"net/http"
	"sync"
	"testing"

	"github.com/cph-go/cph/internal/fakegw"
	"github.com/jarcoal/httpmock"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// imageGateway is a fake gateway (internal/fakegw) serving the routes of
// image management, each Signed with testTempCreds (so a request whose
// signature does not verify, its body's hash included, gets 401
// APIGW.0301), and answering each operation as the test says (answer),
// else with its documented example. It records the escaped path of each
// request a route answered.
type imageGateway struct {
	*fakegw.Server
	mu      sync.Mutex
	answers map[string]http.HandlerFunc
	escaped []string
}

// imageRoutes are the routes of image management, by operation.
var imageRoutes = map[string]string{
	opListImages:        "GET /v1/{project_id}/cloud-phone/images",
	opDeleteImage:       "DELETE /v1/{project_id}/cloud-phone/images/{image_id}",
	opListImageMembers:  "GET /v1/{project_id}/cloud-phone/images/{image_id}/members",
	opAddImageMember:    "POST /v1/{project_id}/cloud-phone/images/{image_id}/members",
	opUpdateImageMember: "PUT /v1/{project_id}/cloud-phone/images/{image_id}/members",
	opDeleteImageMember: "DELETE /v1/{project_id}/cloud-phone/images/{image_id}/members/{member_id}",
}

// imageExamples are the documented answers (testdata/), by operation.
var imageExamples = map[string]string{
	opListImages:        "list_images.json",
	opDeleteImage:       "image_done.json",
	opListImageMembers:  "list_image_members.json",
	opAddImageMember:    "image_done.json",
	opUpdateImageMember: "image_done.json",
	opDeleteImageMember: "image_done.json",
}

func newImageGateway(t *testing.T) *imageGateway {
	t.Helper()
	g := &imageGateway{answers: map[string]http.HandlerFunc{}}
	var routes []fakegw.Route
	for op, pattern := range imageRoutes {
		example := fixture(t, imageExamples[op])
		routes = append(routes, fakegw.Route{Operation: op, Pattern: pattern, Signed: true,
			Handler: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				g.mu.Lock()
				g.escaped = append(g.escaped, r.URL.EscapedPath())
				h := g.answers[op]
				g.mu.Unlock()
				if h != nil {
					h(w, r)
					return
				}
				writeJSON(w, http.StatusOK, string(example))
			})})
	}
	g.Server = fakegw.New(fakegw.Config{
		Routes:      routes,
		Credentials: []fakegw.Credentials{fakegw.Credentials(testTempCreds)},
		RequestID:   func(n uint64) string { return "gw-" + string(rune('0'+n%10)) },
	})
	t.Cleanup(g.Close)
	return g
}

// answer makes h answer the requests of op.
func (g *imageGateway) answer(op string, h http.HandlerFunc) {
	g.mu.Lock()
	defer g.mu.Unlock()
	g.answers[op] = h
}

// escapedPaths returns the escaped paths of the requests routes answered.
func (g *imageGateway) escapedPaths() []string {
	g.mu.Lock()
	defer g.mu.Unlock()
	return append([]string(nil), g.escaped...)
}

// methods returns the method of each request the gateway received.
func (g *imageGateway) methods() []string {
	var out []string
	for _, r := range g.Requests() {
		out = append(out, r.Method)
	}
	return out
}

// onlyRequest checks that the gateway got one request, of method at the
// escaped path, with no query and, when body is "", no body and no
// Content-Type, else body's exact bytes as application/json; it returns
// that request.
func (g *imageGateway) onlyRequest(t *testing.T, method, path, body string) fakegw.Request {
	t.Helper()
	reqs := g.Requests()
	require.Len(t, reqs, 1)
	r := reqs[0]
	assert.Equal(t, method, r.Method)
	assert.Equal(t, []string{path}, g.escapedPaths())
	assert.Empty(t, r.Query, "no query unless asked")
	if body == "" {
		assert.Nil(t, r.Body, "no body")
		assert.Empty(t, r.Header.Get("Content-Type"), "no body, no Content-Type")
	} else {
		assert.Equal(t, body, string(r.Body), "the exact bytes")
		assert.Equal(t, "application/json", r.Header.Get("Content-Type"))
	}
	return r
}

// client returns a client of the gateway, with fast retries.
func (g *imageGateway) client(t *testing.T, opts ...Option) *Client {
	t.Helper()
	return newFaultClient(t, g.URL, opts...)
}

// imageCallError is the error of f on a client of a mocked endpoint that
// must not be called (image management's validation errors).
func imageCallError(f func(c *Client) error) func(*testing.T) error {
	return func(t *testing.T) error {
		c := newMockedClient(t)
		err := f(c)
		require.Zero(t, httpmock.GetTotalCallCount(), "refused before sending")
		return err
	}
}

// listImagesError is the error of ListImages with opts.
func listImagesError(opts ...ListOption) func(*testing.T) error {
	return imageCallError(func(c *Client) error {
		_, err := c.ListImages(context.Background(), opts...)
		return err
	})
}
