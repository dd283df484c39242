package cphtest_test

import (
	"net/http"
	"testing"

	"github.com/huaweicloud/huaweicloud-sdk-go-v3/core/auth/basic"
	"github.com/huaweicloud/huaweicloud-sdk-go-v3/core/sdkerr"
	cphv1 "github.com/huaweicloud/huaweicloud-sdk-go-v3/services/cph/v1"
	"github.com/huaweicloud/huaweicloud-sdk-go-v3/services/cph/v1/model"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/cph-go/cph"
	"github.com/cph-go/cph/cphtest"
	"github.com/cph-go/cph/internal/sigv"
)

// officialClient returns the official SDK's CPH client for srv, signing
// with creds.
func officialClient(t *testing.T, srv *cphtest.Server, creds cph.Credentials) *cphv1.CphClient {
	t.Helper()
	b := basic.NewCredentialsBuilder().
		WithAk(creds.AccessKey).
		WithSk(creds.SecretKey).
		WithProjectId(srv.ProjectID())
	if creds.SecurityToken != "" {
		b = b.WithSecurityToken(creds.SecurityToken)
	}
	cred, err := b.SafeBuild()
	require.NoError(t, err)
	hc, err := cphv1.CphClientBuilder().
		WithEndpoints([]string{srv.URL}).
		WithCredential(cred).
		SafeBuild()
	require.NoError(t, err)
	return cphv1.NewCphClient(hc)
}

func TestOfficialSDK_Accepted(t *testing.T) {
	srv := newServer(t)
	resp, err := officialClient(t, srv, srv.Credentials()).ListCloudPhoneImages(&model.ListCloudPhoneImagesRequest{})
	require.NoError(t, err)
	assert.Equal(t, http.StatusOK, resp.HttpStatusCode)
	require.NotNil(t, resp.RequestId)
	assert.Len(t, *resp.RequestId, 32)
	require.NotNil(t, resp.PhoneImages)

	want := cphtest.DocumentedImages()
	require.Len(t, *resp.PhoneImages, len(want))
	for i, img := range *resp.PhoneImages {
		require.NotNil(t, img.ImageId)
		assert.Equal(t, want[i].ID, *img.ImageId)
		assert.Equal(t, want[i].Name, *img.ImageName)
		assert.Equal(t, want[i].OSType, *img.OsType)
		assert.Equal(t, want[i].OSName, *img.OsName)
		assert.Equal(t, int32(want[i].Visibility), *img.IsPublic)
		assert.Equal(t, string(want[i].Label), *img.ImageLabel)
	}

	// The official client signs other headers than ours (not Host), and the
	// server verifies whatever SignedHeaders lists.
	reqs := srv.Requests()
	require.Len(t, reqs, 1)
	a, err := sigv.ParseAuthorization(reqs[0].Header.Get("Authorization"))
	require.NoError(t, err)
	assert.Contains(t, a.SignedHeaders, "x-sdk-date")
	assert.Contains(t, a.SignedHeaders, "x-project-id")
	assert.NotContains(t, a.SignedHeaders, "host")
}

func TestOfficialSDK_ImageTypeAndToken(t *testing.T) {
	creds := cph.Credentials{AccessKey: "TEMPACCESSKEY0000001", SecretKey: "temp-secret", SecurityToken: "session-token-value"}
	srv := newServer(t,
		cphtest.WithCredentials(creds),
		cphtest.WithImages(publicImage, privateImage),
		cphtest.WithSharedImages(sharedPub),
	)
	client := officialClient(t, srv, creds)
	for name, tt := range map[string]struct {
		imageType string
		want      []string
	}{
		"private": {"private", []string{"priv"}},
		"share":   {"share", []string{"shared-pub"}},
		"all":     {"all", []string{"pub", "priv", "shared-pub"}},
	} {
		t.Run(name, func(t *testing.T) {
			imageType := tt.imageType
			resp, err := client.ListCloudPhoneImages(&model.ListCloudPhoneImagesRequest{ImageType: &imageType})
			require.NoError(t, err)
			require.NotNil(t, resp.PhoneImages)
			var ids []string
			for _, img := range *resp.PhoneImages {
				ids = append(ids, *img.ImageId)
			}
			assert.Equal(t, tt.want, ids)
		})
	}
	for _, r := range srv.Requests() {
		assert.Equal(t, creds.SecurityToken, r.Header.Get("X-Security-Token"))
	}
}

func TestOfficialSDK_WrongSecretKeyRejected(t *testing.T) {
	srv := newServer(t)
	wrong := srv.Credentials()
	wrong.SecretKey = "not-the-secret-key"
	_, err := officialClient(t, srv, wrong).ListCloudPhoneImages(&model.ListCloudPhoneImagesRequest{})
	require.Error(t, err)

	var sre *sdkerr.ServiceResponseError
	require.ErrorAs(t, err, &sre)
	assert.Equal(t, http.StatusUnauthorized, sre.StatusCode)
	assert.Equal(t, cphtest.CodeAuthFailed, sre.ErrorCode)
	assert.Contains(t, sre.ErrorMessage, "verify aksk signature fail")
	assert.Len(t, sre.RequestId, 32)
}

func TestOfficialSDK_OtherProjectRejected(t *testing.T) {
	srv := newServer(t)
	// The right keys, for a project the server does not serve.
	cred, err := basic.NewCredentialsBuilder().
		WithAk(srv.Credentials().AccessKey).
		WithSk(srv.Credentials().SecretKey).
		WithProjectId("ffffffffffffffffffffffffffffffff").
		SafeBuild()
	require.NoError(t, err)
	hc, err := cphv1.CphClientBuilder().WithEndpoints([]string{srv.URL}).WithCredential(cred).SafeBuild()
	require.NoError(t, err)
	_, err = cphv1.NewCphClient(hc).ListCloudPhoneImages(&model.ListCloudPhoneImagesRequest{})

	var sre *sdkerr.ServiceResponseError
	require.ErrorAs(t, err, &sre)
	assert.Equal(t, http.StatusForbidden, sre.StatusCode)
	assert.Equal(t, cphtest.CodeProjectUnavailable, sre.ErrorCode)
}
