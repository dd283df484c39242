package cph

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/cph-go/cph/internal/sigv"
)

func TestSigningAlgorithmValues(t *testing.T) {
	assert.Equal(t, []SigningAlgorithm{SigningHMACSHA256, SigningHMACSM3}, SigningAlgorithm("").Values())
	for _, a := range SigningAlgorithm("").Values() {
		assert.True(t, a.IsKnown(), a)
	}
	assert.False(t, SigningAlgorithm("SDK-HMAC-MD5").IsKnown())
	assert.Equal(t, "SDK-HMAC-SHA256", string(SigningHMACSHA256))
	assert.Equal(t, "SDK-HMAC-SM3", string(SigningHMACSM3))
}

// TestSigningAlgorithmsAreTheSignersSchemes: the public values, spelled
// out so that go doc shows no internal name, are the scheme names the
// signer computes.
func TestSigningAlgorithmsAreTheSignersSchemes(t *testing.T) {
	assert.Equal(t, sigv.HMACSHA256, string(SigningHMACSHA256))
	assert.Equal(t, sigv.HMACSM3, string(SigningHMACSM3))
}

// TestSigningAlgorithms: each algorithm's signature is verified by the
// fake, which recomputes it with the core signer of the scheme named in
// the Authorization header.
func TestSigningAlgorithms(t *testing.T) {
	tests := map[string]struct {
		opts       []Option
		wantScheme string
	}{
		"default":       {wantScheme: "SDK-HMAC-SHA256 "},
		"empty":         {opts: []Option{WithSigningAlgorithm("")}, wantScheme: "SDK-HMAC-SHA256 "},
		"SHA256":        {opts: []Option{WithSigningAlgorithm(SigningHMACSHA256)}, wantScheme: "SDK-HMAC-SHA256 "},
		"SM3":           {opts: []Option{WithSigningAlgorithm(SigningHMACSM3)}, wantScheme: "SDK-HMAC-SM3 "},
		"SM3 and token": {opts: []Option{WithSigningAlgorithm(SigningHMACSM3), WithCredentials(testTempCreds)}, wantScheme: "SDK-HMAC-SM3 "},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			isolateEnv(t)
			cloud := newFakeCloud(t)
			opts := append([]Option{WithEndpoint(cloud.URL), WithProjectID(testProjectID), WithCredentials(testCreds)}, tc.opts...)
			c, err := NewClient(opts...)
			require.NoError(t, err)
			require.NoError(t, listOnce(c), "the fake verifies the signature")
			reqs := cloud.requests(imagesPath(testProjectID))
			require.Len(t, reqs, 1)
			assert.True(t, strings.HasPrefix(reqs[0].Header.Get("Authorization"), tc.wantScheme), reqs[0].Header.Get("Authorization"))
		})
	}
}

func TestSigningAlgorithmSM3WrongKeyRefused(t *testing.T) {
	isolateEnv(t)
	cloud := newFakeCloud(t)
	c, err := NewClient(WithEndpoint(cloud.URL), WithProjectID(testProjectID),
		WithCredentials(Credentials{AccessKey: testAK, SecretKey: "wrong"}), WithSigningAlgorithm(SigningHMACSM3))
	require.NoError(t, err)
	assert.True(t, IsAuthError(listOnce(c)), "the fake checks SM3 signatures too")
}

func TestWithSigningAlgorithmUnknown(t *testing.T) {
	isolateEnv(t)
	_, err := NewClient(WithRegion(testRegion), WithProjectID(testProjectID), WithCredentials(testCreds),
		WithSigningAlgorithm("SDK-HMAC-MD5"))
	require.Error(t, err)
	assert.ErrorIs(t, err, ErrInvalidParameter)
	assert.Contains(t, err.Error(), "cph: NewClient: ", "names the operation (the whole message: TestErrorMessagesGolden)")
}
