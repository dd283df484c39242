package cph

import (
	"net/http"
	"os"
	"testing"
	"time"

	"github.com/jarcoal/httpmock"
	"github.com/stretchr/testify/require"
)

// Values shared by the tests. The endpoint's host is under .invalid, so
// nothing could ever reach a real host even if a mock were missing.
const (
	testEndpoint  = "https://cph.mock.invalid"
	testProjectID = "0a1b2c3d4e5f60718293a4b5c6d7e8f9"
	testAK        = "HPUAL5MXQF9TVXAMPLE1"
	testSK        = "sEcReTkEy0123456789abcdefghijklmnopqrstu"
	testToken     = "tOkEn-gQpJb3JnLWNsb3VkLXBob25lLWZha2UtdG9rZW4"
	imagesURL     = testEndpoint + "/v1/" + testProjectID + "/cloud-phone/phone-images"
)

var testCreds = Credentials{AccessKey: testAK, SecretKey: testSK}

// fixedTime is the signing time of the known-answer tests.
var fixedTime = time.Date(2026, 11, 30, 8, 0, 0, 0, time.UTC)

// newMockedClient returns a client whose own *http.Client is answered by
// httpmock, and deactivates the mock when the test ends.
func newMockedClient(t *testing.T, opts ...Option) *Client {
	t.Helper()
	hc := &http.Client{}
	httpmock.ActivateNonDefault(hc)
	t.Cleanup(func() {
		httpmock.DeactivateNonDefault(hc)
		httpmock.Reset()
	})
	base := []Option{
		WithEndpoint(testEndpoint),
		WithProjectID(testProjectID),
		WithCredentials(testCreds),
		WithHTTPClient(hc),
	}
	c, err := NewClient(append(base, opts...)...)
	require.NoError(t, err)
	return c
}

// fixture reads a file under testdata.
func fixture(t *testing.T, name string) []byte {
	t.Helper()
	b, err := os.ReadFile("testdata/" + name)
	require.NoError(t, err)
	return b
}

// documentedImages are the images of the documented sample.
var documentedImages = []PhoneImage{
	{ID: "20032420200401a60b0003a99684b8ea", Name: "AOSP", OSType: "aosp", OSName: "AOSP7.1.1", Visibility: VisibilityPublic, Label: LabelCloudGame},
	{ID: "20032120200330a20b000eae5b8c01e6", Name: "AOSP", OSType: "aosp", OSName: "AOSP7.1.1", Visibility: VisibilityPublic, Label: LabelCloudPhone},
	{ID: "be4d231e44d2a4ccf612660a473fe1e3", Name: "AOSP", OSType: "aosp", OSName: "AOSP7.0.0", Visibility: VisibilityPublic, Label: LabelQemuPhone},
}
