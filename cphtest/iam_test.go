package cphtest_test

import (
	"encoding/json"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/cph-go/cph"
	"github.com/cph-go/cph/cphtest"
)

func TestIAM_ClientDiscoversProjectID(t *testing.T) {
	srv := newServer(t)
	c, err := cph.NewClient(srv.DiscoveryOptions()...)
	require.NoError(t, err)
	assert.Equal(t, "", c.ProjectID())

	out, err := c.ListPhoneImages(ctx(t))
	require.NoError(t, err)
	assert.Equal(t, cphtest.DocumentedImages(), out.Images)
	assert.Equal(t, cphtest.DefaultProjectID, c.ProjectID())

	reqs := srv.Requests()
	require.Len(t, reqs, 2)
	assert.Equal(t, "/v3/projects", reqs[0].Path)
	assert.Equal(t, url.Values{"name": {cphtest.DefaultRegion}}, reqs[0].Query)
	assert.Empty(t, reqs[0].Header.Get("X-Project-Id"))
	assert.Equal(t, "/v1/"+cphtest.DefaultProjectID+"/cloud-phone/phone-images", reqs[1].Path)

	_, err = c.ListPhoneImages(ctx(t))
	require.NoError(t, err)
	assert.Len(t, srv.Requests(), 3, "discovered once")
}

func TestIAM_Options(t *testing.T) {
	const project = "aaaabbbbccccddddeeeeffff00001111"
	creds := cph.Credentials{AccessKey: "OTHERACCESSKEY000001", SecretKey: "other-secret", SecurityToken: "tok"}
	srv := newServer(t, cphtest.WithRegion("ap-southeast-1"), cphtest.WithProjectID(project), cphtest.WithCredentials(creds))
	assert.Equal(t, "ap-southeast-1", srv.Region())
	c, err := cph.NewClient(append(srv.DiscoveryOptions(), cph.WithSigningAlgorithm(cph.SigningHMACSM3))...)
	require.NoError(t, err)
	assert.Equal(t, "ap-southeast-1", c.Region())
	_, err = c.ListPhoneImages(ctx(t))
	require.NoError(t, err, "SM3 and a security token are verified on the IAM route too")
	assert.Equal(t, project, c.ProjectID())
	assert.True(t, strings.HasPrefix(srv.Requests()[0].Header.Get("Authorization"), "SDK-HMAC-SM3 "))
}

func TestIAM_ListProjects(t *testing.T) {
	srv := newServer(t)
	tests := map[string]struct {
		query   url.Values
		wantIDs []string
	}{
		"by region name": {query: url.Values{"name": {cphtest.DefaultRegion}}, wantIDs: []string{cphtest.DefaultProjectID}},
		"another name":   {query: url.Values{"name": {"cn-east-3"}}, wantIDs: []string{}},
		"no name":        {query: nil, wantIDs: []string{cphtest.DefaultProjectID}},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			status, _, body := rawRequest{path: "/v3/projects", query: tc.query, creds: srv.Credentials()}.do(t, srv)
			require.Equal(t, http.StatusOK, status, "%s", body)
			var got struct {
				Projects []struct {
					ID       string `json:"id"`
					Name     string `json:"name"`
					DomainID string `json:"domain_id"`
					Enabled  bool   `json:"enabled"`
				} `json:"projects"`
				Links struct {
					Self string `json:"self"`
				} `json:"links"`
			}
			require.NoError(t, json.Unmarshal(body, &got))
			ids := []string{}
			for _, p := range got.Projects {
				ids = append(ids, p.ID)
				assert.Equal(t, cphtest.DefaultRegion, p.Name)
				assert.NotEmpty(t, p.DomainID)
				assert.True(t, p.Enabled)
			}
			assert.Equal(t, tc.wantIDs, ids)
			assert.True(t, strings.HasSuffix(got.Links.Self, "/v3/projects"), got.Links.Self)
		})
	}
}

func TestIAM_Errors(t *testing.T) {
	t.Run("unsigned", func(t *testing.T) {
		srv := newServer(t)
		status, header, body := rawRequest{path: "/v3/projects", unsigned: true}.do(t, srv)
		assert.Equal(t, http.StatusUnauthorized, status)
		assert.Equal(t, cphtest.CodeAuthFailed, requireError(t, header, body).Code)
	})
	t.Run("wrong key", func(t *testing.T) {
		srv := newServer(t)
		c, err := cph.NewClient(append(srv.DiscoveryOptions(), cph.WithCredentials(cph.Credentials{AccessKey: cphtest.DefaultAccessKey, SecretKey: "wrong"}))...)
		require.NoError(t, err)
		_, err = c.ListPhoneImages(ctx(t))
		apiErr := requireAPIError(t, err)
		assert.Equal(t, "KeystoneListProjects", apiErr.Operation)
		assert.Equal(t, cphtest.CodeAuthFailed, apiErr.Code)
		assert.True(t, cph.IsAuthError(err))
	})
	t.Run("injected fault", func(t *testing.T) {
		srv := newServer(t)
		srv.FailNext(1, http.StatusForbidden, "IAM.0002", "forbidden by the test")
		c, err := cph.NewClient(srv.DiscoveryOptions()...)
		require.NoError(t, err)
		_, err = c.ListPhoneImages(ctx(t))
		apiErr := requireAPIError(t, err)
		assert.Equal(t, http.StatusForbidden, apiErr.StatusCode)
		assert.Equal(t, "IAM.0002", apiErr.Code)
		_, err = c.ListPhoneImages(ctx(t))
		require.NoError(t, err, "the failure is not kept")
		assert.Equal(t, cphtest.DefaultProjectID, c.ProjectID())
	})
	t.Run("a 503 is retried like any call", func(t *testing.T) {
		srv := newServer(t)
		srv.FailNext(1, http.StatusServiceUnavailable, "APIGW.0201", "busy")
		c, err := cph.NewClient(append(srv.DiscoveryOptions(), cph.WithBackoff(0, 0))...)
		require.NoError(t, err)
		_, err = c.ListPhoneImages(ctx(t))
		require.NoError(t, err)
		reqs := srv.Requests()
		require.Len(t, reqs, 3)
		assert.Equal(t, "/v3/projects", reqs[0].Path)
		assert.Equal(t, "/v3/projects", reqs[1].Path)
	})
	t.Run("no project of the client's region", func(t *testing.T) {
		srv := newServer(t, cphtest.WithRegion("ap-southeast-1"))
		c, err := cph.NewClient(append(srv.DiscoveryOptions(), cph.WithRegion("cn-east-3"), cph.WithEndpoint(srv.URL))...)
		require.NoError(t, err)
		_, err = c.ListPhoneImages(ctx(t))
		assert.ErrorIs(t, err, cph.ErrMissingProjectID)
		assert.Contains(t, err.Error(), `IAM lists no project named "cn-east-3"`)
	})
	t.Run("wrong method", func(t *testing.T) {
		srv := newServer(t)
		status, header, body := rawRequest{method: http.MethodPost, path: "/v3/projects", creds: srv.Credentials()}.do(t, srv)
		assert.Equal(t, http.StatusNotFound, status)
		assert.Equal(t, cphtest.CodeAPINotFound, requireError(t, header, body).Code)
	})
}
