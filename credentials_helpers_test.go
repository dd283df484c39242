package cph

import (
	"context"
	"encoding/json"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/cph-go/cph/internal/fakegw"
)

// isolateEnv clears every HUAWEICLOUD_SDK_ variable for the test and points
// the profile file at a path that does not exist, so that nothing of the
// machine running the tests leaks in.
func isolateEnv(t *testing.T) {
	t.Helper()
	for _, kv := range os.Environ() {
		if name, _, _ := strings.Cut(kv, "="); strings.HasPrefix(name, "HUAWEICLOUD_SDK_") {
			t.Setenv(name, "")
		}
	}
	t.Setenv(envCredentialsFile, filepath.Join(t.TempDir(), "no-such-credentials"))
}

// setEnv isolates the test's environment (isolateEnv), then sets the
// variables of env and, when profile is not empty, a profile file with
// that content.
func setEnv(t *testing.T, env map[string]string, profile string) {
	t.Helper()
	isolateEnv(t)
	for k, v := range env {
		t.Setenv(k, v)
	}
	if profile != "" {
		t.Setenv(envCredentialsFile, writeProfile(t, profile))
	}
}

// isolateProcessEnv takes the HUAWEICLOUD_SDK_ variables of the machine
// out of the test process and points the profile file at a path under
// testdata/ that does not exist (not at os.DevNull, which is no regular
// file and would be refused), so that a client made without credentials
// finds none, wherever the tests run. Tests that set variables use
// t.Setenv on top of it.
func isolateProcessEnv() {
	for _, kv := range os.Environ() {
		if name, _, _ := strings.Cut(kv, "="); strings.HasPrefix(name, "HUAWEICLOUD_SDK_") {
			_ = os.Unsetenv(name)
		}
	}
	path := filepath.Join("testdata", "no-such-credentials")
	if abs, err := filepath.Abs(path); err == nil {
		path = abs
	}
	_ = os.Setenv(envCredentialsFile, path)
}

// writeProfile writes a profile file in a temporary directory and returns
// its path.
func writeProfile(t *testing.T, content string) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "credentials")
	require.NoError(t, os.WriteFile(path, []byte(content), 0o600))
	return path
}

// fakeCloud is a loopback CPH and IAM gateway (internal/fakegw) that
// accepts requests signed with testCreds (and the credentials accept
// adds), answers GET /v3/projects with projects, and ListPhoneImages with
// an empty list.
type fakeCloud struct {
	*fakegw.Server

	mu        sync.Mutex
	projects  string        // the /v3/projects body
	iamStatus int           // if set, /v3/projects answers this status
	iamGate   chan struct{} // if set, /v3/projects waits for it
}

func newFakeCloud(t *testing.T) *fakeCloud {
	t.Helper()
	f := &fakeCloud{
		projects: `{"projects":[{"id":"` + testProjectID + `","name":"` + testRegion + `"}],"links":{}}`,
	}
	f.Server = fakegw.New(fakegw.Config{
		Routes: []fakegw.Route{
			{Operation: "KeystoneListProjects", Pattern: "GET /v3/projects", Signed: true, Handler: http.HandlerFunc(f.listProjects)},
			{Operation: "ListPhoneImages", Pattern: "GET " + imagesPath("{project_id}"), Signed: true, Handler: http.HandlerFunc(
				func(w http.ResponseWriter, _ *http.Request) {
					writeJSON(w, http.StatusOK, `{"phone_images":[],"request_id":"fake"}`)
				})},
		},
		Credentials: []fakegw.Credentials{fakegw.Credentials(testCreds)},
	})
	t.Cleanup(f.Close)
	return f
}

func (f *fakeCloud) listProjects(w http.ResponseWriter, _ *http.Request) {
	f.mu.Lock()
	projects, status, gate := f.projects, f.iamStatus, f.iamGate
	f.mu.Unlock()
	if gate != nil {
		<-gate
	}
	if status != 0 {
		writeJSON(w, status, `{"error":{"code":"IAM.0001","message":"denied by the fake"}}`)
		return
	}
	writeJSON(w, http.StatusOK, projects)
}

func writeJSON(w http.ResponseWriter, status int, body string) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_, _ = w.Write([]byte(body))
}

// set changes the fake's state under its lock.
func (f *fakeCloud) set(change func(f *fakeCloud)) {
	f.mu.Lock()
	defer f.mu.Unlock()
	change(f)
}

// accept makes the fake accept c too.
func (f *fakeCloud) accept(c Credentials) { f.Accept(fakegw.Credentials(c)) }

// requests returns the requests received so far whose path is path.
func (f *fakeCloud) requests(path string) []fakegw.Request {
	var out []fakegw.Request
	for _, r := range f.Requests() {
		if r.Path == path {
			out = append(out, r)
		}
	}
	return out
}

// imagesPath is the ListPhoneImages path of project id.
func imagesPath(id string) string { return "/v1/" + id + "/cloud-phone/phone-images" }

// listOnce calls ListPhoneImages with a fresh context.
func listOnce(c *Client) error {
	_, err := c.ListPhoneImages(context.Background())
	return err
}

// projectsJSON builds a /v3/projects body of (id, name) pairs.
func projectsJSON(t *testing.T, pairs ...string) string {
	t.Helper()
	type project struct {
		ID   string `json:"id"`
		Name string `json:"name"`
	}
	ps := []project{}
	for i := 0; i+1 < len(pairs); i += 2 {
		ps = append(ps, project{ID: pairs[i], Name: pairs[i+1]})
	}
	b, err := json.Marshal(map[string]any{"projects": ps})
	require.NoError(t, err)
	return string(b)
}

// assertNoSecret checks that s carries none of the test secrets.
func assertNoSecret(t *testing.T, s string) {
	t.Helper()
	assert.NotContains(t, s, testSK)
	assert.NotContains(t, s, testToken)
}

// newGate returns a gate for a fake's handler and the func that opens it.
// The gate also opens when the test ends, so that a failing test never
// leaves a handler waiting (and the server's Close with it): make it after
// the server, so that it opens before the server closes.
func newGate(t *testing.T) (chan struct{}, func()) {
	gate := make(chan struct{})
	var once sync.Once
	open := func() { once.Do(func() { close(gate) }) }
	t.Cleanup(open)
	return gate, open
}
