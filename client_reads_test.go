package cph

import (
	"net/http"
	"net/http/httptest"
	"os"
	"sync/atomic"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestNewClientSendsNothing: whatever it is given, NewClient makes no
// request: not to the CPH endpoint, not to IAM for discovery, not to a
// provider's metadata service. The first call is the first request.
func TestNewClientSendsNothing(t *testing.T) {
	var served atomic.Int64
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		served.Add(1)
		w.WriteHeader(http.StatusServiceUnavailable)
	}))
	t.Cleanup(srv.Close)
	tests := map[string]struct {
		env  map[string]string
		opts []Option
	}{
		"endpoint and project ID": {
			opts: []Option{WithEndpoint(srv.URL), WithProjectID(testProjectID), WithCredentials(testCreds)},
		},
		"discovery to come": {
			opts: []Option{WithRegion(testRegion), WithEndpoint(srv.URL), WithIAMEndpoint(srv.URL), WithCredentials(testCreds)},
		},
		"everything from the environment": {
			env: map[string]string{envAccessKey: testAK, envSecretKey: testSK, envRegion: testRegion,
				regionEndpointEnv(testRegion): srv.URL, envIAMEndpoint: srv.URL},
		},
		"a metadata provider": {
			opts: []Option{WithRegion(testRegion), WithEndpoint(srv.URL), WithIAMEndpoint(srv.URL),
				WithCredentialsProvider(MetadataCredentials(WithMetadataEndpoint(srv.URL)))},
		},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			setEnv(t, tc.env, "")
			before := served.Load()
			c, err := NewClient(append(tc.opts, WithMaxAttempts(1))...)
			require.NoError(t, err)
			assert.Equal(t, before, served.Load(), "NewClient sends nothing")
			require.Error(t, listOnce(c), "the server answers 503")
			assert.Greater(t, served.Load(), before, "precondition: the first call reaches the server")
			c.CloseIdleConnections()
		})
	}
}

// TestNewClientReadsEnvironment: each variable NewClient's doc names is read
// when, and only when, no option gives its setting: an ill-formed value
// shows where it is read, and is ignored where it is not.
func TestNewClientReadsEnvironment(t *testing.T) {
	const bad = "://not valid"
	keys := map[string]string{envAccessKey: testAK, envSecretKey: testSK}
	tests := map[string]struct {
		env     map[string]string
		opts    []Option
		wantErr error  // nil: NewClient succeeds, the value was not read
		wantIn  string // in the error
	}{
		"HUAWEICLOUD_SDK_REGION read without WithRegion and WithEndpoint": {
			env: merge(keys, map[string]string{envRegion: bad}), wantErr: ErrInvalidEndpoint, wantIn: envRegion,
		},
		"HUAWEICLOUD_SDK_REGION not read with WithEndpoint": {
			env: merge(keys, map[string]string{envRegion: bad}), opts: []Option{WithEndpoint(testEndpoint), WithProjectID(testProjectID)},
		},
		"region endpoint variable read without WithEndpoint": {
			env: merge(keys, map[string]string{regionEndpointEnv(testRegion): bad}), opts: []Option{WithRegion(testRegion)},
			wantErr: ErrInvalidEndpoint, wantIn: regionEndpointEnv(testRegion),
		},
		"region endpoint variable not read with WithEndpoint": {
			env:  merge(keys, map[string]string{regionEndpointEnv(testRegion): bad}),
			opts: []Option{WithRegion(testRegion), WithEndpoint(testEndpoint)},
		},
		"keys read without WithCredentials": {
			env: map[string]string{envAccessKey: "AK,bad", envSecretKey: testSK}, opts: []Option{WithRegion(testRegion)},
			wantErr: ErrInvalidCredentials,
		},
		"keys not read with WithCredentials": {
			env: map[string]string{envAccessKey: "AK,bad", envSecretKey: testSK}, opts: []Option{WithRegion(testRegion), WithCredentials(testCreds)},
		},
		"keys not read with WithCredentialsProvider": {
			env:  map[string]string{envAccessKey: "AK,bad", envSecretKey: testSK},
			opts: []Option{WithRegion(testRegion), WithCredentialsProvider(testCreds)},
		},
		"security token read without WithCredentials": {
			env: merge(keys, map[string]string{envSecurityToken: "bad\ttoken"}), opts: []Option{WithRegion(testRegion)},
			wantErr: ErrInvalidCredentials,
		},
		"HUAWEICLOUD_SDK_PROJECT_ID read without WithProjectID": {
			env: merge(keys, map[string]string{envProjectID: "a/b"}), opts: []Option{WithRegion(testRegion)},
			wantErr: ErrInvalidProjectID, wantIn: envProjectID,
		},
		"HUAWEICLOUD_SDK_PROJECT_ID not read with WithProjectID": {
			env: merge(keys, map[string]string{envProjectID: "a/b"}), opts: []Option{WithRegion(testRegion), WithProjectID(testProjectID)},
		},
		"HUAWEICLOUD_SDK_IAM_ENDPOINT read when discovery may happen": {
			env: merge(keys, map[string]string{envIAMEndpoint: "ftp://iam"}), opts: []Option{WithRegion(testRegion)},
			wantErr: ErrInvalidEndpoint, wantIn: envIAMEndpoint,
		},
		"HUAWEICLOUD_SDK_IAM_ENDPOINT not read with a project ID": {
			env: merge(keys, map[string]string{envIAMEndpoint: "ftp://iam"}), opts: []Option{WithRegion(testRegion), WithProjectID(testProjectID)},
		},
		"HUAWEICLOUD_SDK_IAM_ENDPOINT not read with WithIAMEndpoint": {
			env:  merge(keys, map[string]string{envIAMEndpoint: "ftp://iam"}),
			opts: []Option{WithRegion(testRegion), WithIAMEndpoint("https://iam.example.com")},
		},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			setEnv(t, tc.env, "")
			c, err := NewClient(tc.opts...)
			if tc.wantErr == nil {
				require.NoError(t, err)
				assert.NotNil(t, c)
				return
			}
			require.Error(t, err)
			assert.ErrorIs(t, err, tc.wantErr)
			assert.Contains(t, err.Error(), tc.wantIn)
		})
	}
}

// TestNewClientReadsProfile: without WithCredentials or
// WithCredentialsProvider, the profile file is read only when the
// environment lacks a key, once, by NewClient: a client keeps what it read
// when the file and the environment change afterwards.
func TestNewClientReadsProfile(t *testing.T) {
	const malformed = "[basic]\nak = " + testAK + "\nnot a key value line\n"
	t.Run("not read when the environment has both keys", func(t *testing.T) {
		setEnv(t, map[string]string{envAccessKey: testAK, envSecretKey: testSK}, malformed)
		_, err := NewClient(WithRegion(testRegion))
		assert.NoError(t, err)
	})
	t.Run("read when the environment lacks a key", func(t *testing.T) {
		setEnv(t, map[string]string{envAccessKey: testAK}, malformed)
		_, err := NewClient(WithRegion(testRegion))
		assert.ErrorIs(t, err, ErrInvalidCredentials)
	})
	t.Run("not read with WithCredentials", func(t *testing.T) {
		setEnv(t, nil, malformed)
		_, err := NewClient(WithRegion(testRegion), WithCredentials(testCreds))
		assert.NoError(t, err)
	})
	t.Run("read once, by NewClient", func(t *testing.T) {
		setEnv(t, nil, "[basic]\nak = "+testAK+"\nsk = "+testSK+"\n")
		c, err := NewClient(WithRegion(testRegion))
		require.NoError(t, err)
		require.NoError(t, os.Remove(os.Getenv(envCredentialsFile)))
		t.Setenv(envAccessKey, "OTHERACCESSKEY000000")
		t.Setenv(envSecretKey, "other-secret")
		assert.Equal(t, testCreds, c.signer().creds, "the client keeps what NewClient read")
	})
}

// merge returns a new map with the entries of a, then b.
func merge(a, b map[string]string) map[string]string {
	out := make(map[string]string, len(a)+len(b))
	for k, v := range a {
		out[k] = v
	}
	for k, v := range b {
		out[k] = v
	}
	return out
}
