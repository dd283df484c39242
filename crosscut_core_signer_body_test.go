package cph_test

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"

	"github.com/huaweicloud/huaweicloud-sdk-go-v3/core/auth/signer"
	"github.com/huaweicloud/huaweicloud-sdk-go-v3/core/auth/signer/algorithm"
	"github.com/huaweicloud/huaweicloud-sdk-go-v3/core/request"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/cph-go/cph"
)

// capturedRequest is a request as a server received it.
type capturedRequest struct {
	method, host, path string
	header             http.Header
	body               []byte
}

// coreSignerAuthorization signs r's canonical form afresh with the official
// SDK's core signer of alg, with the headers the library signs (Host,
// X-Project-Id, X-Sdk-Date as sent) and Content-Type, and body as the
// payload, and returns the Authorization header it computes.
func coreSignerAuthorization(t *testing.T, alg algorithm.SigningAlgorithm, r capturedRequest, body string, creds cph.Credentials) string {
	t.Helper()
	b := request.NewHttpRequestBuilder().
		WithEndpoint("http://"+r.host).
		WithPath(r.path).
		WithMethod(r.method).
		AddHeaderParam("Host", r.host).
		AddHeaderParam("X-Project-Id", r.header.Get("X-Project-Id")).
		AddHeaderParam("X-Sdk-Date", r.header.Get("X-Sdk-Date")).
		AddHeaderParam("Content-Type", r.header.Get("Content-Type")).
		WithBody("", body) // a string: its bytes are the payload hashed
	s, err := signer.GetSigner(alg)
	require.NoError(t, err)
	added, err := s.Sign(b.Build(), creds.AccessKey, creds.SecretKey)
	require.NoError(t, err)
	return added["Authorization"]
}

// TestBodySignatureMatchesCoreSigner: the requests of the library that
// carry a body (AddImageMember's POST, UpdateImageMember's PUT) are signed
// as the official core signer signs them, the body's hash included, for
// both algorithms, with Content-Type application/json; the same request
// with another body has another signature.
func TestBodySignatureMatchesCoreSigner(t *testing.T) {
	creds := cph.Credentials{AccessKey: "BODYSIGNACCESSKEY000", SecretKey: "body-sign-secret-key-not-a-real-secret-00"}
	const project = "0123456789abcdef0123456789abcdef"
	var mu sync.Mutex
	var got []capturedRequest
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, err := io.ReadAll(r.Body)
		assert.NoError(t, err)
		mu.Lock()
		got = append(got, capturedRequest{method: r.Method, host: r.Host, path: r.URL.Path, header: r.Header.Clone(), body: body})
		mu.Unlock()
		w.Header().Set("Content-Type", "application/json")
		_, _ = io.WriteString(w, `{"request_id":"r-1"}`)
	}))
	defer srv.Close()

	for _, tc := range []struct {
		alg  cph.SigningAlgorithm
		core algorithm.SigningAlgorithm
	}{
		{cph.SigningHMACSHA256, algorithm.HmacSHA256},
		{cph.SigningHMACSM3, algorithm.HmacSM3},
	} {
		t.Run(string(tc.alg), func(t *testing.T) {
			mu.Lock()
			got = nil
			mu.Unlock()
			c, err := cph.NewClient(cph.WithEndpoint(srv.URL), cph.WithProjectID(project), cph.WithCredentials(creds),
				cph.WithSigningAlgorithm(tc.alg))
			require.NoError(t, err)

			_, err = c.AddImageMember(context.Background(), "img-1", "0b2c3d4e5f60718293a4b5c6d7e8f901")
			require.NoError(t, err)
			_, err = c.UpdateImageMember(context.Background(), "img-1", cph.MemberAccepted)
			require.NoError(t, err)

			mu.Lock()
			reqs := got
			mu.Unlock()
			require.Len(t, reqs, 2)
			assert.Equal(t, []string{http.MethodPost, http.MethodPut}, []string{reqs[0].method, reqs[1].method})
			assert.JSONEq(t, `{"member":"0b2c3d4e5f60718293a4b5c6d7e8f901"}`, string(reqs[0].body))
			assert.JSONEq(t, `{"status":"accepted"}`, string(reqs[1].body))
			for _, r := range reqs {
				assert.Equal(t, "application/json", r.header.Get("Content-Type"), r.method)
				want := coreSignerAuthorization(t, tc.core, r, string(r.body), creds)
				assert.Equal(t, want, r.header.Get("Authorization"), "%s: the core signer's signature", r.method)
				assert.Contains(t, want, "SignedHeaders=host;x-project-id;x-sdk-date,")
				other := coreSignerAuthorization(t, tc.core, r, string(r.body)+" ", creds)
				assert.NotEqual(t, other, r.header.Get("Authorization"), "%s: the body is signed", r.method)
			}
		})
	}
}
