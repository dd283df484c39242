package cphtest_test

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/cph-go/cph"
	"github.com/cph-go/cph/cphtest"
	"github.com/cph-go/cph/internal/sigv"
)

const imagesPath = "/v1/{project_id}/cloud-phone/phone-images"

// newServer starts a server that is closed when the test ends.
func newServer(t *testing.T, opts ...cphtest.Option) *cphtest.Server {
	t.Helper()
	srv := cphtest.NewServer(opts...)
	t.Cleanup(srv.Close)
	return srv
}

// newClient returns a client of srv, with extra options after the server's.
func newClient(t *testing.T, srv *cphtest.Server, extra ...cph.Option) *cph.Client {
	t.Helper()
	c, err := cph.NewClient(append(srv.ClientOptions(), extra...)...)
	require.NoError(t, err)
	return c
}

func ctx(t *testing.T) context.Context {
	t.Helper()
	c, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	t.Cleanup(cancel)
	return c
}

// rawRequest describes a request signed by hand, for what the client
// library would refuse to send.
type rawRequest struct {
	method    string
	path      string // "{project_id}" is replaced by the server's project ID
	query     url.Values
	creds     cph.Credentials
	scheme    string    // sigv.HMACSHA256 if empty
	date      time.Time // time.Now if zero
	signToken bool      // put X-Security-Token among the signed headers
	sendToken string    // X-Security-Token to send, if any
	unsigned  bool      // send no Authorization header
	project   string    // replaces "{project_id}", and is X-Project-Id; the server's if empty
	body      string    // the body, signed, sent as application/json
	sentBody  *string   // when set, sent instead of body (body is still what is signed)
}

// do sends r to srv and returns the status, headers and body.
func (r rawRequest) do(t *testing.T, srv *cphtest.Server) (int, http.Header, []byte) {
	t.Helper()
	if r.method == "" {
		r.method = http.MethodGet
	}
	if r.scheme == "" {
		r.scheme = sigv.HMACSHA256
	}
	if r.date.IsZero() {
		r.date = time.Now()
	}
	u, err := url.Parse(srv.URL)
	require.NoError(t, err)
	project := r.project
	if project == "" {
		project = srv.ProjectID()
	}
	u.Path = strings.ReplaceAll(r.path, "{project_id}", project)
	u.RawQuery = r.query.Encode()
	sent := r.body
	if r.sentBody != nil {
		sent = *r.sentBody
	}
	var body io.Reader
	if sent != "" {
		body = strings.NewReader(sent)
	}
	req, err := http.NewRequestWithContext(ctx(t), r.method, u.String(), body)
	require.NoError(t, err)
	date := r.date.UTC().Format(sigv.DateFormat)
	req.Header.Set(sigv.HeaderDate, date)
	req.Header.Set("X-Project-Id", project)
	headers := []sigv.Header{{Name: "Host", Value: u.Host}, {Name: sigv.HeaderDate, Value: date}, {Name: "X-Project-Id", Value: project}}
	contentType := ""
	if sent != "" || r.body != "" {
		contentType = "application/json"
		req.Header.Set("Content-Type", contentType)
	}
	if r.sendToken != "" {
		req.Header.Set("X-Security-Token", r.sendToken)
		if r.signToken {
			headers = append(headers, sigv.Header{Name: "X-Security-Token", Value: r.sendToken})
		}
	}
	if !r.unsigned {
		auth, err := sigv.Sign(r.scheme, sigv.Request{
			Method: r.method, Host: u.Host, Path: u.Path, Query: u.Query(), Headers: headers,
			ContentType: contentType, Body: []byte(r.body),
		}, r.creds.AccessKey, r.creds.SecretKey)
		require.NoError(t, err)
		req.Header.Set(sigv.HeaderAuthorization, auth)
	}
	resp, err := http.DefaultTransport.RoundTrip(req)
	require.NoError(t, err)
	defer resp.Body.Close()
	answer, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	return resp.StatusCode, resp.Header, answer
}

// gatewayError is the error document the server answers with.
type gatewayError struct {
	Code      string `json:"error_code"`
	Message   string `json:"error_msg"`
	RequestID string `json:"request_id"`
}

// requireError decodes an error document and checks that its request ID
// is the X-Request-Id header's.
func requireError(t *testing.T, header http.Header, body []byte) gatewayError {
	t.Helper()
	var e gatewayError
	require.NoError(t, json.Unmarshal(body, &e), "body %s", body)
	assert.NotEmpty(t, e.RequestID)
	assert.Equal(t, header.Get("X-Request-Id"), e.RequestID)
	return e
}

// requireAPIError returns the *cph.APIError in err.
func requireAPIError(t *testing.T, err error) *cph.APIError {
	t.Helper()
	require.Error(t, err)
	var apiErr *cph.APIError
	require.ErrorAs(t, err, &apiErr)
	return apiErr
}

// imageIDs returns the IDs of images, in order.
func imageIDs(images []cph.PhoneImage) []string {
	ids := make([]string, len(images))
	for i, img := range images {
		ids[i] = img.ID
	}
	return ids
}
