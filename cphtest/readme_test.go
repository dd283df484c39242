package cphtest_test

import (
	"errors"
	"net/http"
	"net/url"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/cph-go/cph"
	"github.com/cph-go/cph/cphtest"
)

// README: "It answers as the real service does (a wrong key or signature
// gets 401 APIGW.0301, an unknown path 404 APIGW.0101, another project's ID
// 403 APIGW.0310)", with the codes spelled as the README spells them (the
// other tests compare with the package's constants).
func TestREADME_AnswersAsTheRealService(t *testing.T) {
	srv := newServer(t)
	tests := map[string]struct {
		opts       []cph.Option
		wantStatus int
		wantCode   string
	}{
		"wrong secret key": {
			opts:       []cph.Option{cph.WithCredentials(cph.Credentials{AccessKey: srv.Credentials().AccessKey, SecretKey: "not-the-secret-key-0123"})},
			wantStatus: http.StatusUnauthorized, wantCode: "APIGW.0301",
		},
		"wrong access key": {
			opts:       []cph.Option{cph.WithCredentials(cph.Credentials{AccessKey: "NOTTHEACCESSKEY00001", SecretKey: srv.Credentials().SecretKey})},
			wantStatus: http.StatusUnauthorized, wantCode: "APIGW.0301",
		},
		"unknown path":  {opts: []cph.Option{cph.WithEndpoint(srv.URL + "/prefix")}, wantStatus: http.StatusNotFound, wantCode: "APIGW.0101"},
		"other project": {opts: []cph.Option{cph.WithProjectID("ffffffffffffffffffffffffffffffff")}, wantStatus: http.StatusForbidden, wantCode: "APIGW.0310"},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			_, err := newClient(t, srv, append(tc.opts, cph.WithMaxAttempts(1))...).ListPhoneImages(ctx(t))
			var apiErr *cph.APIError
			require.True(t, errors.As(err, &apiErr), "%v", err)
			assert.Equal(t, tc.wantStatus, apiErr.StatusCode)
			assert.Equal(t, tc.wantCode, apiErr.Code)
		})
	}
}

// The README's test snippet, as it reads: the server is on 127.0.0.1,
// serves the images given, FailNext fails the next request with what it is
// told, and Requests is what it received.
func TestREADME_TestingSnippet(t *testing.T) {
	srv := cphtest.NewServer(cphtest.WithImages(
		cph.PhoneImage{ID: "img1", Visibility: cph.VisibilityPrivate, Label: cph.LabelCloudPhone},
	))
	defer srv.Close()
	u, err := url.Parse(srv.URL)
	require.NoError(t, err)
	assert.Equal(t, "127.0.0.1", u.Hostname(), "a fake CPH endpoint on 127.0.0.1")

	client, err := cph.NewClient(srv.ClientOptions()...) // endpoint, project ID, demo AK/SK
	require.NoError(t, err)
	assert.Equal(t, srv.URL, client.Endpoint())
	assert.Equal(t, srv.ProjectID(), client.ProjectID())

	out, err := client.ListPhoneImages(ctx(t))
	require.NoError(t, err)
	require.Len(t, out.Images, 1)
	assert.Equal(t, "img1", out.Images[0].ID)

	srv.FailNext(1, http.StatusForbidden, "APIGW.0306", "API access denied.") // the next request fails
	_, err = client.ListPhoneImages(ctx(t))
	var apiErr *cph.APIError
	require.True(t, errors.As(err, &apiErr), "%v", err)
	assert.Equal(t, http.StatusForbidden, apiErr.StatusCode)
	assert.Equal(t, "APIGW.0306", apiErr.Code)
	assert.Equal(t, "API access denied.", apiErr.Message)
	assert.True(t, cph.IsAuthError(err))

	_, err = client.ListPhoneImages(ctx(t))
	require.NoError(t, err, "only the next request fails")
	assert.Len(t, srv.Requests(), 3, "srv.Requests() is what it received")
}
