package main

import (
	"bytes"
	"context"
	"encoding/json"
	"flag"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"regexp"
	"runtime/debug"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/cph-go/cph"
	"github.com/cph-go/cph/cphtest"
	"github.com/cph-go/cph/internal/sigv"
)

var update = flag.Bool("update", false, "rewrite the golden files under testdata/")

// env is the environment a run sees; unset variables are empty.
type env map[string]string

// result is what a run returned and wrote.
type result struct {
	code   int
	stdout string
	stderr string
}

// runCLI runs the command with args in e, every other HUAWEICLOUD_SDK_
// variable cleared and, unless e names one, the profile file pointed at a
// path that does not exist: nothing of the machine running the tests (its
// ~/.huaweicloud/credentials included) leaks in.
func runCLI(t *testing.T, e env, args ...string) result {
	t.Helper()
	isolateEnv(t, e)
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	var stdout, stderr bytes.Buffer
	code := run(ctx, args, nil, &stdout, &stderr)
	return result{code: code, stdout: stdout.String(), stderr: stderr.String()}
}

// isolateEnv sets e as the environment, every other HUAWEICLOUD_SDK_
// variable cleared and the profile file pointed at nothing, as runCLI
// does.
func isolateEnv(t *testing.T, e env) {
	t.Helper()
	for _, kv := range os.Environ() {
		if name, _, _ := strings.Cut(kv, "="); strings.HasPrefix(name, "HUAWEICLOUD_SDK_") {
			t.Setenv(name, "")
		}
	}
	t.Setenv(envCredsFile, filepath.Join(t.TempDir(), "no-such-credentials"))
	for name, value := range e {
		t.Setenv(name, value)
	}
}

// serverEnv is the environment that signs for srv.
func serverEnv(srv *cphtest.Server) env {
	c := srv.Credentials()
	return env{envAK: c.AccessKey, envSK: c.SecretKey, envToken: c.SecurityToken, envProjectID: srv.ProjectID()}
}

func newServer(t *testing.T, opts ...cphtest.Option) *cphtest.Server {
	t.Helper()
	srv := cphtest.NewServer(opts...)
	t.Cleanup(srv.Close)
	return srv
}

// Images with every kind of value a table has to show.
var varied = []cph.PhoneImage{
	{ID: "0a1b2c3d4e5f60718293a4b5c6d7e8f9", Name: "game image", OSType: "aosp", OSName: "AOSP10.0.0",
		Visibility: cph.VisibilityPrivate, Label: cph.LabelCloudGame1620, SupportsEncryption: true},
	{ID: "ffeeddccbbaa99887766554433221100", Name: "new\tlabel\x1b[31m", OSType: "aosp", OSName: "",
		Visibility: 7, Label: "cloud_future"},
	{ID: "11112222333344445555666677778888", Name: "", OSType: "", OSName: "AOSP11",
		Visibility: cph.VisibilityPublic, Label: cph.LabelCloudPhone1620},
}

func TestGolden(t *testing.T) {
	tests := map[string]struct {
		server []cphtest.Option // nil: --demo
		args   []string
	}{
		"demo_table":        {args: []string{"--demo"}},
		"demo_json":         {args: []string{"--demo", "--output", "json"}},
		"demo_filtered":     {args: []string{"--demo", "--label", "cloud_phone", "--os", "AOSP7.1.1"}},
		"demo_public":       {args: []string{"--demo", "--type", "public"}},
		"demo_private":      {args: []string{"--demo", "--type", "private"}},
		"demo_private_json": {args: []string{"--demo", "--type", "private", "--output", "json"}},
		"demo_shared":       {args: []string{"--demo", "--type", "share"}},
		"demo_empty":        {args: []string{"--demo", "--type", "share", "--label", "cloud_game"}},
		"varied_table":      {server: []cphtest.Option{cphtest.WithImages(varied...)}},
		"varied_json":       {server: []cphtest.Option{cphtest.WithImages(varied...)}, args: []string{"--output=json"}},
	}
	for name, tt := range tests {
		t.Run(name, func(t *testing.T) {
			e := env{}
			args := tt.args
			if tt.server != nil {
				srv := newServer(t, tt.server...)
				e = serverEnv(srv)
				args = append([]string{"--endpoint", srv.URL}, args...)
			}
			r := runCLI(t, e, args...)
			require.Equal(t, exitOK, r.code, "stderr: %s", r.stderr)

			path := filepath.Join("testdata", name+".golden")
			if *update {
				require.NoError(t, os.WriteFile(path, []byte(r.stdout), 0o644))
			}
			want, err := os.ReadFile(path)
			require.NoError(t, err, "run go test -update to create it")
			assert.Equal(t, string(want), r.stdout)
			if strings.HasSuffix(name, "json") {
				assert.True(t, json.Valid([]byte(r.stdout)))
			}
		})
	}
}

func TestDemo_NeedsNoCredentials(t *testing.T) {
	r := runCLI(t, env{}, "--demo")
	require.Equal(t, exitOK, r.code, r.stderr)
	lines := strings.Split(strings.TrimSuffix(r.stdout, "\n"), "\n")
	require.Len(t, lines, 6, "a header and five images")
	// The documented three first and unchanged (CI greps for "^<id> ").
	for i, img := range cphtest.DocumentedImages() {
		assert.True(t, strings.HasPrefix(lines[1+i], img.ID+" "), lines[1+i])
		assert.True(t, strings.HasSuffix(lines[1+i], " public"), lines[1+i])
	}
	assert.Contains(t, r.stderr, "--demo")
	assert.NotContains(t, r.stdout, "--demo", "notes go to stderr, not into the output")
}

// Every --type of the demo lists something, and what it lists has that
// type.
func TestDemo_EveryTypeShowsSomething(t *testing.T) {
	documented := cphtest.DocumentedImages()
	want := map[cph.ImageType][]cph.PhoneImage{
		cph.ImageTypePublic:  documented,
		cph.ImageTypePrivate: {demoPrivateImage},
		cph.ImageTypeShared:  {demoSharedImage},
		cph.ImageTypeAll:     append(append(documented, demoPrivateImage), demoSharedImage),
		"":                   append(append(documented, demoPrivateImage), demoSharedImage),
	}
	for _, tp := range cph.ImageType("").Values() {
		assert.Contains(t, want, tp, "every type the command takes is checked")
	}
	for tp, images := range want {
		t.Run("type "+string(tp), func(t *testing.T) {
			args := []string{"--demo", "--output", "json"}
			if tp != "" {
				args = append(args, "--type", string(tp))
			}
			r := runCLI(t, env{}, args...)
			require.Equal(t, exitOK, r.code, r.stderr)
			var doc struct {
				PhoneImages []cph.PhoneImage `json:"phone_images"`
			}
			require.NoError(t, json.Unmarshal([]byte(r.stdout), &doc))
			assert.NotEmpty(t, doc.PhoneImages)
			assert.Equal(t, images, doc.PhoneImages)
		})
	}
}

// writeProfile writes a profile file in a temporary directory and returns
// its path.
func writeProfile(t *testing.T, content string) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "credentials")
	require.NoError(t, os.WriteFile(path, []byte(content), 0o600))
	return path
}

// profileOf is a profile file with the server's credentials, and
// project_id unless projectID is "".
func profileOf(srv *cphtest.Server, projectID string) string {
	c := srv.Credentials()
	s := "[basic]\nak = " + c.AccessKey + "\nsk = " + c.SecretKey + "\n"
	if c.SecurityToken != "" {
		s += "security_token = " + c.SecurityToken + "\n"
	}
	if projectID != "" {
		s += "project_id = " + projectID + "\n"
	}
	return s
}

func TestProfileFile(t *testing.T) {
	creds := cph.Credentials{AccessKey: "PROFILEACCESSKEY0001", SecretKey: "profile-secret-key-value", SecurityToken: "profile-session-token-value"}
	srv := newServer(t, cphtest.WithCredentials(creds))
	other := "ffffffffffffffffffffffffffffffff"
	tests := map[string]struct {
		profile string
		env     env
		args    []string
	}{
		"credentials and project ID": {profile: profileOf(srv, srv.ProjectID())},
		"--project-id wins":          {profile: profileOf(srv, other), args: []string{"--project-id", srv.ProjectID()}},
		"the environment's project ID wins": {
			profile: profileOf(srv, other), env: env{envProjectID: srv.ProjectID()},
		},
		"the environment's credentials win": {
			profile: "[basic]\nak = OTHERACCESSKEY000001\nsk = other-secret\n",
			env:     serverEnv(srv),
		},
	}
	for name, tt := range tests {
		t.Run(name, func(t *testing.T) {
			e := env{envCredsFile: writeProfile(t, tt.profile)}
			for k, v := range tt.env {
				e[k] = v
			}
			before := len(srv.Requests())
			r := runCLI(t, e, append([]string{"--endpoint", srv.URL, "--verbose"}, tt.args...)...)
			require.Equal(t, exitOK, r.code, "stderr: %s", r.stderr)
			assert.Contains(t, r.stdout, "20032420200401a60b0003a99684b8ea")

			reqs := srv.Requests()
			require.Len(t, reqs, before+1)
			req := reqs[len(reqs)-1]
			assert.Equal(t, "/v1/"+srv.ProjectID()+"/cloud-phone/phone-images", req.Path)
			a, err := sigv.ParseAuthorization(req.Header.Get("Authorization"))
			require.NoError(t, err)
			assert.Equal(t, creds.AccessKey, a.AccessKey)
			assert.Equal(t, creds.SecurityToken, req.Header.Get("X-Security-Token"))

			assert.Contains(t, r.stderr, "PROF****01", "the debug log shows the masked access key")
			for _, secret := range []string{creds.SecretKey, creds.SecurityToken, a.Signature} {
				assert.NotContains(t, r.stderr, secret)
			}
		})
	}
}

func TestProjectIDDiscovery(t *testing.T) {
	srv := newServer(t)
	tests := map[string]env{
		"credentials from the environment":  serverEnv(srv),
		"credentials from the profile file": {envCredsFile: writeProfile(t, profileOf(srv, ""))},
	}
	for name, e := range tests {
		t.Run(name, func(t *testing.T) {
			delete(e, envProjectID)
			e[envIAM] = srv.URL
			before := len(srv.Requests())
			r := runCLI(t, e, "--region", cphtest.DefaultRegion, "--endpoint", srv.URL, "--verbose")
			require.Equal(t, exitOK, r.code, "stderr: %s", r.stderr)
			assert.Contains(t, r.stdout, "20032420200401a60b0003a99684b8ea")
			assert.Contains(t, r.stderr, `project_id="(discovered at the first call)"`)

			reqs := srv.Requests()[before:]
			require.Len(t, reqs, 2, "one IAM request, then the listing")
			assert.Equal(t, "/v3/projects", reqs[0].Path)
			assert.Equal(t, cphtest.DefaultRegion, reqs[0].Query.Get("name"))
			assert.Equal(t, "/v1/"+srv.ProjectID()+"/cloud-phone/phone-images", reqs[1].Path)
			assert.NotContains(t, r.stderr, srv.Credentials().SecretKey)
		})
	}

	// IAM knows no project of that region: a configuration error that says
	// what IAM listed, and no listing.
	e := serverEnv(srv)
	delete(e, envProjectID)
	e[envIAM] = srv.URL
	before := len(srv.Requests())
	r := runCLI(t, e, "--region", "cn-south-1", "--endpoint", srv.URL)
	assert.Equal(t, exitUsage, r.code, "stderr: %s", r.stderr)
	assert.Contains(t, r.stderr, `missing project ID: IAM lists no project named "cn-south-1"`)
	assert.Contains(t, r.stderr, "hint: set --project-id or "+envProjectID)
	assert.Empty(t, r.stdout)
	reqs := srv.Requests()[before:]
	require.Len(t, reqs, 1)
	assert.Equal(t, "/v3/projects", reqs[0].Path)
}

func TestHelpAndVersion(t *testing.T) {
	r := runCLI(t, env{}, "--version")
	assert.Equal(t, exitOK, r.code)
	assert.Equal(t, "cphimages "+version(debug.ReadBuildInfo)+"\n", r.stdout)
	assert.Equal(t, "cphimages "+cph.Version+"\n", r.stdout, "a test binary records no module version")

	for _, arg := range []string{"-h", "--help"} {
		r = runCLI(t, env{}, arg)
		assert.Equal(t, exitOK, r.code)
		checkGolden(t, "", "help", r.stdout)
		assert.Contains(t, r.stdout, "\n       cphimages SUBCOMMAND [flags] ARGUMENTS...\n")
		for _, sub := range subcommands {
			assert.Regexp(t, `(?m)^  `+regexp.QuoteMeta(sub.synopsis())+` +`+regexp.QuoteMeta(sub.summary)+`$`, r.stdout)
		}
		for _, w := range []string{"Usage: cphimages", "-demo", "-output", envAK, envSK, envToken, envProjectID, envRegion, "Exit status",
			"130 interrupted", "lists nothing, with a warning", "AOSP1 does not match AOSP10", "in any case", "retry"} {
			assert.Contains(t, r.stdout, w)
		}
	}
}

func TestAPIErrors(t *testing.T) {
	tests := map[string]struct {
		prepare func(srv *cphtest.Server, e env) (env, []string)
		want    []string
		hint    bool
	}{
		"wrong secret key": {
			prepare: func(srv *cphtest.Server, e env) (env, []string) {
				e[envSK] = "wrong-secret"
				return e, nil
			},
			want: []string{"401 Unauthorized", cphtest.CodeAuthFailed, "verify aksk signature fail"},
			hint: true,
		},
		"other project": {
			prepare: func(srv *cphtest.Server, e env) (env, []string) {
				return e, []string{"--project-id", "ffffffffffffffffffffffffffffffff"}
			},
			want: []string{"403 Forbidden", cphtest.CodeProjectUnavailable, "The project is unavailable."},
			hint: true,
		},
		"project from the flag wins": {
			prepare: func(srv *cphtest.Server, e env) (env, []string) {
				e[envProjectID] = srv.ProjectID()
				return e, []string{"--project-id", "ffffffffffffffffffffffffffffffff"}
			},
			want: []string{"403 Forbidden"},
			hint: true,
		},
		"injected fault": {
			prepare: func(srv *cphtest.Server, e env) (env, []string) {
				srv.FailNext(1, http.StatusBadRequest, "CPS.0003", "Service internal error.")
				return e, nil
			},
			want: []string{"400 Bad Request", "CPS.0003", "Service internal error."},
		},
		"unknown path": {
			prepare: func(srv *cphtest.Server, e env) (env, []string) {
				return e, []string{"--endpoint", srv.URL + "/wrong"}
			},
			want: []string{"404 Not Found", cphtest.CodeAPINotFound},
		},
	}
	for name, tt := range tests {
		t.Run(name, func(t *testing.T) {
			srv := newServer(t)
			e, args := tt.prepare(srv, serverEnv(srv))
			r := runCLI(t, e, append([]string{"--endpoint", srv.URL}, args...)...)
			assert.Equal(t, exitFailure, r.code, "stderr: %s", r.stderr)
			assert.Empty(t, r.stdout)
			for _, w := range tt.want {
				assert.Contains(t, r.stderr, w)
			}
			reqs := srv.Requests()
			require.NotEmpty(t, reqs)
			assert.Contains(t, r.stderr, "request ID: ", "the request ID is printed")
			assert.Regexp(t, `request ID: [0-9a-f]{32}\n`, r.stderr)
			assert.Equal(t, tt.hint, strings.Contains(r.stderr, "hint:"))
		})
	}
}

func TestNetworkErrors(t *testing.T) {
	closed := cphtest.NewServer()
	e := serverEnv(closed)
	url := closed.URL
	closed.Close()
	r := runCLI(t, e, "--endpoint", url)
	assert.Equal(t, exitFailure, r.code)
	assert.Contains(t, r.stderr, "cphimages: cph: ListPhoneImages")
	assert.Empty(t, r.stdout)

	// A server that never answers, and a short --timeout.
	release := make(chan struct{})
	slow := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		select {
		case <-r.Context().Done():
		case <-release:
		}
	}))
	t.Cleanup(slow.Close)
	t.Cleanup(func() { close(release) })
	r = runCLI(t, e, "--endpoint", slow.URL, "--timeout", "50ms")
	assert.Equal(t, exitFailure, r.code)
	assert.Contains(t, r.stderr, "no answer within --timeout 50ms")
}

func TestFilters(t *testing.T) {
	srv := newServer(t,
		cphtest.WithImages(varied...),
		cphtest.WithSharedImages(cph.PhoneImage{ID: "shared", OSType: "aosp", OSName: "AOSP10.0.0", Visibility: cph.VisibilityPrivate, Label: cph.LabelCloudPhone}),
	)
	tests := map[string]struct {
		args  []string
		query string // the image_type sent
		want  []string
	}{
		"no filter":                {nil, "", []string{"0a1b2c3d4e5f60718293a4b5c6d7e8f9", "ffeeddccbbaa99887766554433221100", "11112222333344445555666677778888", "shared"}},
		"type all":                 {[]string{"--type", "all"}, "all", []string{"0a1b2c3d4e5f60718293a4b5c6d7e8f9", "ffeeddccbbaa99887766554433221100", "11112222333344445555666677778888", "shared"}},
		"type public":              {[]string{"--type", "public"}, "public", []string{"11112222333344445555666677778888"}},
		"type private":             {[]string{"--type=private"}, "private", []string{"0a1b2c3d4e5f60718293a4b5c6d7e8f9"}},
		"type share":               {[]string{"--type", "share"}, "share", []string{"shared"}},
		"label":                    {[]string{"--label", "cloud_game_1620"}, "", []string{"0a1b2c3d4e5f60718293a4b5c6d7e8f9"}},
		"label any case":           {[]string{"--label", "CLOUD_FUTURE"}, "", []string{"ffeeddccbbaa99887766554433221100"}},
		"unknown label":            {[]string{"--label", "nothing"}, "", []string{}},
		"os type":                  {[]string{"--os", "AOSP"}, "", []string{"0a1b2c3d4e5f60718293a4b5c6d7e8f9", "ffeeddccbbaa99887766554433221100", "11112222333344445555666677778888", "shared"}},
		"os name":                  {[]string{"--os", "aosp11"}, "", []string{"11112222333344445555666677778888"}},
		"os name start":            {[]string{"--os", "AOSP10"}, "", []string{"0a1b2c3d4e5f60718293a4b5c6d7e8f9", "shared"}},
		"os at a version boundary": {[]string{"--os", "AOSP1"}, "", []string{}},
		"type any case":            {[]string{"--type", "PUBLIC"}, "public", []string{"11112222333344445555666677778888"}},
		"type mixed case":          {[]string{"--type=Share"}, "share", []string{"shared"}},
		"type and label":           {[]string{"--type", "share", "--label", "cloud_phone"}, "share", []string{"shared"}},
		"label and os":             {[]string{"--label", "cloud_phone", "--os", "AOSP11"}, "", []string{}},
	}
	for name, tt := range tests {
		t.Run(name, func(t *testing.T) {
			r := runCLI(t, serverEnv(srv), append([]string{"--endpoint", srv.URL, "--output", "json"}, tt.args...)...)
			require.Equal(t, exitOK, r.code, "stderr: %s", r.stderr)
			var doc struct {
				RequestID   string           `json:"request_id"`
				PhoneImages []cph.PhoneImage `json:"phone_images"`
			}
			require.NoError(t, json.Unmarshal([]byte(r.stdout), &doc))
			require.NotNil(t, doc.PhoneImages, "an empty list is [], not null")
			ids := []string{}
			for _, img := range doc.PhoneImages {
				ids = append(ids, img.ID)
			}
			assert.Equal(t, tt.want, ids)
			assert.Len(t, doc.RequestID, 32)

			reqs := srv.Requests()
			assert.Equal(t, tt.query, reqs[len(reqs)-1].Query.Get("image_type"))
			// Only a label no image has and the library does not know
			// gets a word.
			assert.Equal(t, name == "unknown label", strings.Contains(r.stderr, "warning:"), r.stderr)
		})
	}
}

func TestTemporaryCredentials(t *testing.T) {
	creds := cph.Credentials{AccessKey: "TEMPACCESSKEY0000001", SecretKey: "temp-secret-key", SecurityToken: "temp-session-token"}
	srv := newServer(t, cphtest.WithCredentials(creds))
	r := runCLI(t, serverEnv(srv), "--endpoint", srv.URL)
	require.Equal(t, exitOK, r.code, r.stderr)
	assert.Contains(t, r.stdout, "20032420200401a60b0003a99684b8ea")
	assert.Equal(t, creds.SecurityToken, srv.Requests()[0].Header.Get("X-Security-Token"))

	// Without the token the server refuses.
	e := serverEnv(srv)
	delete(e, envToken)
	r = runCLI(t, e, "--endpoint", srv.URL)
	assert.Equal(t, exitFailure, r.code)
	assert.Contains(t, r.stderr, "decrypt token fail")
}

func TestVerboseRedactsSecrets(t *testing.T) {
	creds := cph.Credentials{AccessKey: "VERBOSEACCESSKEY0001", SecretKey: "verbose-secret-key-value", SecurityToken: "verbose-session-token-value"}
	for name, wrongSK := range map[string]bool{"success": false, "failure": true} {
		t.Run(name, func(t *testing.T) {
			srv := newServer(t, cphtest.WithCredentials(creds))
			e := serverEnv(srv)
			want := exitOK
			if wrongSK {
				e[envSK] = "verbose-wrong-secret-key"
				want = exitFailure
			}
			r := runCLI(t, e, "--endpoint", srv.URL, "--verbose")
			require.Equal(t, want, r.code, r.stderr)

			assert.Contains(t, r.stderr, "level=DEBUG")
			assert.Contains(t, r.stderr, `msg="cph: request"`)
			assert.Contains(t, r.stderr, "secret_key=[REDACTED]")
			reqs := srv.Requests()
			require.Len(t, reqs, 1)
			a, err := sigv.ParseAuthorization(reqs[0].Header.Get("Authorization"))
			require.NoError(t, err)
			for what, secret := range map[string]string{
				"secret key":     e[envSK],
				"security token": creds.SecurityToken,
				"signature":      a.Signature,
			} {
				assert.NotContains(t, r.stderr, secret, "the %s leaked", what)
				assert.NotContains(t, r.stdout, secret, "the %s leaked", what)
			}
		})
	}
}

func TestEndpointOverridesRegion(t *testing.T) {
	srv := newServer(t)
	e := serverEnv(srv)
	e[envRegion] = "cn-north-4"
	for name, args := range map[string][]string{
		"region from the environment": {"--endpoint", srv.URL},
		"region from the flag":        {"--region", "cn-north-4", "--endpoint", srv.URL},
	} {
		t.Run(name, func(t *testing.T) {
			before := len(srv.Requests())
			r := runCLI(t, e, args...)
			require.Equal(t, exitOK, r.code, r.stderr)
			assert.Len(t, srv.Requests(), before+1, "the request went to the endpoint")
		})
	}
}
