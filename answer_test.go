package cph

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/cph-go/cph/internal/bufpool"
)

// answerOf returns a 2xx response with body, as attempt makes it (in a
// pooled buffer, which decodeJSON gives back).
func answerOf(body string, header http.Header) *answer {
	buf := append(bufpool.Get(int64(len(body))), body...)
	if header == nil {
		header = http.Header{}
	}
	return &answer{status: http.StatusOK, header: header, body: buf, attempts: 1,
		secrets: [3]string{"", testToken, testSK}}
}

type testDoc struct {
	Items []string `json:"items"`
}

func TestDecodeJSON(t *testing.T) {
	tests := map[string]struct {
		body      string
		header    http.Header
		valid     func(*testDoc) error
		want      *testDoc
		wantID    string
		wantAPI   string // the *APIError's code
		wantValid bool   // an *InvalidResponseError
	}{
		"a document":                    {body: `{"items":["a"],"request_id":"r1"}`, want: &testDoc{Items: []string{"a"}}, wantID: "r1"},
		"request ID from the header":    {body: `{"items":[]}`, header: http.Header{"X-Request-Id": {"h1"}}, want: &testDoc{Items: []string{}}, wantID: "h1"},
		"an error document":             {body: `{"error_code":"CPS.0005","error_msg":"bad"}`, wantAPI: "CPS.0005"},
		"a nested error document":       {body: `{"error":{"code":"APIGW.0306","message":"denied"}}`, wantAPI: "APIGW.0306"},
		"not JSON":                      {body: `<html>`, wantValid: true},
		"the wrong type":                {body: `{"items":5}`, wantValid: true},
		"refused by valid":              {body: `{}`, valid: func(d *testDoc) error { return errors.New("no items") }, wantValid: true},
		"a secret echoed in an error":   {body: `{"error_code":"X.1","error_msg":"token ` + testToken + `"}`, wantAPI: "X.1"},
		"a secret echoed in a bad body": {body: `{"items":"` + testSK + `"}`, wantValid: true},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			got, id, err := decodeJSON("TestOp", answerOf(tc.body, tc.header), tc.valid)

			switch {
			case tc.wantAPI != "":
				var apiErr *APIError
				require.ErrorAs(t, err, &apiErr)
				assert.Equal(t, tc.wantAPI, apiErr.Code)
				assert.Equal(t, http.StatusOK, apiErr.StatusCode)
				assert.Equal(t, "TestOp", apiErr.Operation)
			case tc.wantValid:
				var ire *InvalidResponseError
				require.ErrorAs(t, err, &ire)
				assert.ErrorIs(t, err, ErrInvalidResponse)
				assert.True(t, strings.HasPrefix(err.Error(), "cph: TestOp: "), err.Error())
			default:
				require.NoError(t, err)
				assert.Equal(t, tc.want, got)
				assert.Equal(t, tc.wantID, id)
				return
			}
			assert.NotContains(t, err.Error(), testToken)
			assert.NotContains(t, err.Error(), testSK)
		})
	}
}

// TestSuccessStatusWithErrorCodeIsAPIError: a 2xx answer whose body is an
// error document (non-empty error_code, in either shape) is the *APIError
// it says, for ListPhoneImages and for IAM's answer alike; an empty
// error_code is no error.
func TestSuccessStatusWithErrorCodeIsAPIError(t *testing.T) {
	tests := map[string]struct {
		body     string
		wantCode string
	}{
		"flat shape":            {body: `{"error_code":"CPS.0005","error_msg":"bad request","request_id":"r-err"}`, wantCode: "CPS.0005"},
		"nested shape":          {body: `{"error":{"code":"APIGW.0306","message":"denied","request_id":"r-err"}}`, wantCode: "APIGW.0306"},
		"empty code is success": {body: `{"error_code":"","phone_images":[],"request_id":"r-ok"}`},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			s := newFaultServer(t, always(status(200, tc.body)), false)
			c := newFaultClient(t, s.URL)

			out, err := c.ListPhoneImages(context.Background())

			if tc.wantCode == "" {
				require.NoError(t, err)
				assert.Equal(t, "r-ok", out.RequestID)
				return
			}
			var apiErr *APIError
			require.ErrorAs(t, err, &apiErr)
			assert.Equal(t, 200, apiErr.StatusCode)
			assert.Equal(t, tc.wantCode, apiErr.Code)
			assert.Equal(t, "r-err", apiErr.RequestID)
			assert.Equal(t, 1, apiErr.Attempts)
			assert.Equal(t, 1, int(s.Served()), "not retried")
			assert.True(t, strings.HasPrefix(err.Error(), "cph: ListPhoneImages: 200 "+tc.wantCode), err.Error())
		})
	}

	t.Run("IAM", func(t *testing.T) {
		isolateEnv(t)
		s := newFaultServer(t, always(status(200, `{"error_code":"IAM.0001","error_msg":"no such user"}`)), false)
		c, err := NewClient(WithRegion("cn-north-4"), WithEndpoint(s.URL), WithIAMEndpoint(s.URL),
			WithCredentials(testCreds))
		require.NoError(t, err)

		_, err = c.ListPhoneImages(context.Background())

		var apiErr *APIError
		require.ErrorAs(t, err, &apiErr)
		assert.Equal(t, "IAM.0001", apiErr.Code)
		assert.Equal(t, opKeystoneListProjects, apiErr.Operation)
	})
}

// TestShortSecretDoesNotMangleMessages: through a real call, a client whose
// secret key is one letter gets the service's message as it was.
func TestShortSecretDoesNotMangleMessages(t *testing.T) {
	s := newFaultServer(t, always(status(400, `{"error_code":"CPS.0005","error_msg":"busy: bad request body"}`)), false)
	c, err := NewClient(WithEndpoint(s.URL), WithProjectID(testProjectID), WithCredentials(Credentials{AccessKey: testAK, SecretKey: "b"}))
	require.NoError(t, err)

	_, err = c.ListPhoneImages(context.Background())

	var apiErr *APIError
	require.ErrorAs(t, err, &apiErr)
	assert.Equal(t, "busy: bad request body", apiErr.Message)
}

// TestErrorMessageCutInsideASecret: a proxy echoes the security token
// where the message's snippet is cut; no part of the token may remain.
func TestErrorMessageCutInsideASecret(t *testing.T) {
	for _, pad := range []int{220, 230, 240, 245, 250, 255} {
		s := newFaultServer(t, always(func(w http.ResponseWriter, r *http.Request, _ int) {
			w.WriteHeader(http.StatusBadRequest)
			_, _ = w.Write([]byte("<p>" + strings.Repeat("x", pad) + " token " + r.Header.Get("X-Security-Token") + "</p>"))
		}), false)
		c := newFaultClient(t, s.URL)

		_, err := c.ListPhoneImages(context.Background())

		var apiErr *APIError
		require.ErrorAs(t, err, &apiErr)
		for k := 6; k <= len(testToken); k++ {
			assert.NotContains(t, apiErr.Message, testToken[:k], "pad %d", pad)
		}
	}
}

// TestDecodeJSONSpeaksTheAPIsWords: a value of the wrong JSON type is named
// by its JSON path, not by the Go types the library decodes into (which
// the caller has never seen), and encoding/json's error stays reachable.
func TestDecodeJSONSpeaksTheAPIsWords(t *testing.T) {
	type doc struct {
		Items []struct {
			Status int `json:"status"`
		} `json:"image_infos"`
	}
	tests := map[string]struct {
		body, want string
	}{
		"a list that is an object":  {`{"image_infos":{}}`, "field image_infos is a JSON object, not of the documented type"},
		"a number that is a string": {`{"image_infos":[{"status":"1"}]}`, "field image_infos.status is a JSON string, not of the documented type"},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			_, _, err := decodeJSON[doc]("ListImages", answerOf(tc.body, nil), nil)
			require.Error(t, err)
			assert.Contains(t, err.Error(), "invalid response: decode body: "+tc.want)
			assert.NotContains(t, err.Error(), "Go struct field")
			var typeErr *json.UnmarshalTypeError
			assert.True(t, errors.As(err, &typeErr), "encoding/json's error is still there")
			assert.ErrorIs(t, err, ErrInvalidResponse)
		})
	}
}
