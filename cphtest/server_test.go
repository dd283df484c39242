package cphtest_test

import (
	"encoding/json"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/cph-go/cph"
	"github.com/cph-go/cph/cphtest"
)

func TestServer_ListsTheDocumentedImages(t *testing.T) {
	srv := newServer(t)
	out, err := newClient(t, srv).ListPhoneImages(ctx(t))
	require.NoError(t, err)

	assert.Equal(t, cphtest.DocumentedImages(), out.Images)
	assert.Equal(t, []string{
		"20032420200401a60b0003a99684b8ea",
		"20032120200330a20b000eae5b8c01e6",
		"be4d231e44d2a4ccf612660a473fe1e3",
	}, imageIDs(out.Images))
	assert.Len(t, out.RequestID, 32)

	reqs := srv.Requests()
	require.Len(t, reqs, 1)
	assert.Equal(t, http.MethodGet, reqs[0].Method)
	assert.Equal(t, "/v1/"+cphtest.DefaultProjectID+"/cloud-phone/phone-images", reqs[0].Path)
	assert.Contains(t, reqs[0].Header.Get("Authorization"), "Access="+cphtest.DefaultAccessKey)
	assert.NotEmpty(t, reqs[0].Header.Get("X-Sdk-Date"))
	assert.False(t, reqs[0].Time.IsZero())
}

func TestServer_Defaults(t *testing.T) {
	srv := newServer(t)
	assert.Equal(t, cphtest.DefaultProjectID, srv.ProjectID())
	assert.Equal(t, cph.Credentials{AccessKey: cphtest.DefaultAccessKey, SecretKey: cphtest.DefaultSecretKey}, srv.Credentials())
	assert.True(t, strings.HasPrefix(srv.URL, "http://127.0.0.1:"), srv.URL)
	assert.Len(t, srv.ClientOptions(), 3)

	c := newClient(t, srv)
	assert.Equal(t, srv.URL, c.Endpoint())
	assert.Equal(t, cphtest.DefaultProjectID, c.ProjectID())
}

func TestServer_Options(t *testing.T) {
	creds := cph.Credentials{AccessKey: "OTHERACCESSKEY000001", SecretKey: "other-secret", SecurityToken: "tok"}
	srv := newServer(t,
		cphtest.WithProjectID("aaaabbbbccccddddeeeeffff00001111"),
		cphtest.WithCredentials(creds),
		cphtest.WithImages(),
		nil,
	)
	assert.Equal(t, "aaaabbbbccccddddeeeeffff00001111", srv.ProjectID())
	assert.Equal(t, creds, srv.Credentials())
	assert.Empty(t, srv.Images())

	out, err := newClient(t, srv).ListPhoneImages(ctx(t))
	require.NoError(t, err)
	assert.NotNil(t, out.Images)
	assert.Empty(t, out.Images)

	// Empty values mean the defaults.
	srv = newServer(t, cphtest.WithProjectID(""), cphtest.WithCredentials(cph.Credentials{}), cphtest.WithClock(nil))
	assert.Equal(t, cphtest.DefaultProjectID, srv.ProjectID())
	assert.Equal(t, cphtest.DefaultSecretKey, srv.Credentials().SecretKey)
	_, err = newClient(t, srv).ListPhoneImages(ctx(t))
	assert.NoError(t, err)
}

// The options named as cph's mean what cph's mean: a later one replaces an
// earlier one, whole, and the zero value means not given (the default).
func TestServer_OptionsMeanWhatCphsMean(t *testing.T) {
	creds := cph.Credentials{AccessKey: "OTHERACCESSKEY000001", SecretKey: "other-secret", SecurityToken: "tok"}
	defaults := cph.Credentials{AccessKey: cphtest.DefaultAccessKey, SecretKey: cphtest.DefaultSecretKey}
	const project = "aaaabbbbccccddddeeeeffff00001111"
	tests := map[string]struct {
		opts      []cphtest.Option
		projectID string
		creds     cph.Credentials
		region    string
	}{
		"a later project ID replaces an earlier one": {
			opts:      []cphtest.Option{cphtest.WithProjectID("ffffffffffffffffffffffffffffffff"), cphtest.WithProjectID(project)},
			projectID: project, creds: defaults, region: cphtest.DefaultRegion,
		},
		`"" after a project ID is the default again`: {
			opts:      []cphtest.Option{cphtest.WithProjectID(project), cphtest.WithProjectID("")},
			projectID: cphtest.DefaultProjectID, creds: defaults, region: cphtest.DefaultRegion,
		},
		"credentials replace the defaults whole": {
			opts:      []cphtest.Option{cphtest.WithCredentials(cph.Credentials{AccessKey: "ONLYANACCESSKEY00001"})},
			projectID: cphtest.DefaultProjectID, creds: cph.Credentials{AccessKey: "ONLYANACCESSKEY00001"}, region: cphtest.DefaultRegion,
		},
		"a token alone is not merged into the default AK/SK": {
			opts:      []cphtest.Option{cphtest.WithCredentials(cph.Credentials{SecurityToken: "tok"})},
			projectID: cphtest.DefaultProjectID, creds: cph.Credentials{SecurityToken: "tok"}, region: cphtest.DefaultRegion,
		},
		"later credentials replace earlier ones whole": {
			opts:      []cphtest.Option{cphtest.WithCredentials(creds), cphtest.WithCredentials(cph.Credentials{AccessKey: "A", SecretKey: "S"})},
			projectID: cphtest.DefaultProjectID, creds: cph.Credentials{AccessKey: "A", SecretKey: "S"}, region: cphtest.DefaultRegion,
		},
		"zero credentials after others are the defaults again": {
			opts:      []cphtest.Option{cphtest.WithCredentials(creds), cphtest.WithCredentials(cph.Credentials{})},
			projectID: cphtest.DefaultProjectID, creds: defaults, region: cphtest.DefaultRegion,
		},
		`"" after a region is the default again`: {
			opts:      []cphtest.Option{cphtest.WithRegion("ap-southeast-1"), cphtest.WithRegion("")},
			projectID: cphtest.DefaultProjectID, creds: defaults, region: cphtest.DefaultRegion,
		},
	}
	for name, tt := range tests {
		t.Run(name, func(t *testing.T) {
			srv := newServer(t, tt.opts...)
			assert.Equal(t, tt.projectID, srv.ProjectID())
			assert.Equal(t, tt.creds, srv.Credentials())
			assert.Equal(t, tt.region, srv.Region())
		})
	}

	// Credentials cph refuses make a client of the server refuse them
	// alike.
	for _, partial := range []cph.Credentials{{AccessKey: "ONLYANACCESSKEY00001"}, {SecurityToken: "tok"}} {
		srv := newServer(t, cphtest.WithCredentials(partial))
		_, err := cph.NewClient(srv.ClientOptions()...)
		assert.ErrorIs(t, err, cph.ErrMissingCredentials)
		_, cphErr := cph.NewClient(cph.WithEndpoint(srv.URL), cph.WithProjectID(srv.ProjectID()), cph.WithCredentials(partial))
		require.Error(t, cphErr)
		assert.Equal(t, cphErr.Error(), err.Error())
	}

	// A nil clock after another is time.Now again.
	srv := newServer(t, cphtest.WithClock(func() time.Time { return time.Now().Add(time.Hour) }), cphtest.WithClock(nil))
	_, err := newClient(t, srv, cph.WithMaxAttempts(1)).ListPhoneImages(ctx(t))
	assert.NoError(t, err, "signed with this machine's clock, accepted at once")
}

// catalogue is a server's images for the filter tests.
var (
	publicImage  = cph.PhoneImage{ID: "pub", Name: "public", OSType: "aosp", OSName: "AOSP10", Visibility: cph.VisibilityPublic, Label: cph.LabelCloudPhone}
	privateImage = cph.PhoneImage{ID: "priv", Name: "private", OSType: "aosp", OSName: "AOSP11", Visibility: cph.VisibilityPrivate, Label: cph.LabelCloudGame1620, SupportsEncryption: true}
	oddImage     = cph.PhoneImage{ID: "odd", Name: "odd", OSType: "aosp", OSName: "AOSP12", Visibility: 7, Label: "future_label"}
	sharedPriv   = cph.PhoneImage{ID: "shared-priv", Name: "shared", OSType: "aosp", OSName: "AOSP10", Visibility: cph.VisibilityPrivate, Label: cph.LabelCloudPhone1620}
	sharedPub    = cph.PhoneImage{ID: "shared-pub", Name: "shared", OSType: "aosp", OSName: "AOSP10", Visibility: cph.VisibilityPublic, Label: cph.LabelQemuPhone}
)

func TestServer_ImageTypeFilter(t *testing.T) {
	srv := newServer(t,
		cphtest.WithImages(publicImage, privateImage, oddImage),
		cphtest.WithSharedImages(sharedPriv, sharedPub),
	)
	client := newClient(t, srv)
	tests := map[string]struct {
		imageType cph.ImageType
		want      []string
	}{
		"absent":  {"", []string{"pub", "priv", "odd", "shared-priv", "shared-pub"}},
		"all":     {cph.ImageTypeAll, []string{"pub", "priv", "odd", "shared-priv", "shared-pub"}},
		"public":  {cph.ImageTypePublic, []string{"pub"}},
		"private": {cph.ImageTypePrivate, []string{"priv"}},
		"share":   {cph.ImageTypeShared, []string{"shared-priv", "shared-pub"}},
	}
	for name, tt := range tests {
		t.Run(name, func(t *testing.T) {
			out, err := client.ListPhoneImages(ctx(t), cph.WithImageType(tt.imageType))
			require.NoError(t, err)
			assert.Equal(t, tt.want, imageIDs(out.Images))
			last := srv.Requests()[len(srv.Requests())-1]
			assert.Equal(t, string(tt.imageType), last.Query.Get("image_type"))
		})
	}

	// The whole image comes back as seeded, unknown values included.
	out, err := client.ListPhoneImages(ctx(t), cph.WithImageType(cph.ImageTypePrivate))
	require.NoError(t, err)
	assert.Equal(t, []cph.PhoneImage{privateImage}, out.Images)
}

func TestServer_NoSharedImagesByDefault(t *testing.T) {
	srv := newServer(t)
	out, err := newClient(t, srv).ListPhoneImages(ctx(t), cph.WithImageType(cph.ImageTypeShared))
	require.NoError(t, err)
	assert.Empty(t, out.Images)
}

func TestServer_UnknownImageType(t *testing.T) {
	srv := newServer(t)
	for _, value := range []string{"bogus", "PUBLIC", "1"} {
		t.Run(value, func(t *testing.T) {
			status, header, body := rawRequest{
				path:  imagesPath,
				query: url.Values{"image_type": {value}},
				creds: srv.Credentials(),
			}.do(t, srv)
			assert.Equal(t, http.StatusBadRequest, status)
			e := requireError(t, header, body)
			assert.Equal(t, cphtest.CodeInvalidImageType, e.Code)
			assert.Equal(t, "Parameter: image_type is invalid.", e.Message)
		})
	}
}

func TestServer_SetImages(t *testing.T) {
	srv := newServer(t)
	srv.SetImages(privateImage)
	srv.SetSharedImages(sharedPub)
	assert.Equal(t, []cph.PhoneImage{privateImage, sharedPub}, srv.Images())

	out, err := newClient(t, srv).ListPhoneImages(ctx(t))
	require.NoError(t, err)
	assert.Equal(t, []string{"priv", "shared-pub"}, imageIDs(out.Images))

	// The server keeps its own copies.
	images := []cph.PhoneImage{publicImage}
	srv.SetImages(images...)
	images[0].ID = "changed"
	got := srv.Images()
	got[0].ID = "changed too"
	assert.Equal(t, []cph.PhoneImage{publicImage, sharedPub}, srv.Images())

	srv.SetImages()
	srv.SetSharedImages()
	assert.Empty(t, srv.Images())
}

func TestServer_FailNext(t *testing.T) {
	srv := newServer(t)
	client := newClient(t, srv)
	srv.FailNext(2, http.StatusForbidden, "APIGW.0306", "API access denied.")

	for i := range 2 {
		_, err := client.ListPhoneImages(ctx(t))
		apiErr := requireAPIError(t, err)
		assert.Equal(t, http.StatusForbidden, apiErr.StatusCode, "call %d", i)
		assert.Equal(t, "APIGW.0306", apiErr.Code)
		assert.Equal(t, "API access denied.", apiErr.Message)
		assert.Len(t, apiErr.RequestID, 32)
	}
	out, err := client.ListPhoneImages(ctx(t))
	require.NoError(t, err, "the server recovers after n failures")
	assert.Len(t, out.Images, 3)
	assert.Len(t, srv.Requests(), 3)

	// A fault comes before routing and signature checks, as a gateway's does.
	srv.FailNext(1, http.StatusServiceUnavailable, "APIGW.0201", "Backend unavailable.")
	status, header, body := rawRequest{path: "/nowhere", unsigned: true}.do(t, srv)
	assert.Equal(t, http.StatusServiceUnavailable, status)
	assert.Equal(t, "APIGW.0201", requireError(t, header, body).Code)

	// A later call replaces an earlier one, and n <= 0 cancels.
	srv.FailNext(5, http.StatusInternalServerError, "CPS.0003", "Service internal error.")
	srv.FailNext(0, http.StatusInternalServerError, "CPS.0003", "Service internal error.")
	_, err = client.ListPhoneImages(ctx(t))
	assert.NoError(t, err)
	srv.FailNext(-1, http.StatusInternalServerError, "", "")
	_, err = client.ListPhoneImages(ctx(t))
	assert.NoError(t, err)
}

func TestServer_UnknownPath(t *testing.T) {
	srv := newServer(t)
	tests := map[string]rawRequest{
		"other path":      {path: "/v1/{project_id}/cloud-phone/phones"},
		"trailing slash":  {path: imagesPath + "/"},
		"other method":    {method: http.MethodPost, path: imagesPath},
		"root":            {path: "/"},
		"unclean path":    {path: "/v1//cloud-phone/phone-images"},
		"dot segments":    {path: "/v1/x/../{project_id}/cloud-phone/phone-images"},
		"unsigned":        {path: "/v1/{project_id}/cloud-phone/servers", unsigned: true},
		"unsigned method": {method: http.MethodDelete, path: imagesPath, unsigned: true},
	}
	for name, req := range tests {
		t.Run(name, func(t *testing.T) {
			req.creds = srv.Credentials()
			status, header, body := req.do(t, srv)
			assert.Equal(t, http.StatusNotFound, status)
			e := requireError(t, header, body)
			assert.Equal(t, cphtest.CodeAPINotFound, e.Code)
			assert.Contains(t, e.Message, "does not exist")
		})
	}

	_, err := newClient(t, srv, cph.WithEndpoint(srv.URL+"/prefix")).ListPhoneImages(ctx(t))
	apiErr := requireAPIError(t, err)
	assert.True(t, cph.IsNotFound(err))
	assert.Equal(t, cphtest.CodeAPINotFound, apiErr.Code)
}

func TestServer_OtherProject(t *testing.T) {
	srv := newServer(t)
	const other = "ffffffffffffffffffffffffffffffff"

	_, err := newClient(t, srv, cph.WithProjectID(other)).ListPhoneImages(ctx(t))
	apiErr := requireAPIError(t, err)
	assert.Equal(t, http.StatusForbidden, apiErr.StatusCode)
	assert.Equal(t, cphtest.CodeProjectUnavailable, apiErr.Code)
	assert.Equal(t, "The project is unavailable.", apiErr.Message)
	assert.True(t, cph.IsAuthError(err))

	// The path names another project while X-Project-Id names the server's.
	status, header, body := rawRequest{path: "/v1/" + other + "/cloud-phone/phone-images", creds: srv.Credentials()}.do(t, srv)
	assert.Equal(t, http.StatusForbidden, status)
	assert.Equal(t, cphtest.CodeProjectUnavailable, requireError(t, header, body).Code)
}

func TestServer_RequestIDs(t *testing.T) {
	srv := newServer(t)
	client := newClient(t, srv)
	seen := map[string]bool{}
	for range 3 {
		status, header, body := rawRequest{path: imagesPath, creds: srv.Credentials()}.do(t, srv)
		require.Equal(t, http.StatusOK, status)
		var doc struct {
			RequestID   string            `json:"request_id"`
			PhoneImages []json.RawMessage `json:"phone_images"`
		}
		require.NoError(t, json.Unmarshal(body, &doc))
		assert.Len(t, doc.PhoneImages, 3)
		assert.Equal(t, header.Get("X-Request-Id"), doc.RequestID)
		assert.Regexp(t, "^[0-9a-f]{32}$", doc.RequestID)
		assert.Equal(t, "application/json", header.Get("Content-Type"))
		seen[doc.RequestID] = true
	}
	assert.Len(t, seen, 3, "every answer has its own request ID")

	// The same sequence of IDs in every server, so outputs can be pinned.
	other := newServer(t)
	out1, err := newClient(t, other).ListPhoneImages(ctx(t))
	require.NoError(t, err)
	assert.True(t, seen[out1.RequestID])
	_, err = client.ListPhoneImages(ctx(t))
	require.NoError(t, err)
}

func TestServer_Requests(t *testing.T) {
	at := time.Now().Add(-time.Minute).Round(0) // within the allowed skew of the client's clock
	srv := newServer(t, cphtest.WithClock(func() time.Time { return at }))
	client := newClient(t, srv, cph.WithUserAgent("requests-test"))
	_, err := client.ListPhoneImages(ctx(t), cph.WithImageType(cph.ImageTypePublic))
	require.NoError(t, err)
	status, _, _ := rawRequest{method: http.MethodPut, path: "/x", unsigned: true}.do(t, srv)
	require.Equal(t, http.StatusNotFound, status)

	reqs := srv.Requests()
	require.Len(t, reqs, 2)
	assert.Equal(t, url.Values{"image_type": {"public"}}, reqs[0].Query)
	assert.Contains(t, reqs[0].Header.Get("User-Agent"), "requests-test")
	assert.Equal(t, cphtest.DefaultProjectID, reqs[0].Header.Get("X-Project-Id"))
	assert.Equal(t, at, reqs[0].Time)
	assert.Equal(t, http.MethodPut, reqs[1].Method)
	assert.Equal(t, "/x", reqs[1].Path)

	// Callers get copies.
	reqs[0].Header.Set("User-Agent", "changed")
	reqs[0].Query.Set("image_type", "changed")
	again := srv.Requests()
	assert.Contains(t, again[0].Header.Get("User-Agent"), "requests-test")
	assert.Equal(t, "public", again[0].Query.Get("image_type"))
}

func TestServer_DateHeaderFromItsClock(t *testing.T) {
	at := time.Date(2030, 1, 2, 3, 4, 5, 0, time.FixedZone("UTC+8", 8*3600))
	srv := newServer(t, cphtest.WithClock(func() time.Time { return at }))
	for name, req := range map[string]rawRequest{
		"success": {path: imagesPath, creds: srv.Credentials(), date: at},
		"error":   {path: "/x", creds: srv.Credentials(), date: at},
	} {
		t.Run(name, func(t *testing.T) {
			_, header, _ := req.do(t, srv)
			assert.Equal(t, "Tue, 01 Jan 2030 19:04:05 GMT", header.Get("Date"))
		})
	}
}
