package cph

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/cph-go/cph/internal/fakegw"
	"github.com/cph-go/cph/internal/sigv"
	"github.com/jarcoal/httpmock"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// knownAuthorization is the Authorization header for a ListPhoneImages call
// with image_type=public, signed at fixedTime with testCreds for
// testEndpoint and testProjectID. It was computed once and is checked below
// against a from-scratch computation of the scheme, independent of the core
// signer.
const knownAuthorization = "SDK-HMAC-SHA256 Access=" + testAK +
	", SignedHeaders=host;x-project-id;x-sdk-date, Signature=" + knownSignature

const knownSignature = "6575513dc54624b891321a83499c1941718742260d423b1d2a1a47af402a5d75"

// referenceSignature computes SDK-HMAC-SHA256 by its definition: the
// canonical request, the string to sign, and the HMAC of it with the SK.
func referenceSignature(method, path, query, host, projectID, date, sk string) string {
	emptyHash := sha256.Sum256(nil)
	canonical := strings.Join([]string{
		method,
		path + "/",
		query,
		"host:" + host + "\nx-project-id:" + projectID + "\nx-sdk-date:" + date + "\n",
		"host;x-project-id;x-sdk-date",
		hex.EncodeToString(emptyHash[:]),
	}, "\n")
	crHash := sha256.Sum256([]byte(canonical))
	sts := "SDK-HMAC-SHA256\n" + date + "\n" + hex.EncodeToString(crHash[:])
	mac := hmac.New(sha256.New, []byte(sk))
	mac.Write([]byte(sts))
	return hex.EncodeToString(mac.Sum(nil))
}

func TestSignatureKnownAnswer(t *testing.T) {
	c := newMockedClient(t)
	c.setClock(func() time.Time { return fixedTime })
	var got http.Header
	httpmock.RegisterResponder(http.MethodGet, `=~^`+imagesURL, func(r *http.Request) (*http.Response, error) {
		got = r.Header.Clone()
		return httpmock.NewStringResponse(200, `{"phone_images":[]}`), nil
	})
	_, err := c.ListPhoneImages(context.Background(), WithImageType(ImageTypePublic))
	require.NoError(t, err)

	assert.Equal(t, "20261130T080000Z", got.Get("X-Sdk-Date"))
	ref := referenceSignature("GET", "/v1/"+testProjectID+"/cloud-phone/phone-images", "image_type=public",
		"cph.mock.invalid", testProjectID, "20261130T080000Z", testSK)
	assert.Equal(t, ref, knownSignature, "the pinned signature must match the scheme's definition")
	assert.Equal(t, knownAuthorization, got.Get("Authorization"))
}

// newVerifyingServer is a fake gateway that answers ListPhoneImages with
// fixtureBytes only when the signature, recomputed on the request as it
// arrived, is the one testAK and sk give, and the request carries token
// (when not ""); Refusals says why it refused the others.
func newVerifyingServer(t *testing.T, sk, token string) *fakegw.Server {
	t.Helper()
	return newSignedServer(t, Credentials{AccessKey: testAK, SecretKey: sk, SecurityToken: token},
		http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) { _, _ = w.Write(fixtureBytes) }), nil)
}

var fixtureBytes = []byte(`{"phone_images":[{"image_id":"x","is_public":1}],"request_id":"ok"}`)

func TestSignatureVerifiedByCoreSignerAtServer(t *testing.T) {
	tests := map[string]struct {
		creds      Credentials
		serverSK   string
		serverTok  string
		opts       []ListOption
		wantOK     bool
		wantSigned string
	}{
		"plain":                     {creds: testCreds, serverSK: testSK, wantOK: true, wantSigned: "host;x-project-id;x-sdk-date"},
		"with query":                {creds: testCreds, serverSK: testSK, opts: []ListOption{WithImageType(ImageTypeShared)}, wantOK: true, wantSigned: "host;x-project-id;x-sdk-date"},
		"with security token":       {creds: testTempCreds, serverSK: testSK, serverTok: testToken, wantOK: true, wantSigned: "host;x-project-id;x-sdk-date;x-security-token"},
		"wrong secret key":          {creds: Credentials{AccessKey: testAK, SecretKey: "not-the-key"}, serverSK: testSK, wantOK: false, wantSigned: "host;x-project-id;x-sdk-date"},
		"token required, none sent": {creds: testCreds, serverSK: testSK, serverTok: testToken, wantOK: false, wantSigned: "host;x-project-id;x-sdk-date"},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			srv := newVerifyingServer(t, tc.serverSK, tc.serverTok)
			c, err := NewClient(WithEndpoint(srv.URL), WithProjectID(testProjectID), WithCredentials(tc.creds))
			require.NoError(t, err)
			out, err := c.ListPhoneImages(context.Background(), tc.opts...)
			reqs := srv.Requests()
			require.Len(t, reqs, 1)
			a, perr := sigv.ParseAuthorization(reqs[0].Header.Get("Authorization"))
			require.NoError(t, perr)
			assert.Equal(t, tc.wantSigned, strings.Join(a.SignedHeaders, ";"))
			if tc.wantOK {
				require.NoError(t, err)
				assert.Equal(t, "ok", out.RequestID)
				assert.Empty(t, srv.Refusals())
				return
			}
			require.Error(t, err)
			assert.True(t, IsAuthError(err))
			assert.NotContains(t, err.Error(), a.Signature)
		})
	}
}

func TestSignatureCoversQuery(t *testing.T) {
	// A request whose query is changed after signing must be refused: the
	// image_type value is part of what is signed.
	srv := newVerifyingServer(t, testSK, "")
	hc := &http.Client{Transport: rewriteQuery{to: "image_type=private"}}
	c, err := NewClient(WithEndpoint(srv.URL), WithProjectID(testProjectID), WithCredentials(testCreds), WithHTTPClient(hc))
	require.NoError(t, err)
	_, err = c.ListPhoneImages(context.Background(), WithImageType(ImageTypePublic))
	require.Error(t, err)
	assert.True(t, IsAuthError(err), err.Error())
	refusals := srv.Refusals()
	require.Len(t, refusals, 1)
	assert.ErrorIs(t, refusals[0], sigv.ErrMismatch)
}

// rewriteQuery is a transport that changes a request's query in flight.
type rewriteQuery struct{ to string }

func (rw rewriteQuery) RoundTrip(r *http.Request) (*http.Response, error) {
	r = r.Clone(r.Context())
	r.URL.RawQuery = rw.to
	return http.DefaultTransport.RoundTrip(r)
}
