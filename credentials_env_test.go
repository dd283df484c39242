package cph

import (
	"context"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestEnvCredentials(t *testing.T) {
	tests := map[string]struct {
		env         map[string]string
		want        Credentials
		wantProject string
		wantErr     string // part of the message; empty: no error
	}{
		"keys": {
			env:  map[string]string{envAccessKey: testAK, envSecretKey: testSK},
			want: testCreds,
		},
		"keys, token and project, white space trimmed": {
			env: map[string]string{envAccessKey: " " + testAK + "\n", envSecretKey: testSK + "\n",
				envSecurityToken: testToken, envProjectID: testProjectID},
			want:        testTempCreds,
			wantProject: testProjectID,
		},
		"nothing":      {env: nil, wantErr: "HUAWEICLOUD_SDK_AK and HUAWEICLOUD_SDK_SK are not set"},
		"only AK":      {env: map[string]string{envAccessKey: testAK}, wantErr: "HUAWEICLOUD_SDK_AK is set but HUAWEICLOUD_SDK_SK is not"},
		"only SK":      {env: map[string]string{envSecretKey: testSK}, wantErr: "HUAWEICLOUD_SDK_SK is set but HUAWEICLOUD_SDK_AK is not"},
		"blank values": {env: map[string]string{envAccessKey: " ", envSecretKey: "\t"}, wantErr: "are not set"},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			isolateEnv(t)
			for k, v := range tc.env {
				t.Setenv(k, v)
			}
			p := EnvCredentials()
			got, err := p.Retrieve(context.Background())
			src, srcErr := retrieveSource(context.Background(), p)
			if tc.wantErr != "" {
				require.Error(t, err)
				assert.ErrorIs(t, err, ErrMissingCredentials)
				assert.Contains(t, err.Error(), tc.wantErr)
				assert.True(t, strings.HasPrefix(err.Error(), "cph: EnvCredentials: missing credentials: "), err.Error())
				assertNoSecret(t, err.Error())
				assert.ErrorIs(t, srcErr, ErrMissingCredentials)
				return
			}
			require.NoError(t, err)
			require.NoError(t, srcErr)
			assert.Equal(t, tc.want, got)
			assert.Equal(t, tc.want, src.creds)
			assert.Equal(t, tc.wantProject, src.projectID)
		})
	}
}

func TestEnvProviderProjectIDUsedByClient(t *testing.T) {
	isolateEnv(t)
	t.Setenv(envAccessKey, testAK)
	t.Setenv(envSecretKey, testSK)
	t.Setenv(envProjectID, testProjectID)
	cloud := newFakeCloud(t)
	c, err := NewClient(WithRegion(testRegion), WithEndpoint(cloud.URL), WithIAMEndpoint(cloud.URL),
		WithCredentialsProvider(EnvCredentials()))
	require.NoError(t, err)
	assert.Equal(t, testProjectID, c.ProjectID(), "the environment's project ID applies from NewClient on")
	require.NoError(t, listOnce(c))
	assert.Equal(t, testProjectID, c.ProjectID())
	assert.Len(t, cloud.requests(imagesPath(testProjectID)), 1)
	assert.Empty(t, cloud.requests("/v3/projects"), "no discovery when the environment has the project ID")
}

// TestEnvCredentialsReadsOnEveryRetrieve: one provider reads the
// environment each time it is asked, not once.
func TestEnvCredentialsReadsOnEveryRetrieve(t *testing.T) {
	isolateEnv(t)
	p := EnvCredentials()
	_, err := p.Retrieve(context.Background())
	assert.ErrorIs(t, err, ErrMissingCredentials)

	t.Setenv(envAccessKey, testAK)
	t.Setenv(envSecretKey, testSK)
	got, err := p.Retrieve(context.Background())
	require.NoError(t, err)
	assert.Equal(t, testCreds, got)

	t.Setenv(envAccessKey, otherTempCreds.AccessKey)
	t.Setenv(envSecretKey, otherTempCreds.SecretKey)
	t.Setenv(envSecurityToken, otherTempCreds.SecurityToken)
	got, err = p.Retrieve(context.Background())
	require.NoError(t, err)
	assert.Equal(t, otherTempCreds, got)
}
