package cph

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/jarcoal/httpmock"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// apiErrorAnswers are error answers of the gateway (status, body,
// headers) and the *APIError each must become; their messages are in
// TestErrorMessagesGolden.
var apiErrorAnswers = map[string]struct {
	status int
	body   string
	header http.Header
	want   APIError
}{
	"error_code shape": {
		status: 400,
		body:   `{"error_code":"CPS.0005","error_msg":"Invalid parameter: image_type","request_id":"r1"}`,
		want:   APIError{Operation: "ListPhoneImages", StatusCode: 400, Code: "CPS.0005", Message: "Invalid parameter: image_type", RequestID: "r1"},
	},
	"nested error shape": {
		status: 403,
		body:   `{"error":{"code":"CPS.0004","message":"Forbidden: project mismatch"}}`,
		header: http.Header{"X-Request-Id": {"hdr-2"}},
		want:   APIError{Operation: "ListPhoneImages", StatusCode: 403, Code: "CPS.0004", Message: "Forbidden: project mismatch", RequestID: "hdr-2"},
	},
	"gateway signature error": {
		status: 401,
		body:   `{"error_code":"APIGW.0301","error_msg":"Incorrect IAM authentication information: verify aksk signature fail","request_id":"r3"}`,
		want:   APIError{Operation: "ListPhoneImages", StatusCode: 401, Code: "APIGW.0301", Message: "Incorrect IAM authentication information: verify aksk signature fail", RequestID: "r3"},
	},
	"throttled": {
		status: 429,
		body:   `{"error_code":"APIGW.0308","error_msg":"The request is throttled.","request_id":"r4"}`,
		want:   APIError{Operation: "ListPhoneImages", StatusCode: 429, Code: "APIGW.0308", Message: "The request is throttled.", RequestID: "r4"},
	},
	"body request id wins over header": {
		status: 404,
		body:   `{"error_code":"APIGW.0101","error_msg":"The API does not exist or has not been published in the environment","request_id":"body"}`,
		header: http.Header{"X-Request-Id": {"hdr"}},
		want:   APIError{Operation: "ListPhoneImages", StatusCode: 404, Code: "APIGW.0101", Message: "The API does not exist or has not been published in the environment", RequestID: "body"},
	},
	"html from a proxy": {
		status: 502,
		body: "<html>\n<head><title>502 Bad Gateway</title><style>body{color:red}</style></head>\n" +
			"<body>\n<center><h1>502 Bad Gateway</h1></center>\n<hr><center>nginx</center>\n</body>\n</html>\n",
		header: http.Header{"X-Request-Id": {"edge-7"}},
		want:   APIError{Operation: "ListPhoneImages", StatusCode: 502, Message: "502 Bad Gateway 502 Bad Gateway nginx", RequestID: "edge-7"},
	},
	"plain text": {
		status: 503, body: "  upstream connect error\r\n or disconnect  ",
		want: APIError{Operation: "ListPhoneImages", StatusCode: 503, Message: "upstream connect error or disconnect"},
	},
	"empty body": {
		status: 500, body: "",
		want: APIError{Operation: "ListPhoneImages", StatusCode: 500},
	},
	"json without known fields": {
		status: 400, body: `{"detail":"bad"}`,
		want: APIError{Operation: "ListPhoneImages", StatusCode: 400, Message: `{"detail":"bad"}`},
	},
	"long html is cut": {
		status: 502, body: "<p>" + strings.Repeat("x", 1000) + "</p>",
		want: APIError{Operation: "ListPhoneImages", StatusCode: 502, Message: strings.Repeat("x", maxSnippet) + "…"},
	},
	"redirect is not followed": {
		status: 302, body: "",
		header: http.Header{"Location": {"https://elsewhere.invalid/"}},
		want:   APIError{Operation: "ListPhoneImages", StatusCode: 302},
	},
}

func TestListPhoneImagesAPIErrors(t *testing.T) {
	for name, tc := range apiErrorAnswers {
		t.Run(name, func(t *testing.T) {
			out, err := listWithAnswer(t, name)
			assert.Nil(t, out)
			var apiErr *APIError
			require.ErrorAs(t, err, &apiErr)
			want := tc.want
			want.Attempts = 1
			assert.Equal(t, want, *apiErr)
			assert.Equal(t, 1, httpmock.GetTotalCallCount())
		})
	}
}

// listWithAnswer calls ListPhoneImages once (no retry: this is about
// reading an answer; retries are tested in crosscut_faults_test.go) on a client
// whose every request gets the answer apiErrorAnswers[name].
func listWithAnswer(t *testing.T, name string) (*ListPhoneImagesOutput, error) {
	t.Helper()
	tc, ok := apiErrorAnswers[name]
	require.True(t, ok, "no answer %q", name)
	c := newMockedClient(t, WithMaxAttempts(1))
	httpmock.RegisterResponder(http.MethodGet, imagesURL, respondWithHeader(tc.status, tc.body, tc.header))
	return c.ListPhoneImages(context.Background())
}

func TestErrorPredicates(t *testing.T) {
	tests := map[string]struct {
		err                          error
		notFound, throttled, authErr bool
	}{
		"404":                {err: &APIError{StatusCode: 404, Code: "APIGW.0101"}, notFound: true},
		"429":                {err: &APIError{StatusCode: 429}, throttled: true},
		"APIGW.0308 on 400":  {err: &APIError{StatusCode: 400, Code: "APIGW.0308"}, throttled: true},
		"APIG.0308":          {err: &APIError{StatusCode: 429, Code: "APIG.0308"}, throttled: true},
		"401":                {err: &APIError{StatusCode: 401}, authErr: true},
		"403":                {err: &APIError{StatusCode: 403, Code: "CPS.0004"}, authErr: true},
		"APIGW.0301 on 400":  {err: &APIError{StatusCode: 400, Code: "APIGW.0301"}, authErr: true},
		"APIG.0307":          {err: &APIError{StatusCode: 400, Code: "APIG.0307"}, authErr: true},
		"500":                {err: &APIError{StatusCode: 500, Code: "CPS.9999"}},
		"CPS code like 0308": {err: &APIError{StatusCode: 400, Code: "CPS.0308"}},
		"wrapped 404":        {err: fmt.Errorf("listing: %w", &APIError{StatusCode: 404}), notFound: true},
		"wrapped twice 429":  {err: fmt.Errorf("a: %w", fmt.Errorf("b: %w", &APIError{StatusCode: 429})), throttled: true},
		"joined 401":         {err: errors.Join(errors.New("other"), &APIError{StatusCode: 401}), authErr: true},
		"not an API error":   {err: errors.New("404 not found")},
		"nil":                {err: nil},
		"nil APIError":       {err: (*APIError)(nil)},
		"sentinel":           {err: fmt.Errorf("cph: x: %w", ErrMissingCredentials)},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			assert.Equal(t, tc.notFound, IsNotFound(tc.err), "IsNotFound")
			assert.Equal(t, tc.throttled, IsThrottled(tc.err), "IsThrottled")
			assert.Equal(t, tc.authErr, IsAuthError(tc.err), "IsAuthError")
		})
	}
}

func TestAPIErrorMessageNeverCarriesSecrets(t *testing.T) {
	// A misbehaving proxy echoes the request's headers in its error page.
	c := newMockedClient(t, WithCredentials(testTempCreds))
	var sig string
	httpmock.RegisterResponder(http.MethodGet, imagesURL, func(r *http.Request) (*http.Response, error) {
		auth := r.Header.Get("Authorization")
		_, sig, _ = strings.Cut(auth, "Signature=")
		page := "<html><body>Bad request. Authorization: " + auth + " X-Security-Token: " + r.Header.Get("X-Security-Token") +
			" key " + testSK + "</body></html>"
		return httpmock.NewStringResponse(400, page), nil
	})
	_, err := c.ListPhoneImages(context.Background())
	require.Error(t, err)
	require.NotEmpty(t, sig)
	msg := err.Error()
	assert.NotContains(t, msg, sig)
	assert.NotContains(t, msg, testToken)
	assert.NotContains(t, msg, testSK)
	assert.Contains(t, msg, "[REDACTED]")
	assert.Contains(t, msg, "Access="+testAK, "the rest of the message is kept")
}

// TestIsAuthErrorGatewayCodes pins which API gateway codes, under both
// prefixes, IsAuthError takes for an authentication or authorization
// refusal on an answer whose status alone says neither.
func TestIsAuthErrorGatewayCodes(t *testing.T) {
	auth := map[string]bool{"0301": true, "0302": true, "0303": true, "0304": true, "0305": true, "0306": true, "0307": true, "0311": true}
	for n := 300; n <= 312; n++ {
		num := fmt.Sprintf("%04d", n)
		for _, prefix := range []string{"APIGW.", "APIG."} {
			code := prefix + num
			assert.Equal(t, auth[num], IsAuthError(&APIError{StatusCode: 400, Code: code}), code)
		}
	}
	for _, code := range []string{"CPS.0301", "APIGW.301", "APIGW.", "0301", "apigw.0301", "APIGW.0301 "} {
		assert.False(t, IsAuthError(&APIError{StatusCode: 400, Code: code}), code)
	}
}
