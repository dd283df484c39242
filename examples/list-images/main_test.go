package main

import (
	"bytes"
	"net/http"
	"net/http/httptest"
	"os"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

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

	env := func(m map[string]string) func(string) string { return func(k string) string { return m[k] } }
	full := map[string]string{"HUAWEICLOUD_SDK_AK": "AKEXAMPLE", "HUAWEICLOUD_SDK_SK": "secret-sk", "HUAWEICLOUD_SDK_PROJECT_ID": "p1"}
	tests := map[string]struct {
		args       []string
		env        map[string]string
		wantCode   int
		wantStdout []string
		wantStderr []string
	}{
		"lists images": {
			args: []string{"-endpoint", srv.URL}, env: full, wantCode: 0,
			wantStdout: []string{"20032420200401a60b0003a99684b8ea  AOSP         AOSP7.1.1  cloud_game       public", "be4d231e44d2a4ccf612660a473fe1e3"},
			wantStderr: []string{"3 images (request id 5aac6ab146ba76e5b12a3d00a03a9869)"},
		},
		"nothing set": {
			wantCode:   2,
			wantStderr: []string{"set HUAWEICLOUD_SDK_AK, HUAWEICLOUD_SDK_SK, HUAWEICLOUD_SDK_PROJECT_ID, HUAWEICLOUD_SDK_REGION (or -region)"},
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
			var stdout, stderr bytes.Buffer
			code := run(tc.args, env(tc.env), &stdout, &stderr)
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
