package cph

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/cph-go/cph/internal/sigv"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// Values of the credential tests. Every secret is distinctive, so that a
// test can check that no message ever carries it.
const (
	fakeAK        = "FAKEAKEXAMPLE000001"
	fakeSK        = "fakeSecretKey-aWxsLW5ldmVyLWxlYWs"
	fakeToken     = "fakeSecurityToken-dG9rZW4tbmV2ZXItbGVhaw"
	fakeProjectID = "11112222333344445555666677778888"
	fakeRegion    = "cn-north-4"
)

var fakeCreds = Credentials{AccessKey: fakeAK, SecretKey: fakeSK}

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

// recorded is a request as a fake server received it.
type recorded struct {
	Method, Path, RawQuery string
	Header                 http.Header
}

// fakeCloud is a loopback CPH and IAM server: it checks every request's
// signature against the secret keys it knows, answers GET /v3/projects
// with projects, and ListPhoneImages with an empty list.
type fakeCloud struct {
	t   *testing.T
	srv *httptest.Server

	mu        sync.Mutex
	keys      map[string]string // access key → secret key
	projects  string            // the /v3/projects body
	iamStatus int               // if set, /v3/projects answers this status
	iamGate   chan struct{}     // if set, /v3/projects waits for it
	reqs      []recorded
}

func newFakeCloud(t *testing.T) *fakeCloud {
	t.Helper()
	f := &fakeCloud{
		t:        t,
		keys:     map[string]string{fakeAK: fakeSK},
		projects: `{"projects":[{"id":"` + fakeProjectID + `","name":"` + fakeRegion + `"}],"links":{}}`,
	}
	f.srv = httptest.NewServer(http.HandlerFunc(f.serve))
	t.Cleanup(f.srv.Close)
	return f
}

func (f *fakeCloud) serve(w http.ResponseWriter, r *http.Request) {
	f.mu.Lock()
	f.reqs = append(f.reqs, recorded{Method: r.Method, Path: r.URL.Path, RawQuery: r.URL.RawQuery, Header: r.Header.Clone()})
	projects, status, gate := f.projects, f.iamStatus, f.iamGate
	f.mu.Unlock()

	auth, err := sigv.ParseAuthorization(r.Header.Get("Authorization"))
	if err != nil {
		writeJSON(w, http.StatusUnauthorized, `{"error_code":"APIGW.0301","error_msg":"malformed authorization"}`)
		return
	}
	f.mu.Lock()
	sk, known := f.keys[auth.AccessKey]
	f.mu.Unlock()
	if !known || sigv.Verify(r, auth, sk) != nil {
		writeJSON(w, http.StatusUnauthorized, `{"error_code":"APIGW.0301","error_msg":"Incorrect IAM authentication information"}`)
		return
	}
	switch {
	case r.URL.Path == "/v3/projects":
		if gate != nil {
			<-gate
		}
		if status != 0 {
			writeJSON(w, status, `{"error":{"code":"IAM.0001","message":"denied by the fake"}}`)
			return
		}
		writeJSON(w, http.StatusOK, projects)
	case strings.HasSuffix(r.URL.Path, "/cloud-phone/phone-images"):
		writeJSON(w, http.StatusOK, `{"phone_images":[],"request_id":"fake"}`)
	default:
		writeJSON(w, http.StatusNotFound, `{"error_code":"CPS.404","error_msg":"no route"}`)
	}
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

// requests returns the requests received so far whose path is path.
func (f *fakeCloud) requests(path string) []recorded {
	f.mu.Lock()
	defer f.mu.Unlock()
	var out []recorded
	for _, r := range f.reqs {
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

// assertNoSecret checks that s carries none of the fake secrets.
func assertNoSecret(t *testing.T, s string) {
	t.Helper()
	assert.NotContains(t, s, fakeSK)
	assert.NotContains(t, s, fakeToken)
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
