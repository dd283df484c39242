package main

import (
	"bytes"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/cph-go/cph/cphtest"
)

// isolate clears every HUAWEICLOUD_SDK_ variable for the test, points the
// profile file at a path that does not exist (nothing of the machine's own
// configuration leaks in), then sets env.
func isolate(t *testing.T, env map[string]string) {
	t.Helper()
	for _, kv := range os.Environ() {
		if name, _, _ := strings.Cut(kv, "="); strings.HasPrefix(name, "HUAWEICLOUD_SDK_") {
			t.Setenv(name, "")
		}
	}
	t.Setenv("HUAWEICLOUD_SDK_CREDENTIALS_FILE", filepath.Join(t.TempDir(), "no-such-credentials"))
	for k, v := range env {
		t.Setenv(k, v)
	}
}

func writeProfile(t *testing.T, content string) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "credentials")
	require.NoError(t, os.WriteFile(path, []byte(content), 0o600))
	return path
}

func TestRun(t *testing.T) {
	sample, err := os.ReadFile("../../testdata/list_phone_images.json")
	require.NoError(t, err)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Header.Get("X-Project-Id") != "p1" {
			w.WriteHeader(http.StatusUnauthorized)
			_, _ = w.Write([]byte(`{"error_code":"APIGW.0301","error_msg":"verify aksk signature fail","request_id":"r9"}`))
			return
		}
		_, _ = w.Write(sample)
	}))
	defer srv.Close()

	full := map[string]string{"HUAWEICLOUD_SDK_AK": "AKEXAMPLE", "HUAWEICLOUD_SDK_SK": "secret-sk", "HUAWEICLOUD_SDK_PROJECT_ID": "p1"}
	tests := map[string]struct {
		args       []string
		env        map[string]string
		profile    string // the profile file's content, if any
		wantCode   int
		wantStdout []string
		wantStderr []string
	}{
		"lists images": {
			args: []string{"-endpoint", srv.URL}, env: full, wantCode: 0,
			wantStdout: []string{"20032420200401a60b0003a99684b8ea  AOSP         AOSP7.1.1  cloud_game       public", "be4d231e44d2a4ccf612660a473fe1e3"},
			wantStderr: []string{"3 images (request id 5aac6ab146ba76e5b12a3d00a03a9869)"},
		},
		"from the profile file": {
			args: []string{"-endpoint", srv.URL}, profile: "[basic]\nak = AKEXAMPLE\nsk = secret-sk\nproject_id = p1\n", wantCode: 0,
			wantStdout: []string{"be4d231e44d2a4ccf612660a473fe1e3"},
		},
		"nothing set": {
			wantCode:   2,
			wantStderr: []string{"missing credentials", "HUAWEICLOUD_SDK_AK", "HUAWEICLOUD_SDK_CREDENTIALS_FILE", "HUAWEICLOUD_SDK_PROJECT_ID", "HUAWEICLOUD_SDK_REGION (or -region)"},
		},
		"bad region": {
			args: []string{"-region", "north pole"}, env: full, wantCode: 2,
			wantStderr: []string{"invalid endpoint"},
		},
		"refused": {
			args:       []string{"-endpoint", srv.URL},
			env:        map[string]string{"HUAWEICLOUD_SDK_AK": "AKEXAMPLE", "HUAWEICLOUD_SDK_SK": "secret-sk", "HUAWEICLOUD_SDK_PROJECT_ID": "p2"},
			wantCode:   1,
			wantStderr: []string{"check HUAWEICLOUD_SDK_AK", "401 APIGW.0301: verify aksk signature fail (request id r9)"},
		},
		"bad flag": {args: []string{"-nope"}, env: full, wantCode: 2, wantStderr: []string{"flag provided but not defined"}},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			isolate(t, tc.env)
			if tc.profile != "" {
				t.Setenv("HUAWEICLOUD_SDK_CREDENTIALS_FILE", writeProfile(t, tc.profile))
			}
			var stdout, stderr bytes.Buffer
			code := run(tc.args, &stdout, &stderr)
			assert.Equal(t, tc.wantCode, code, stderr.String())
			for _, s := range tc.wantStdout {
				assert.Contains(t, stdout.String(), s)
			}
			for _, s := range tc.wantStderr {
				assert.Contains(t, stderr.String(), s)
			}
			assert.NotContains(t, stdout.String()+stderr.String(), "secret-sk")
		})
	}
}

func TestRunDiscoversProjectID(t *testing.T) {
	srv := cphtest.NewServer()
	defer srv.Close()
	creds := srv.Credentials()
	isolate(t, map[string]string{
		"HUAWEICLOUD_SDK_AK":           creds.AccessKey,
		"HUAWEICLOUD_SDK_SK":           creds.SecretKey,
		"HUAWEICLOUD_SDK_IAM_ENDPOINT": srv.URL,
	})
	var stdout, stderr bytes.Buffer
	code := run([]string{"-region", srv.Region(), "-endpoint", srv.URL}, &stdout, &stderr)
	require.Equal(t, 0, code, stderr.String())
	assert.Contains(t, stdout.String(), "be4d231e44d2a4ccf612660a473fe1e3")

	reqs := srv.Requests()
	require.Len(t, reqs, 2, "one IAM request, then the listing")
	assert.Equal(t, "/v3/projects", reqs[0].Path)
	assert.Equal(t, "/v1/"+srv.ProjectID()+"/cloud-phone/phone-images", reqs[1].Path)
}
