package cph

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestCredentialsRetrieve(t *testing.T) {
	got, err := testCreds.Retrieve(context.Background())
	require.NoError(t, err)
	assert.Equal(t, testCreds, got)

	var p CredentialsProvider = Credentials{}
	_, err = p.Retrieve(context.Background())
	assert.ErrorIs(t, err, ErrMissingCredentials)
	assert.True(t, strings.HasPrefix(err.Error(), "cph: "), err.Error())
}

// stubProvider is a provider of a test: it returns creds or err and counts
// its calls.
type stubProvider struct {
	creds Credentials
	err   error
	calls atomic.Int32
}

func (p *stubProvider) Retrieve(context.Context) (Credentials, error) {
	p.calls.Add(1)
	return p.creds, p.err
}

func TestChainCredentials(t *testing.T) {
	missing := func() *stubProvider {
		return &stubProvider{err: fmt.Errorf("custom source: %w: nothing here", ErrMissingCredentials)}
	}
	broken := errors.New("cph: custom: the vault is sealed")
	tests := map[string]struct {
		providers  func() []CredentialsProvider
		want       Credentials
		wantErr    error
		wantInMsg  []string
		wantCalled []bool // which stubs were asked, in order of the stubs returned
	}{
		"first wins": {
			providers: func() []CredentialsProvider { return []CredentialsProvider{testCreds, otherCreds} },
			want:      testCreds,
		},
		"missing passed over": {
			providers: func() []CredentialsProvider { return []CredentialsProvider{missing(), Credentials{}, nil, otherCreds} },
			want:      otherCreds,
		},
		"other error stops the chain": {
			providers: func() []CredentialsProvider { return []CredentialsProvider{&stubProvider{err: broken}, otherCreds} },
			wantErr:   broken,
		},
		"all missing": {
			providers: func() []CredentialsProvider { return []CredentialsProvider{missing(), EnvCredentials()} },
			wantErr:   ErrMissingCredentials,
			wantInMsg: []string{"tried custom source: missing credentials: nothing here", "the environment (HUAWEICLOUD_SDK_AK and HUAWEICLOUD_SDK_SK are not set)"},
		},
		"empty": {
			providers: func() []CredentialsProvider { return nil },
			wantErr:   ErrMissingCredentials,
			wantInMsg: []string{"no providers"},
		},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			isolateEnv(t)
			got, err := ChainCredentials(tc.providers()...).Retrieve(context.Background())
			if tc.wantErr != nil {
				require.Error(t, err)
				assert.ErrorIs(t, err, tc.wantErr)
				for _, s := range tc.wantInMsg {
					assert.Contains(t, err.Error(), s)
				}
				assert.True(t, strings.HasPrefix(err.Error(), "cph: "), err.Error())
				return
			}
			require.NoError(t, err)
			assert.Equal(t, tc.want, got)
		})
	}
}

func TestChainCredentialsStopsAtFirstFound(t *testing.T) {
	first := &stubProvider{creds: testCreds}
	second := &stubProvider{creds: testCreds}
	_, err := ChainCredentials(first, second).Retrieve(context.Background())
	require.NoError(t, err)
	assert.Equal(t, int32(1), first.calls.Load())
	assert.Equal(t, int32(0), second.calls.Load(), "a later provider is not asked")
}

func TestChainCredentialsCancelled(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	p := &stubProvider{creds: testCreds}
	_, err := ChainCredentials(p).Retrieve(ctx)
	assert.ErrorIs(t, err, context.Canceled)
	assert.Equal(t, int32(0), p.calls.Load())
}

func TestChainCredentialsKeepsSource(t *testing.T) {
	isolateEnv(t)
	path := writeProfile(t, "[basic]\nak = "+testAK+"\nsk = "+testSK+"\nproject_id = "+testProjectID+"\n")
	src, err := retrieveSource(context.Background(), ChainCredentials(EnvCredentials(), ProfileCredentials(path)))
	require.NoError(t, err)
	assert.Equal(t, testCreds, src.creds)
	assert.Equal(t, testProjectID, src.projectID, "the profile's project ID comes along")
}

// TestDefaultChain covers a client made without WithCredentials or
// WithCredentialsProvider: environment, then profile file.
func TestDefaultChain(t *testing.T) {
	envProject := "aaaabbbbccccddddeeeeffff00001111"
	tests := map[string]struct {
		env         map[string]string
		profile     string // written, and HUAWEICLOUD_SDK_CREDENTIALS_FILE set to it, if not empty
		opts        []Option
		wantCreds   Credentials
		wantProject string
	}{
		"environment": {
			env:         map[string]string{envAccessKey: otherCreds.AccessKey, envSecretKey: otherCreds.SecretKey, envProjectID: envProject},
			wantCreds:   otherCreds,
			wantProject: envProject,
		},
		"environment wins over profile": {
			env:         map[string]string{envAccessKey: otherCreds.AccessKey, envSecretKey: otherCreds.SecretKey},
			profile:     "[basic]\nak = " + testAK + "\nsk = " + testSK + "\nproject_id = " + testProjectID + "\n",
			wantCreds:   otherCreds,
			wantProject: "", // the profile's project goes with the profile's keys
		},
		"profile when the environment has no keys": {
			profile:     "[basic]\nak = " + testAK + "\nsk = " + testSK + "\nsecurity_token = " + testToken + "\nproject_id = " + testProjectID + "\n",
			wantCreds:   testTempCreds,
			wantProject: testProjectID,
		},
		"environment project wins over the profile's": {
			env:         map[string]string{envProjectID: envProject},
			profile:     "[basic]\nak = " + testAK + "\nsk = " + testSK + "\nproject_id = " + testProjectID + "\n",
			wantCreds:   testCreds,
			wantProject: envProject,
		},
		"environment project with explicit credentials": {
			env:         map[string]string{envProjectID: envProject},
			opts:        []Option{WithCredentials(testCreds)},
			wantCreds:   testCreds,
			wantProject: envProject,
		},
		"WithProjectID wins over the environment": {
			env:         map[string]string{envAccessKey: otherCreds.AccessKey, envSecretKey: otherCreds.SecretKey, envProjectID: envProject},
			opts:        []Option{WithProjectID(testProjectID)},
			wantCreds:   otherCreds,
			wantProject: testProjectID,
		},
		"WithCredentials wins over the environment's keys, not its project": {
			env:         map[string]string{envAccessKey: otherCreds.AccessKey, envSecretKey: otherCreds.SecretKey, envProjectID: envProject},
			opts:        []Option{WithCredentials(testCreds)},
			wantCreds:   testCreds,
			wantProject: envProject,
		},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			setEnv(t, tc.env, tc.profile)
			c, err := NewClient(append([]Option{WithRegion(testRegion)}, tc.opts...)...)
			require.NoError(t, err)
			assert.Equal(t, tc.wantCreds, c.signer().creds)
			assert.Nil(t, c.signer().provider, "the default chain is read once, when the client is made")
			assert.Equal(t, tc.wantProject, c.ProjectID())
		})
	}
}

func TestDefaultChainMissingEverything(t *testing.T) {
	isolateEnv(t)
	_, err := NewClient(WithRegion(testRegion), WithProjectID(testProjectID))
	require.Error(t, err)
	assert.ErrorIs(t, err, ErrMissingCredentials)
	msg := err.Error()
	assert.True(t, strings.HasPrefix(msg, "cph: NewClient: missing credentials: tried "), msg)
	for _, want := range []string{"HUAWEICLOUD_SDK_AK", "HUAWEICLOUD_SDK_SK", "HUAWEICLOUD_SDK_CREDENTIALS_FILE", "no-such-credentials", "WithCredentials"} {
		assert.Contains(t, msg, want)
	}
	assert.NotContains(t, msg, "\n", "one line")
}

func TestDefaultChainHomeDirectoryUntouched(t *testing.T) {
	isolateEnv(t)
	t.Setenv(envCredentialsFile, "")
	home := t.TempDir()
	t.Setenv("HOME", home)
	_, err := NewClient(WithRegion(testRegion))
	assert.ErrorIs(t, err, ErrMissingCredentials)
	assert.Contains(t, err.Error(), filepath.Join(home, ".huaweicloud", "credentials"))
	entries, err := os.ReadDir(home)
	require.NoError(t, err)
	assert.Empty(t, entries, "NewClient writes nothing")
}

func TestDefaultChainErrors(t *testing.T) {
	tests := map[string]struct {
		env     map[string]string
		profile string
		want    error
		inMsg   string
	}{
		"bad access key in the environment": {
			env:  map[string]string{envAccessKey: "AK,Signature=x", envSecretKey: testSK},
			want: ErrInvalidCredentials,
		},
		"bad project ID in the environment": {
			env:   map[string]string{envAccessKey: testAK, envSecretKey: testSK, envProjectID: "../other"},
			want:  ErrInvalidProjectID,
			inMsg: "HUAWEICLOUD_SDK_PROJECT_ID",
		},
		"malformed profile": {
			profile: "[basic]\nak " + testAK + "\n",
			want:    ErrInvalidCredentials,
			inMsg:   "line 2",
		},
		"profile without a [basic] section": {
			profile: "[default]\nak = " + testAK + "\nsk = " + testSK + "\n",
			want:    ErrInvalidCredentials,
			inMsg:   "has no [basic] section",
		},
		"profile with ak but no sk": {
			profile: "[basic]\nak = " + testAK + "\n",
			want:    ErrInvalidCredentials,
			inMsg:   "its [basic] section has ak but no sk",
		},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			setEnv(t, tc.env, tc.profile)
			c, err := NewClient(WithRegion(testRegion))
			assert.Nil(t, c)
			require.Error(t, err)
			assert.ErrorIs(t, err, tc.want)
			assert.Contains(t, err.Error(), tc.inMsg)
			assert.True(t, strings.HasPrefix(err.Error(), "cph: NewClient: "), err.Error())
			assertNoSecret(t, err.Error())
			assert.NotContains(t, err.Error(), testAK)
		})
	}
}

func TestCredentialsOptionsLastWins(t *testing.T) {
	isolateEnv(t)
	p := &stubProvider{creds: testCreds}

	c, err := NewClient(WithRegion(testRegion), WithProjectID(testProjectID), WithCredentials(otherCreds), WithCredentialsProvider(p))
	require.NoError(t, err)
	assert.Same(t, p, c.signer().provider)
	assert.Equal(t, int32(0), p.calls.Load(), "NewClient does not ask the provider")

	c, err = NewClient(WithRegion(testRegion), WithProjectID(testProjectID), WithCredentialsProvider(p), WithCredentials(otherCreds))
	require.NoError(t, err)
	assert.Nil(t, c.signer().provider)
	assert.Equal(t, otherCreds, c.signer().creds)

	_, err = NewClient(WithRegion(testRegion), WithProjectID(testProjectID), WithCredentialsProvider(nil))
	assert.ErrorIs(t, err, ErrMissingCredentials, "a nil provider means the default chain")
}

// TestProviderAskedPerRequest: a provider's credentials sign each request
// as it gives them, and its errors reach the caller.
func TestProviderAskedPerRequest(t *testing.T) {
	isolateEnv(t)
	cloud := newFakeCloud(t)
	cloud.accept(otherTempCreds)
	p := &stubProvider{creds: testCreds}
	c, err := NewClient(WithEndpoint(cloud.URL), WithProjectID(testProjectID), WithCredentialsProvider(p))
	require.NoError(t, err)

	require.NoError(t, listOnce(c))
	p.creds = otherTempCreds
	require.NoError(t, listOnce(c))
	reqs := cloud.requests(imagesPath(testProjectID))
	require.Len(t, reqs, 2)
	assert.Contains(t, reqs[0].Header.Get("Authorization"), "Access="+testAK+",")
	assert.Empty(t, reqs[0].Header.Get("X-Security-Token"))
	assert.Contains(t, reqs[1].Header.Get("Authorization"), "Access="+otherTempCreds.AccessKey+",")
	assert.Equal(t, testToken, reqs[1].Header.Get("X-Security-Token"))
	assert.Equal(t, int32(2), p.calls.Load())

	p.err = fmt.Errorf("cph: vault: %w: sealed", ErrMissingCredentials)
	err = listOnce(c)
	assert.ErrorIs(t, err, ErrMissingCredentials)

	p.err = nil
	p.creds = Credentials{AccessKey: "bad key", SecretKey: testSK}
	err = listOnce(c)
	assert.ErrorIs(t, err, ErrInvalidCredentials)
	assert.Len(t, cloud.requests(imagesPath(testProjectID)), 2, "nothing sent with bad credentials")
}

func TestCredentialsRedactedInErrorsOfProviders(t *testing.T) {
	isolateEnv(t)
	t.Setenv(envAccessKey, testAK)
	t.Setenv(envSecretKey, testSK)
	t.Setenv(envSecurityToken, "tok\nen-"+testToken)
	_, err := NewClient(WithRegion(testRegion), WithProjectID(testProjectID))
	require.Error(t, err)
	assert.ErrorIs(t, err, ErrInvalidCredentials)
	assertNoSecret(t, err.Error())
}
