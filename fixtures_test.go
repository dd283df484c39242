package cph

import (
	"os"
	"testing"
	"time"

	"github.com/cph-go/cph/internal/redact"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// The root package's shared test fixtures: the one set of credentials,
// project and region the tests use, the documented sample of testdata/,
// and the signing time of the known-answer tests. Every secret is
// distinctive and at least 16 bytes long (the library redacts only secrets
// that long), so that a test can check that no message ever carries it.
//
// File naming rule: the tests of <source>.go are in <source>_test.go, or
// <source>_<aspect>_test.go when there are several (fuzz tests:
// <source>_fuzz_test.go); tests that cross several sources (the fault
// matrix, concurrency, hostile answers, secrets in every printed value,
// end-to-end runs through cphtest, the comparison with the official SDK)
// are in crosscut_<subject>_test.go; benchmarks in bench_*_test.go,
// examples in example_*_test.go (or <source>_example_test.go); shared
// helpers in helpers_test.go and <subject>_helpers_test.go, shared values
// here, test hooks into the client in export_test.go, and the test binary's
// set-up and build-tag shims in main_test.go, race_*_test.go and
// profile_open_*_test.go (mkfifo).

// The test identity, project and region. The endpoint's host is under
// .invalid, so nothing could ever reach a real host even if a mock were
// missing.
const (
	testEndpoint  = "https://cph.mock.invalid"
	testProjectID = "0a1b2c3d4e5f60718293a4b5c6d7e8f9"
	testRegion    = "cn-north-4"
	testAK        = "HPUAL5MXQF9TVXAMPLE1"
	testSK        = "sEcReTkEy0123456789abcdefghijklmnopqrstu"
	testToken     = "tOkEn-gQpJb3JnLWNsb3VkLXBob25lLWZha2UtdG9rZW4"
	imagesURL     = testEndpoint + "/v1/" + testProjectID + "/cloud-phone/phone-images"
)

// testCreds are the test identity's long-lived keys, testTempCreds its
// temporary ones (with the security token).
var (
	testCreds     = Credentials{AccessKey: testAK, SecretKey: testSK}
	testTempCreds = Credentials{AccessKey: testAK, SecretKey: testSK, SecurityToken: testToken}
)

// otherCreds are a second identity, for the tests that need one besides
// testCreds (which provider won, which keys signed); otherTempCreds are a
// second identity with a security token.
var (
	otherCreds     = Credentials{AccessKey: "OTHERAKEXAMPLE00002", SecretKey: "otherSecretKey-b3RoZXItbmV2ZXI"}
	otherTempCreds = Credentials{AccessKey: "OTHERTEMPAKEXAMPLE04", SecretKey: "otherTempSecretKey-dGVtcC1uZXZlcg", SecurityToken: testToken}
)

// fixedTime is the signing time of the known-answer tests.
var fixedTime = time.Date(2026, 11, 30, 8, 0, 0, 0, time.UTC)

// fixture reads a file under testdata.
func fixture(t *testing.T, name string) []byte {
	t.Helper()
	b, err := os.ReadFile("testdata/" + name)
	require.NoError(t, err)
	return b
}

// sampleBody is the documented ListPhoneImages answer
// (testdata/list_phone_images.json), whose images are documentedImages.
var sampleBody = func() []byte {
	b, err := os.ReadFile("testdata/list_phone_images.json")
	if err != nil {
		panic(err)
	}
	return b
}()

// documentedImages are the images of the documented sample.
var documentedImages = []PhoneImage{
	{ID: "20032420200401a60b0003a99684b8ea", Name: "AOSP", OSType: "aosp", OSName: "AOSP7.1.1", Visibility: VisibilityPublic, Label: LabelCloudGame},
	{ID: "20032120200330a20b000eae5b8c01e6", Name: "AOSP", OSType: "aosp", OSName: "AOSP7.1.1", Visibility: VisibilityPublic, Label: LabelCloudPhone},
	{ID: "be4d231e44d2a4ccf612660a473fe1e3", Name: "AOSP", OSType: "aosp", OSName: "AOSP7.0.0", Visibility: VisibilityPublic, Label: LabelQemuPhone},
}

// TestFixtureSecretsAreRedactable keeps the fixtures' secrets fit for the
// tests that check no message carries them: long enough for the library
// to redact them, and each distinct from the others.
func TestFixtureSecretsAreRedactable(t *testing.T) {
	secrets := []string{testSK, testToken, otherCreds.SecretKey, otherTempCreds.SecretKey}
	seen := map[string]bool{}
	for _, s := range secrets {
		assert.GreaterOrEqual(t, len(s), redact.MinLen, "%q is too short to be redacted", s)
		assert.False(t, seen[s], "%q is used twice", s)
		seen[s] = true
	}
}
