package cph

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/jarcoal/httpmock"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestErrorMessagesGolden pins the exact text of the library's error
// messages, in one table keyed by name: each entry makes an error (a value,
// or a scenario of another test, shared with it) and gives its whole
// message. The other tests check errors with errors.Is and errors.As, and at
// most that the message names the operation.
func TestErrorMessagesGolden(t *testing.T) {
	tests := map[string]struct {
		err  func(t *testing.T) error
		want string
	}{
		"APIError from answer error_code shape":                 {answerError("error_code shape"), "cph: ListPhoneImages: 400 CPS.0005: Invalid parameter: image_type (request id r1)"},
		"APIError from answer nested error shape":               {answerError("nested error shape"), "cph: ListPhoneImages: 403 CPS.0004: Forbidden: project mismatch (request id hdr-2)"},
		"APIError from answer gateway signature error":          {answerError("gateway signature error"), "cph: ListPhoneImages: 401 APIGW.0301: Incorrect IAM authentication information: verify aksk signature fail (request id r3)"},
		"APIError from answer throttled":                        {answerError("throttled"), "cph: ListPhoneImages: 429 APIGW.0308: The request is throttled. (request id r4)"},
		"APIError from answer body request id wins over header": {answerError("body request id wins over header"), "cph: ListPhoneImages: 404 APIGW.0101: The API does not exist or has not been published in the environment (request id body)"},
		"APIError from answer html from a proxy":                {answerError("html from a proxy"), "cph: ListPhoneImages: 502: 502 Bad Gateway 502 Bad Gateway nginx (request id edge-7)"},
		"APIError from answer plain text":                       {answerError("plain text"), "cph: ListPhoneImages: 503: upstream connect error or disconnect"},
		"APIError from answer empty body":                       {answerError("empty body"), "cph: ListPhoneImages: 500: Internal Server Error"},
		"APIError from answer json without known fields":        {answerError("json without known fields"), `cph: ListPhoneImages: 400: {"detail":"bad"}`},
		"APIError from answer long html is cut":                 {answerError("long html is cut"), "cph: ListPhoneImages: 502: " + strings.Repeat("x", maxSnippet) + "…"},
		"APIError from answer redirect is not followed":         {answerError("redirect is not followed"), "cph: ListPhoneImages: 302: Found"},
		"APIError, 0 attempts":                                  {apiErrorAfter(0), "cph: ListPhoneImages: 503 CPS.0503: busy (request id r1)"},
		"APIError, 1 attempt":                                   {apiErrorAfter(1), "cph: ListPhoneImages: 503 CPS.0503: busy (request id r1)"},
		"APIError, 3 attempts":                                  {apiErrorAfter(3), "cph: ListPhoneImages: 503 CPS.0503: busy (request id r1)"},
		"APIError, the official SDK's example": {
			value(&APIError{Operation: "ListPhoneImages", StatusCode: 400, Code: "CPS.0005", Message: "bad", RequestID: "r1"}),
			"cph: ListPhoneImages: 400 CPS.0005: bad (request id r1)",
		},

		"InvalidResponseError, all parts":    {invalidResponse("all parts"), `cph: ListPhoneImages: decode body: unexpected end of JSON input (body starts "{\"phone_") (request id r1)`},
		"InvalidResponseError, no Err":       {invalidResponse("no Err"), "cph: ListPhoneImages: " + ErrInvalidResponse.Error()},
		"InvalidResponseError, no operation": {invalidResponse("no operation"), "cph: decode body: unexpected end of JSON input"},

		"profile file swapped while opening: removed":                  {profileSwapped("removed"), "cph: ProfileCredentials: missing credentials: the profile file <path>: " + "no such file; create it, or set " + envCredentialsFile + " to another one"},
		"profile file swapped while opening: for another regular file": {profileSwapped("for another regular file"), "cph: ProfileCredentials: invalid credentials: <path>" + " was replaced while it was being opened; try again"},
		"profile file swapped while opening: for a named pipe":         {profileSwapped("for a named pipe"), "cph: ProfileCredentials: invalid credentials: <path>" + " is a named pipe, not a regular file"},
		"profile file swapped while opening: for a directory":          {profileSwapped("for a directory"), "cph: ProfileCredentials: invalid credentials: <path>" + " is a directory, not a regular file"},

		"connection refused, retried": {
			func(t *testing.T) error { _, err := listFromClosedPort(t); return err },
			"cph: ListPhoneImages: after 3 attempts: Get \"http://127.0.0.1:",
		},
		"IAM endpoint of a profile invalid": {
			func(t *testing.T) error {
				path, err := discoverWithProfileIAMEndpoint(t, "ftp://nowhere")
				require.Error(t, err)
				return errors.New(strings.ReplaceAll(err.Error(), path, "<path>"))
			},
			`cph: ListPhoneImages: discover project ID: IAM endpoint from iam_endpoint in <path>: invalid endpoint: "ftp://nowhere" is not an absolute http(s) URL`,
		},
		"credentials provider failing during discovery": {
			func(t *testing.T) error { _, err := discoverWithEmptyEnvironment(t); return err },
			"cph: ListPhoneImages: credentials: EnvCredentials: missing credentials: the environment: HUAWEICLOUD_SDK_AK and HUAWEICLOUD_SDK_SK are not set",
		},
		"Retry-After past the deadline": {
			err: func(t *testing.T) error {
				ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
				defer cancel()
				_, err := listPastRetryAfter(t, ctx)
				return err
			},
			want: "cph: ListPhoneImages: 429 APIGW.0308: throttled (request id req-1); not retried: the next attempt, 1h0m0s from now, would come after the context's deadline, ",
		},
		"canceled during backoff": {
			func(t *testing.T) error { _, _, err := listCanceledDuringBackoff(t); return err },
			"cph: ListPhoneImages: context canceled while waiting to retry after 1 attempt; last error: cph: ListPhoneImages: 503: Service Unavailable (request id req-1)",
		},
		"unknown signing algorithm": {
			func(t *testing.T) error {
				isolateEnv(t)
				_, err := NewClient(WithRegion(testRegion), WithProjectID(testProjectID), WithCredentials(testCreds),
					WithSigningAlgorithm("SDK-HMAC-MD5"))
				return err
			},
			`cph: NewClient: invalid parameter: signing algorithm "SDK-HMAC-MD5" is not "SDK-HMAC-SHA256" or "SDK-HMAC-SM3"`,
		},
		"project ID discovery refused by IAM": {
			func(t *testing.T) error {
				cloud := newFakeCloud(t)
				cloud.set(func(f *fakeCloud) { f.iamStatus = http.StatusForbidden })
				return listOnce(newDiscoveringClient(t, cloud))
			},
			"cph: ListPhoneImages: discover project ID: KeystoneListProjects: 403 IAM.0001: denied by the fake",
		},
		"credentials provider failing": {
			func(t *testing.T) error {
				isolateEnv(t)
				cloud := newFakeCloud(t)
				p := &stubProvider{err: fmt.Errorf("cph: vault: %w: sealed", ErrMissingCredentials)}
				c, err := NewClient(WithEndpoint(cloud.URL), WithProjectID(testProjectID), WithCredentialsProvider(p))
				require.NoError(t, err)
				return listOnce(c)
			},
			"cph: ListPhoneImages: credentials: vault: missing credentials: sealed",
		},

		"HUAWEICLOUD_SDK_REGION ill-formed": {
			func(t *testing.T) error {
				setEnv(t, map[string]string{envRegion: "CN-NORTH-4"}, "")
				_, err := NewClient(WithProjectID(testProjectID), WithCredentials(testCreds))
				return err
			},
			`cph: NewClient: HUAWEICLOUD_SDK_REGION: invalid endpoint: region "CN-NORTH-4" is not a region ID such as "cn-north-4"`,
		},
		"DNS failure of a region unknown to Regions": {
			func(t *testing.T) error {
				_, err := listWithFailingDNS(t, nil, noSuchHost, WithRegion("xx-yy-1"), WithProjectID(testProjectID))
				return err
			},
			`cph: ListPhoneImages: after 1 attempt: Get "https://cph.xx-yy-1.myhuaweicloud.com/v1/` + testProjectID + `/cloud-phone/phone-images": lookup cph.xx-yy-1.myhuaweicloud.com: no such host` +
				` (region "xx-yy-1" is not a known CPH region; the known ones are ru-northwest-2, ap-southeast-3, ap-southeast-1, cn-north-4, cn-south-1, cn-southwest-2, cn-east-3, cn-east-2, cn-north-9, la-south-2, la-north-2, af-north-1, cn-east-4)`,
		},
		"Credentials JSON with a redacted secret key": {
			unmarshalCredentials(`{"access_key":"` + testAK + `","secret_key":"[REDACTED]"}`),
			`cph: Credentials.UnmarshalJSON: invalid credentials: secret_key is "[REDACTED]", the placeholder MarshalJSON writes, not a secret key`,
		},
		"Credentials JSON with a redacted security token": {
			unmarshalCredentials(`{"access_key":"` + testAK + `","secret_key":"` + testSK + `","security_token":"[REDACTED]"}`),
			`cph: Credentials.UnmarshalJSON: invalid credentials: security_token is "[REDACTED]", the placeholder MarshalJSON writes, not a security token`,
		},
		"Credentials JSON with a masked access key": {
			unmarshalCredentials(`{"access_key":"HPUA****E1","secret_key":"` + testSK + `"}`),
			"cph: Credentials.UnmarshalJSON: invalid credentials: access_key is masked, as MarshalJSON writes it, not an access key",
		},
		"Credentials JSON with both names differing": {
			unmarshalCredentials(`{"security_token":"a","SecurityToken":"b"}`),
			"cph: Credentials.UnmarshalJSON: invalid credentials: security_token and SecurityToken are both given, with different values",
		},
		"Credentials JSON with a number": {
			unmarshalCredentials(`{"secret_key":1}`),
			"cph: Credentials.UnmarshalJSON: invalid credentials: secret_key is a JSON number, not a string",
		},
		"Credentials JSON not an object": {
			unmarshalCredentials(`[]`),
			"cph: Credentials.UnmarshalJSON: invalid credentials: the credentials are a JSON array, not an object",
		},
		"ListPhoneImages given an option of ListImages": {imageCallError(func(c *Client) error {
			_, err := c.ListPhoneImages(context.Background(), WithLimit(10))
			return err
		}), "cph: ListPhoneImages: invalid parameter: WithLimit is not an option of ListPhoneImages"},
		"ListImages answered 2xx with a body that is not its document": {
			func(t *testing.T) error {
				c := newMockedClient(t)
				httpmock.RegisterResponder(http.MethodGet, `=~.`, httpmock.NewStringResponder(200, `{"image_infos":{}}`))
				_, err := c.ListImages(context.Background())
				return err
			},
			`cph: ListImages: invalid response: decode body: field image_infos is a JSON object, not of the documented type (body starts "{\"image_infos\":{}}")`,
		},
		"ListImages limit 0":        {listImagesError(WithLimit(0)), "cph: ListImages: invalid parameter: limit 0 is outside 1..100"},
		"ListImages offset -1":      {listImagesError(WithOffset(-1)), "cph: ListImages: invalid parameter: offset -1 is outside 0..2147483647"},
		"ListImages public type":    {listImagesError(WithImageType(ImageTypePublic)), `cph: ListImages: invalid parameter: image type "public" is not one ListImages takes: private, share`},
		"ListImages unknown status": {listImagesError(WithImageStatus(3)), "cph: ListImages: invalid parameter: image status 3 is not one of 0 (creating), 1 (available), 2 (failed)"},
		"ListImages inverted range": {
			listImagesError(WithCreatedBetween(time.Date(2024, 4, 17, 2, 13, 38, 0, time.UTC), time.Date(2024, 4, 17, 2, 13, 37, 500_000_000, time.UTC))),
			"cph: ListImages: invalid parameter: creation time range is inverted: until 2024-04-17T02:13:37.5Z is before since 2024-04-17T02:13:38Z",
		},
		"ListImages time before the epoch": {
			listImagesError(WithCreatedBetween(time.Date(1969, 12, 31, 0, 0, 0, 0, time.UTC), time.Time{})),
			"cph: ListImages: invalid parameter: creation time 1969-12-31T00:00:00Z is outside 1970..9999",
		},
		"ListImages empty name": {listImagesError(WithImageName("")), `cph: ListImages: invalid parameter: image name "" is empty; leave the option out not to filter`},
		"ListImages long name": {
			listImagesError(WithImageName(strings.Repeat("n", 300))),
			`cph: ListImages: invalid parameter: image name "` + strings.Repeat("n", 64) + `" is longer than 255 bytes`,
		},
		"ListImages ID with space": {listImagesError(WithImageID("a b")), `cph: ListImages: invalid parameter: image ID "a b" has white space`},
		"ListImages bad source project": {
			listImagesError(WithSourceProject("a/b")),
			`cph: ListImages: invalid parameter: source project ID "a/b" is not a project ID (1 to 64 letters, digits, '-' or '_')`,
		},
		"AllImages limit 101": {imageCallError(func(c *Client) error {
			for _, err := range c.AllImages(context.Background(), WithLimit(101)) {
				return err
			}
			return nil
		}), "cph: AllImages: invalid parameter: limit 101 is outside 1..100"},
		"DeleteImage image ID with a slash": {imageCallError(func(c *Client) error {
			_, err := c.DeleteImage(context.Background(), "a/b")
			return err
		}), `cph: DeleteImage: invalid parameter: image_id "a/b" has a slash`},
		"AddImageMember bad member": {imageCallError(func(c *Client) error {
			_, err := c.AddImageMember(context.Background(), "img", "a b")
			return err
		}), `cph: AddImageMember: invalid parameter: member project ID "a b" is not a project ID (1 to 64 letters, digits, '-' or '_')`},
		"DeleteImageMember bad member": {imageCallError(func(c *Client) error {
			_, err := c.DeleteImageMember(context.Background(), "img", "")
			return err
		}), `cph: DeleteImageMember: invalid parameter: member project ID "" is not a project ID (1 to 64 letters, digits, '-' or '_')`},
		"UpdateImageMember bad status": {imageCallError(func(c *Client) error {
			_, err := c.UpdateImageMember(context.Background(), "img", "pending")
			return err
		}), `cph: UpdateImageMember: invalid parameter: member status "pending" is not "accepted" or "rejected"`},
	}
	// These messages go on after want with what the clock or the machine
	// says (how far the deadline is, a port, the system's words).
	goesOn := map[string]bool{"Retry-After past the deadline": true, "connection refused, retried": true}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			err := tc.err(t)
			require.Error(t, err)
			if goesOn[name] {
				assert.True(t, strings.HasPrefix(err.Error(), tc.want), "%q starts with %q", err, tc.want)
			} else {
				assert.Equal(t, tc.want, err.Error())
			}
			assert.True(t, strings.HasPrefix(err.Error(), "cph: "), "starts with cph:")
		})
	}
}

// value makes err a golden entry's error.
func value(err error) func(*testing.T) error { return func(*testing.T) error { return err } }

// answerError is the error of ListPhoneImages given apiErrorAnswers[name]
// (TestListPhoneImagesAPIErrors).
func answerError(name string) func(*testing.T) error {
	return func(t *testing.T) error {
		_, err := listWithAnswer(t, name)
		var apiErr *APIError
		require.True(t, errors.As(err, &apiErr), "precondition: an *APIError")
		return err
	}
}

// apiErrorAfter is a 503 *APIError after that many attempts: the number of
// attempts is in the Attempts field, and the documented message does not
// change with it.
func apiErrorAfter(attempts int) func(*testing.T) error {
	return value(&APIError{Operation: "ListPhoneImages", StatusCode: 503, Code: "CPS.0503", Message: "busy", RequestID: "r1", Attempts: attempts})
}

// invalidResponse is invalidResponseErrors[name]
// (TestInvalidResponseErrorWrapsSentinel).
func invalidResponse(name string) func(*testing.T) error {
	return func(t *testing.T) error {
		e, ok := invalidResponseErrors[name]
		require.True(t, ok, "no error %q", name)
		return e
	}
}

// profileSwapped is the error of retrieveSwapped(name)
// (TestProfileCredentialsSwappedWhileOpening), its file's path written
// <path>.
func profileSwapped(name string) func(*testing.T) error {
	return func(t *testing.T) error {
		path, err := retrieveSwapped(t, name)
		require.Error(t, err)
		return errors.New(strings.ReplaceAll(err.Error(), path, "<path>"))
	}
}

// unmarshalCredentials is the error of decoding in as Credentials
// (TestCredentialsUnmarshalJSON).
func unmarshalCredentials(in string) func(*testing.T) error {
	return func(*testing.T) error {
		var c Credentials
		return json.Unmarshal([]byte(in), &c)
	}
}
