package cph

import (
	"bytes"
	"context"
	"errors"
	"log/slog"
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/cph-go/cph/internal/sigv"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// newDiscoveringClient returns a client of the fake cloud that has no
// project ID, so that its first call discovers it.
func newDiscoveringClient(t *testing.T, cloud *fakeCloud, opts ...Option) *Client {
	t.Helper()
	base := []Option{WithRegion(testRegion), WithEndpoint(cloud.URL), WithIAMEndpoint(cloud.URL), WithCredentials(testCreds)}
	c, err := NewClient(append(base, opts...)...)
	require.NoError(t, err)
	return c
}

func TestDiscoverProjectID(t *testing.T) {
	isolateEnv(t)
	cloud := newFakeCloud(t)
	c := newDiscoveringClient(t, cloud)
	assert.Equal(t, "", c.ProjectID(), "nothing discovered before the first call")
	assert.Empty(t, cloud.requests("/v3/projects"), "NewClient sends nothing")

	require.NoError(t, listOnce(c))
	assert.Equal(t, testProjectID, c.ProjectID())
	iam := cloud.requests("/v3/projects")
	require.Len(t, iam, 1)
	assert.Equal(t, http.MethodGet, iam[0].Method)
	assert.Equal(t, "name="+testRegion, iam[0].Query.Encode())
	assert.Empty(t, iam[0].Header.Values("X-Project-Id"), "IAM is global: no project header")
	auth, err := sigv.ParseAuthorization(iam[0].Header.Get("Authorization"))
	require.NoError(t, err, "signed")
	assert.Equal(t, testAK, auth.AccessKey)
	assert.NotContains(t, auth.SignedHeaders, "x-project-id")

	images := cloud.requests(imagesPath(testProjectID))
	require.Len(t, images, 1, "the call uses the discovered project")
	assert.Equal(t, testProjectID, images[0].Header.Get("X-Project-Id"))

	require.NoError(t, listOnce(c))
	assert.Len(t, cloud.requests("/v3/projects"), 1, "discovered once per client")
}

func TestDiscoverProjectIDConcurrentFirstCalls(t *testing.T) {
	const callers = 8
	isolateEnv(t)
	cloud := newFakeCloud(t)
	gate, openGate := newGate(t)
	cloud.set(func(f *fakeCloud) { f.iamGate = gate })
	c := newDiscoveringClient(t, cloud)

	errs := make([]error, callers)
	wait := startEach(callers, func(i int) { errs[i] = listOnce(c) })
	require.Eventually(t, func() bool { return c.disc.group.Waiting() == callers-1 }, 5*time.Second, time.Millisecond,
		"all but one call wait for the IAM request in flight")
	openGate()
	wait()
	for _, err := range errs {
		require.NoError(t, err)
	}
	assert.Len(t, cloud.requests("/v3/projects"), 1, "one IAM request")
	assert.Len(t, cloud.requests(imagesPath(testProjectID)), callers)
}

func TestDiscoverProjectIDCancelledFirstCaller(t *testing.T) {
	isolateEnv(t)
	cloud := newFakeCloud(t)
	gate, openGate := newGate(t)
	cloud.set(func(f *fakeCloud) { f.iamGate = gate })
	c := newDiscoveringClient(t, cloud)

	ctx, cancel := context.WithCancel(context.Background())
	first := make(chan error, 1)
	go func() {
		_, err := c.ListPhoneImages(ctx)
		first <- err
	}()
	require.Eventually(t, func() bool { return len(cloud.requests("/v3/projects")) == 1 }, 5*time.Second, time.Millisecond)
	second := make(chan error, 1)
	go func() { second <- listOnce(c) }()
	require.Eventually(t, func() bool { return c.disc.group.Waiting() == 1 }, 5*time.Second, time.Millisecond)

	cancel()
	err := <-first
	assert.ErrorIs(t, err, context.Canceled)
	assert.True(t, strings.HasPrefix(err.Error(), "cph: ListPhoneImages: "), err.Error())
	openGate()
	assert.NoError(t, <-second, "a live caller asks again instead of taking the cancelled caller's error")
	assert.Equal(t, testProjectID, c.ProjectID())
}

func TestDiscoverProjectIDAnswers(t *testing.T) {
	other := "99998888777766665555444433332222"
	tests := map[string]struct {
		body    string
		wantErr error
		inMsg   []string
	}{
		"none": {
			body: `{"projects":[]}`, wantErr: ErrMissingProjectID,
			inMsg: []string{`IAM lists no project named "cn-north-4" for these credentials`, "WithProjectID"},
		},
		"only other regions": {
			body: projectsJSON(t, other, "cn-east-3", testProjectID, "cn-north-4_sub"), wantErr: ErrMissingProjectID,
			inMsg: []string{`no project named "cn-north-4", only "cn-east-3", "cn-north-4_sub"`},
		},
		"several": {
			body: projectsJSON(t, testProjectID, testRegion, other, testRegion), wantErr: ErrMissingProjectID,
			inMsg: []string{`IAM lists 2 projects named "cn-north-4" ("` + testProjectID + `", "` + other + `"); choose one with WithProjectID`},
		},
		"one among others": {
			body: projectsJSON(t, other, "cn-east-3", testProjectID, testRegion),
		},
		"not JSON":         {body: `<html>gateway</html>`, wantErr: ErrInvalidResponse},
		"no projects list": {body: `{"error":"x"}`, wantErr: ErrInvalidResponse},
		"bad project ID":   {body: projectsJSON(t, "../x", testRegion), wantErr: ErrInvalidResponse},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			isolateEnv(t)
			cloud := newFakeCloud(t)
			cloud.set(func(f *fakeCloud) { f.projects = tc.body })
			c := newDiscoveringClient(t, cloud)
			err := listOnce(c)
			if tc.wantErr == nil {
				require.NoError(t, err)
				assert.Equal(t, testProjectID, c.ProjectID())
				return
			}
			require.Error(t, err)
			assert.ErrorIs(t, err, tc.wantErr)
			assert.True(t, strings.HasPrefix(err.Error(), "cph: ListPhoneImages: discover project ID: "), err.Error())
			for _, s := range tc.inMsg {
				assert.Contains(t, err.Error(), s)
			}
			assert.Equal(t, "", c.ProjectID())
			assert.Empty(t, cloud.requests(imagesPath(testProjectID)), "no call without a project")

			require.Error(t, listOnce(c))
			assert.Len(t, cloud.requests("/v3/projects"), 2, "a failure is not kept: the next call asks again")
		})
	}
}

func TestDiscoverProjectIDIAMError(t *testing.T) {
	isolateEnv(t)
	cloud := newFakeCloud(t)
	cloud.set(func(f *fakeCloud) { f.iamStatus = http.StatusForbidden })
	c := newDiscoveringClient(t, cloud)
	err := listOnce(c)
	require.Error(t, err)
	var apiErr *APIError
	require.True(t, errors.As(err, &apiErr), err.Error())
	assert.Equal(t, "KeystoneListProjects", apiErr.Operation)
	assert.Equal(t, http.StatusForbidden, apiErr.StatusCode)
	assert.Equal(t, "IAM.0001", apiErr.Code)
	assert.True(t, IsAuthError(err))

	cloud.set(func(f *fakeCloud) { f.iamStatus = 0 })
	require.NoError(t, listOnce(c), "recovers once IAM answers")
	assert.Equal(t, testProjectID, c.ProjectID())
}

func TestDiscoverProjectIDWrongKeys(t *testing.T) {
	isolateEnv(t)
	cloud := newFakeCloud(t)
	c := newDiscoveringClient(t, cloud, WithCredentials(Credentials{AccessKey: testAK, SecretKey: "not-the-secret"}))
	err := listOnce(c)
	assert.True(t, IsAuthError(err), "the signature is checked by the fake: %v", err)
	assert.NotContains(t, err.Error(), "not-the-secret")
}

func TestDiscoverProjectIDLogged(t *testing.T) {
	isolateEnv(t)
	cloud := newFakeCloud(t)
	var buf bytes.Buffer
	c := newDiscoveringClient(t, cloud, WithLogger(slog.New(slog.NewTextHandler(&buf, &slog.HandlerOptions{Level: slog.LevelDebug}))))
	require.NoError(t, listOnce(c))
	logs := buf.String()
	assert.Contains(t, logs, "operation=KeystoneListProjects")
	assert.Contains(t, logs, "path=/v3/projects")
	assertNoSecret(t, logs)
}

func TestDiscoverProjectIDWithSM3(t *testing.T) {
	isolateEnv(t)
	cloud := newFakeCloud(t)
	c := newDiscoveringClient(t, cloud, WithSigningAlgorithm(SigningHMACSM3))
	require.NoError(t, listOnce(c))
	iam := cloud.requests("/v3/projects")
	require.Len(t, iam, 1)
	assert.True(t, strings.HasPrefix(iam[0].Header.Get("Authorization"), "SDK-HMAC-SM3 "))
}

// TestIAMEndpointPrecedence: WithIAMEndpoint, else HUAWEICLOUD_SDK_IAM_ENDPOINT,
// else the profile's iam_endpoint, else the region's.
func TestIAMEndpointPrecedence(t *testing.T) {
	const (
		option  = "option"
		env     = "env"
		profile = "profile"
	)
	tests := map[string]struct {
		set  []string
		want string
	}{
		"option wins":            {set: []string{option, env, profile}, want: option},
		"variable over profile":  {set: []string{env, profile}, want: env},
		"profile":                {set: []string{profile}, want: profile},
		"option over a profile":  {set: []string{option, profile}, want: option},
		"variable, no profile":   {set: []string{env}, want: env},
		"option, no other":       {set: []string{option}, want: option},
		"variable over provider": {set: []string{env, "provider-profile"}, want: env},
		"provider's profile":     {set: []string{"provider-profile"}, want: "provider-profile"},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			isolateEnv(t)
			cloud := newFakeCloud(t) // CPH
			iams := map[string]*fakeCloud{}
			for _, s := range []string{option, env, profile, "provider-profile"} {
				iams[s] = newFakeCloud(t)
			}
			opts := []Option{WithRegion(testRegion), WithEndpoint(cloud.URL)}
			for _, s := range tc.set {
				switch s {
				case option:
					opts = append(opts, WithIAMEndpoint(iams[s].URL))
				case env:
					t.Setenv(envIAMEndpoint, iams[s].URL)
				case profile, "provider-profile":
					path := writeProfile(t, "[basic]\nak = "+testAK+"\nsk = "+testSK+"\niam_endpoint = "+iams[s].URL+"\n")
					if s == profile {
						t.Setenv(envCredentialsFile, path)
					} else {
						opts = append(opts, WithCredentialsProvider(ProfileCredentials(path)))
					}
				}
			}
			if !slices.Contains(tc.set, profile) && !slices.Contains(tc.set, "provider-profile") {
				opts = append(opts, WithCredentials(testCreds))
			}
			c, err := NewClient(opts...)
			require.NoError(t, err)
			require.NoError(t, listOnce(c))
			for s, iam := range iams {
				if s == tc.want {
					assert.Len(t, iam.requests("/v3/projects"), 1, s)
				} else {
					assert.Empty(t, iam.requests("/v3/projects"), s)
				}
			}
		})
	}
}

func TestIAMEndpointDefault(t *testing.T) {
	var ic iamConfig
	u, err := ic.endpoint("ap-southeast-1", source{})
	require.NoError(t, err)
	assert.Equal(t, "https://iam.ap-southeast-1.myhuaweicloud.com", u.String())

	u, err = ic.endpoint("ap-southeast-1", source{iamEndpoint: "iam.example.com/", iamFrom: "iam_endpoint in f"})
	require.NoError(t, err)
	assert.Equal(t, "https://iam.example.com", u.String(), "a bare host means https")
}

func TestIAMEndpointErrors(t *testing.T) {
	tests := map[string]struct {
		opts    []Option
		env     string
		profile string
		inMsg   string
	}{
		"option":   {opts: []Option{WithIAMEndpoint("ftp://iam.example.com")}, inMsg: "IAM endpoint: invalid endpoint"},
		"variable": {env: "https://iam.example.com/?x=1", inMsg: "IAM endpoint from HUAWEICLOUD_SDK_IAM_ENDPOINT: invalid endpoint"},
		"profile":  {profile: "https://user:pw@iam.example.com", inMsg: "IAM endpoint from iam_endpoint in "},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			isolateEnv(t)
			t.Setenv(envIAMEndpoint, tc.env)
			opts := append([]Option{WithRegion(testRegion)}, tc.opts...)
			if tc.profile != "" {
				t.Setenv(envCredentialsFile, writeProfile(t, "[basic]\nak = "+testAK+"\nsk = "+testSK+"\niam_endpoint = "+tc.profile+"\n"))
			} else {
				opts = append(opts, WithCredentials(testCreds))
			}
			_, err := NewClient(opts...)
			require.Error(t, err)
			assert.ErrorIs(t, err, ErrInvalidEndpoint)
			assert.Contains(t, err.Error(), tc.inMsg)
			assert.NotContains(t, err.Error(), "pw@")
		})
	}

	t.Run("plain http to a host that is not loopback", func(t *testing.T) {
		isolateEnv(t)
		t.Setenv(envIAMEndpoint, "http://iam.example.com")
		_, err := NewClient(WithRegion(testRegion), WithCredentials(testCreds))
		assert.ErrorIs(t, err, ErrInsecureEndpoint)
		assert.Contains(t, err.Error(), "IAM endpoint from HUAWEICLOUD_SDK_IAM_ENDPOINT: ")

		_, err = NewClient(WithRegion(testRegion), WithCredentials(testCreds), WithAllowInsecureHTTP())
		assert.NoError(t, err, "allowed as for the CPH endpoint")
	})
	t.Run("not checked when the project ID is known", func(t *testing.T) {
		isolateEnv(t)
		t.Setenv(envIAMEndpoint, "ftp://nowhere")
		_, err := NewClient(WithRegion(testRegion), WithProjectID(testProjectID), WithCredentials(testCreds))
		assert.NoError(t, err)
	})
	t.Run("provider's profile checked at the first call", func(t *testing.T) {
		path, err := discoverWithProfileIAMEndpoint(t, "ftp://nowhere")
		assert.ErrorIs(t, err, ErrInvalidEndpoint)
		assert.Contains(t, err.Error(), path, "names the file")
	})
}

// discoverWithProfileIAMEndpoint calls ListPhoneImages on a client that
// must discover its project ID and whose provider's profile file names
// endpoint as iam_endpoint; it returns the file's path and the error.
func discoverWithProfileIAMEndpoint(t *testing.T, endpoint string) (string, error) {
	t.Helper()
	isolateEnv(t)
	path := writeProfile(t, "[basic]\nak = "+testAK+"\nsk = "+testSK+"\niam_endpoint = "+endpoint+"\n")
	c, err := NewClient(WithRegion(testRegion), WithCredentialsProvider(ProfileCredentials(path)))
	require.NoError(t, err)
	return path, listOnce(c)
}

// discoverWithEmptyEnvironment calls ListPhoneImages on a client that
// must discover its project ID with EnvCredentials, in an environment
// without keys; it returns the fake cloud and the error.
func discoverWithEmptyEnvironment(t *testing.T) (*fakeCloud, error) {
	t.Helper()
	isolateEnv(t)
	cloud := newFakeCloud(t)
	c, err := NewClient(WithRegion(testRegion), WithEndpoint(cloud.URL), WithIAMEndpoint(cloud.URL),
		WithCredentialsProvider(EnvCredentials()))
	require.NoError(t, err)
	return cloud, listOnce(c)
}

func TestProjectIDSources(t *testing.T) {
	t.Run("no project ID and no region", func(t *testing.T) {
		isolateEnv(t)
		_, err := NewClient(WithEndpoint("https://cph.example.com"), WithCredentials(testCreds))
		require.Error(t, err)
		assert.ErrorIs(t, err, ErrMissingProjectID)
		assert.Contains(t, err.Error(), "set one with WithProjectID or HUAWEICLOUD_SDK_PROJECT_ID, or set a region so that it can be discovered")
	})
	t.Run("provider without project ID and no region: at the first call", func(t *testing.T) {
		isolateEnv(t)
		cloud := newFakeCloud(t)
		c, err := NewClient(WithEndpoint(cloud.URL), WithCredentialsProvider(testCreds))
		require.NoError(t, err)
		err = listOnce(c)
		assert.ErrorIs(t, err, ErrMissingProjectID)
		assert.True(t, strings.HasPrefix(err.Error(), "cph: ListPhoneImages: missing project ID: "), err.Error())
		assert.Empty(t, cloud.requests("/v3/projects"))
	})
	t.Run("provider's profile project ID", func(t *testing.T) {
		isolateEnv(t)
		cloud := newFakeCloud(t)
		path := writeProfile(t, "[basic]\nak = "+testAK+"\nsk = "+testSK+"\nproject_id = "+testProjectID+"\n")
		c, err := NewClient(WithEndpoint(cloud.URL), WithCredentialsProvider(ProfileCredentials(path)))
		require.NoError(t, err)
		require.NoError(t, listOnce(c))
		assert.Equal(t, testProjectID, c.ProjectID())
		assert.Empty(t, cloud.requests("/v3/projects"))
	})
	t.Run("bad project ID in the environment", func(t *testing.T) {
		isolateEnv(t)
		t.Setenv(envAccessKey, testAK)
		t.Setenv(envSecretKey, testSK)
		t.Setenv(envProjectID, "a/b")
		cloud := newFakeCloud(t)
		_, err := NewClient(WithEndpoint(cloud.URL), WithCredentialsProvider(EnvCredentials()))
		assert.ErrorIs(t, err, ErrInvalidProjectID, "the environment's project ID is checked by NewClient")
		assert.Contains(t, err.Error(), "HUAWEICLOUD_SDK_PROJECT_ID")
		assert.Empty(t, cloud.requests(imagesPath("a/b")))
	})
	t.Run("provider failing during discovery", func(t *testing.T) {
		cloud, err := discoverWithEmptyEnvironment(t)
		assert.ErrorIs(t, err, ErrMissingCredentials)
		assert.Empty(t, cloud.requests("/v3/projects"))
	})
	t.Run("provider's keys sign the IAM request", func(t *testing.T) {
		isolateEnv(t)
		cloud := newFakeCloud(t)
		cloud.accept(otherTempCreds)
		c, err := NewClient(WithRegion(testRegion), WithEndpoint(cloud.URL), WithIAMEndpoint(cloud.URL),
			WithCredentialsProvider(otherTempCreds))
		require.NoError(t, err)
		require.NoError(t, listOnce(c))
		iam := cloud.requests("/v3/projects")
		require.Len(t, iam, 1)
		assert.Equal(t, testToken, iam[0].Header.Get("X-Security-Token"))
		assert.Contains(t, iam[0].Header.Get("Authorization"), "Access="+otherTempCreds.AccessKey+",")
	})
}
