package cphtest_test

import (
	"fmt"
	"net/http"
	"net/url"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/cph-go/cph"
	"github.com/cph-go/cph/cphtest"
)

// A request may act only on the project of the keys that signed it.
func TestAddProject_EachKeyItsProject(t *testing.T) {
	srv := newServer(t, cphtest.WithCustomImages(cph.Image{ID: "a-img"}, cph.Image{ID: "b-img", ProjectID: projectB}))
	srv.AddProject(projectB, credsB)
	a, b := owner(srv), as{projectB, credsB}
	tests := map[string]struct {
		signer     as
		project    string
		wantStatus int
		wantCode   string
	}{
		"A in A":              {a, srv.ProjectID(), 200, ""},
		"B in B":              {b, projectB, 200, ""},
		"B's keys in A":       {b, srv.ProjectID(), 403, cphtest.CodeProjectUnavailable},
		"A's keys in B":       {a, projectB, 403, cphtest.CodeProjectUnavailable},
		"B's keys, unknown":   {b, "eeeeeeeeeeeeeeeeeeeeeeeeeeeeeeee", 403, cphtest.CodeProjectUnavailable},
		"B's secret is wrong": {as{projectB, cph.Credentials{AccessKey: credsB.AccessKey, SecretKey: "no"}}, projectB, 401, cphtest.CodeAuthFailed},
	}
	for name, tt := range tests {
		t.Run(name, func(t *testing.T) {
			for _, path := range []string{customImagesPath, imagesPath} {
				status, h, body := rawRequest{path: path, creds: tt.signer.creds, project: tt.project}.do(t, srv)
				assert.Equal(t, tt.wantStatus, status, "%s: %s", path, body)
				if tt.wantCode != "" {
					assert.Equal(t, tt.wantCode, requireError(t, h, body).Code)
				}
			}
			// A write in another's project is refused before it acts.
			status, _, _ := rawRequest{method: http.MethodDelete, path: customImagesPath + "/b-img",
				creds: tt.signer.creds, project: tt.project}.do(t, srv)
			if tt.wantStatus != 200 {
				assert.Equal(t, tt.wantStatus, status)
			}
		})
	}
	assert.Equal(t, []string{"a-img"}, a.list(t, srv, nil).ids())
}

// X-Project-Id, when sent, must name the path's project, even for keys
// that may act on both.
func TestAddProject_HeaderMustMatchPath(t *testing.T) {
	srv := newServer(t)
	srv.AddProject(projectB, cph.Credentials{})       // the default account's: its keys act on both
	path := "/v1/" + projectB + "/cloud-phone/images" // rawRequest's project is then only X-Project-Id
	status, _, body := rawRequest{path: path, creds: srv.Credentials(), project: projectB}.do(t, srv)
	assert.Equal(t, http.StatusOK, status, "the path's: %s", body)
	status, h, body := rawRequest{path: path, creds: srv.Credentials(), project: srv.ProjectID()}.do(t, srv)
	assert.Equal(t, http.StatusForbidden, status, "another project's")
	assert.Equal(t, cphtest.CodeProjectUnavailable, requireError(t, h, body).Code)
}

// The zero credentials are the default ones: the project is the default
// account's, and the default keys act on both. AddProject("") does nothing.
func TestAddProject_ZeroCredentialsAndEmptyID(t *testing.T) {
	srv := newServer(t)
	srv.AddProject(projectB, cph.Credentials{})
	status, _, body := rawRequest{path: customImagesPath, creds: srv.Credentials(), project: projectB}.do(t, srv)
	assert.Equal(t, http.StatusOK, status, "%s", body)
	srv.AddProject("", credsB)
	status, _, _ = rawRequest{path: customImagesPath, creds: credsB, project: projectB}.do(t, srv)
	assert.Equal(t, http.StatusUnauthorized, status, "credsB were not accepted")
}

// Adding a project again replaces its credentials.
func TestAddProject_Again(t *testing.T) {
	srv := newServer(t)
	srv.AddProject(projectB, credsB)
	rotated := cph.Credentials{AccessKey: "CPHTESTPROJECTBKEY02", SecretKey: "rotated"}
	srv.AddProject(projectB, rotated)
	status, _, _ := rawRequest{path: customImagesPath, creds: rotated, project: projectB}.do(t, srv)
	assert.Equal(t, http.StatusOK, status)
	status, _, _ = rawRequest{path: customImagesPath, creds: credsB, project: projectB}.do(t, srv)
	assert.Equal(t, http.StatusForbidden, status, "the old key acts on B no more")
}

// Credentials are told apart by access key: a project added with another
// project's access key and another secret replaces that key's secret for
// both.
func TestAddProject_SharedAccessKey(t *testing.T) {
	srv := newServer(t)
	resecret := cph.Credentials{AccessKey: srv.Credentials().AccessKey, SecretKey: "another-secret"}
	srv.AddProject(projectB, resecret)
	for _, project := range []string{srv.ProjectID(), projectB} {
		status, _, _ := rawRequest{path: customImagesPath, creds: resecret, project: project}.do(t, srv)
		assert.Equal(t, http.StatusOK, status, "the new secret, in %s", project)
	}
	status, _, _ := rawRequest{path: customImagesPath, creds: cph.Credentials{AccessKey: cphtest.DefaultAccessKey,
		SecretKey: cphtest.DefaultSecretKey}}.do(t, srv)
	assert.Equal(t, http.StatusUnauthorized, status, "the old secret no more")
}

func TestClientOptionsFor(t *testing.T) {
	creds := cph.Credentials{AccessKey: "CPHTESTPROJECTBKEY01", SecretKey: "b", SecurityToken: "b-token"}
	srv := newServer(t, cphtest.WithImages(publicImage, privateImage))
	srv.AddProject(projectB, creds)

	b := newClientFor(t, srv, projectB)
	assert.Equal(t, projectB, b.ProjectID())
	assert.Equal(t, srv.URL, b.Endpoint())
	out, err := b.ListPhoneImages(ctx(t))
	require.NoError(t, err)
	assert.Equal(t, []string{"pub"}, imageIDs(out.Images), "another project sees the public images only")
	last := srv.Requests()[len(srv.Requests())-1]
	assert.Equal(t, "/v1/"+projectB+"/cloud-phone/phone-images", last.Path)
	assert.Contains(t, last.Header.Get("Authorization"), "Access="+creds.AccessKey)
	assert.Equal(t, "b-token", last.Header.Get("X-Security-Token"))

	out, err = newClientFor(t, srv, srv.ProjectID()).ListPhoneImages(ctx(t))
	require.NoError(t, err)
	assert.Equal(t, []string{"pub", "priv"}, imageIDs(out.Images), "the default project's, as ClientOptions")

	_, err = newClientFor(t, srv, "ffffffffffffffffffffffffffffffff").ListPhoneImages(ctx(t))
	apiErr := requireAPIError(t, err)
	assert.Equal(t, http.StatusForbidden, apiErr.StatusCode)
	assert.Equal(t, cphtest.CodeProjectUnavailable, apiErr.Code)
}

// IAM lists the projects of the signing key: a client of B's keys
// discovers B.
func TestAddProject_Discovery(t *testing.T) {
	srv := newServer(t)
	srv.AddProject(projectB, credsB)
	opts := append(srv.DiscoveryOptions(), cph.WithCredentials(credsB))
	c, err := cph.NewClient(opts...)
	require.NoError(t, err)
	_, err = c.ListPhoneImages(ctx(t))
	require.NoError(t, err)
	assert.Equal(t, projectB, c.ProjectID())

	c, err = cph.NewClient(srv.DiscoveryOptions()...)
	require.NoError(t, err)
	_, err = c.ListPhoneImages(ctx(t))
	require.NoError(t, err)
	assert.Equal(t, srv.ProjectID(), c.ProjectID(), "the default keys still find the default project")
}

// Faults match the new operations by name.
func TestFaults_CustomImageOperations(t *testing.T) {
	ops := map[string]struct{ method, path, body string }{
		"ListImages":        {"GET", customImagesPath, ""},
		"DeleteImage":       {"DELETE", customImagesPath + "/img", ""},
		"ListImageMembers":  {"GET", membersPath, ""},
		"AddImageMember":    {"POST", membersPath, addBody("cccccccccccccccccccccccccccccccc")},
		"UpdateImageMember": {"PUT", membersPath, `{"status":"accepted"}`},
		"DeleteImageMember": {"DELETE", membersPath + "/" + projectB, ""},
	}
	for op := range ops {
		t.Run(op, func(t *testing.T) {
			srv := shareServer(t)
			srv.InjectFault(1, cphtest.Fault{Operation: op, Status: 503, Code: "APIGW.0503", Message: "down"})
			for other, c := range ops {
				if other == op {
					continue
				}
				status, _, _ := rawRequest{method: c.method, path: c.path, body: c.body, creds: srv.Credentials()}.do(t, srv)
				assert.NotEqual(t, http.StatusServiceUnavailable, status, "%s is not %s", other, op)
			}
			c := ops[op]
			status, h, body := rawRequest{method: c.method, path: c.path, body: c.body, creds: srv.Credentials()}.do(t, srv)
			assert.Equal(t, http.StatusServiceUnavailable, status)
			assert.Equal(t, "APIGW.0503", requireError(t, h, body).Code)
		})
	}
}

// Two projects share, answer, list and reseed at once. Run with -race.
func TestSharing_Concurrent(t *testing.T) {
	const workers = 6
	srv := newServer(t, cphtest.WithCustomImages(manyImages(workers)...))
	srv.AddProject(projectB, credsB)
	a, b := owner(srv), as{projectB, credsB}
	var wg sync.WaitGroup
	errs := make(chan string, 10*workers)
	for i := range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			path := fmt.Sprintf(customImagesPath+"/img-%03d/members", i)
			steps := []struct {
				who          as
				method, body string
			}{
				{a, "POST", addBody(projectB)},
				{b, "PUT", `{"status":"accepted"}`},
				{a, "GET", ""},
				{b, "PUT", `{"status":"rejected"}`},
				{a, "DELETE", ""},
			}
			for _, s := range steps {
				p := path
				if s.method == "DELETE" {
					p += "/" + projectB
				}
				status, _, body := rawRequest{method: s.method, path: p, body: s.body, creds: s.who.creds, project: s.who.project}.do(t, srv)
				if status != http.StatusOK {
					errs <- fmt.Sprintf("%s %s: %d %s", s.method, p, status, body)
				}
			}
		}()
	}
	wg.Add(1)
	go func() {
		defer wg.Done()
		for range 20 {
			_ = srv.CustomImages()
			srv.AddProject("cccccccccccccccccccccccccccccccc", cph.Credentials{})
			_ = srv.ClientOptionsFor(projectB)
			status, _, _ := rawRequest{path: customImagesPath, query: url.Values{"image_type": {"share"}},
				creds: credsB, project: projectB}.do(t, srv)
			if status != http.StatusOK {
				errs <- fmt.Sprintf("list: %d", status)
			}
		}
	}()
	wg.Wait()
	close(errs)
	for e := range errs {
		t.Error(e)
	}
	assert.Empty(t, b.list(t, srv, nil).Images, "every share ended")
	assert.Len(t, srv.CustomImages(), workers)
	assert.Len(t, srv.Requests(), workers*5+20+1)
}
