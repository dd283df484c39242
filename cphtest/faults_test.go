package cphtest_test

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/cph-go/cph"
	"github.com/cph-go/cph/cphtest"
)

const proxyHTML = "<html><head><title>502 Bad Gateway</title></head><body><h1>502 Bad Gateway</h1><hr>nginx</body></html>"

// get sends an unsigned GET of path to srv (faults come before signature
// checks) and returns the answer, its body read to the end, and the read's
// error.
func get(t *testing.T, srv *cphtest.Server, path string) (*http.Response, []byte, error) {
	t.Helper()
	return getCtx(t, ctx(t), srv, path)
}

func getCtx(t *testing.T, c context.Context, srv *cphtest.Server, path string) (*http.Response, []byte, error) {
	t.Helper()
	req, err := http.NewRequestWithContext(c, http.MethodGet, srv.URL+strings.ReplaceAll(path, "{project_id}", srv.ProjectID()), nil)
	require.NoError(t, err)
	resp, err := http.DefaultTransport.RoundTrip(req)
	if err != nil {
		return nil, nil, err
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	return resp, body, err
}

func TestInjectFault_Answers(t *testing.T) {
	tests := map[string]struct {
		fault       cphtest.Fault
		status      int
		contentType string
		body        string // "" for the gateway's document
		code        string // of the gateway's document
		header      http.Header
	}{
		"gateway document": {
			fault:  cphtest.Fault{Status: 503, Code: "APIGW.0201", Message: "Backend unavailable."},
			status: 503, contentType: "application/json", code: "APIGW.0201",
		},
		"HTML page": {
			fault:  cphtest.Fault{Status: 502, Body: proxyHTML},
			status: 502, contentType: "text/html; charset=utf-8", body: proxyHTML,
		},
		"200 with an HTML page": {
			fault:  cphtest.Fault{Status: 200, Body: proxyHTML},
			status: 200, contentType: "text/html; charset=utf-8", body: proxyHTML,
		},
		"JSON object body": {
			fault:  cphtest.Fault{Status: 404, Body: `{"error":{"code":"CPS.0404","message":"no"}}`},
			status: 404, contentType: "application/json", body: `{"error":{"code":"CPS.0404","message":"no"}}`,
		},
		"plain text body": {
			fault:  cphtest.Fault{Status: 504, Body: "gateway timeout"},
			status: 504, contentType: "text/plain; charset=utf-8", body: "gateway timeout",
		},
		"Header sets the content type": {
			fault:  cphtest.Fault{Status: 502, Body: "<p>bad</p>", Header: http.Header{"Content-Type": {"text/html"}}},
			status: 502, contentType: "text/html", body: "<p>bad</p>",
		},
		"Header's names are canonicalised": {
			fault:  cphtest.Fault{Status: 429, Code: "APIGW.0308", Header: http.Header{"retry-after": {"7"}}},
			status: 429, contentType: "application/json", code: "APIGW.0308",
			header: http.Header{"Retry-After": {"7"}},
		},
		"Header cannot set Content-Length": {
			fault:  cphtest.Fault{Status: 500, Body: "abc", Header: http.Header{"Content-Length": {"99"}}},
			status: 500, contentType: "text/plain; charset=utf-8", body: "abc",
			header: http.Header{"Content-Length": {"3"}},
		},
		"a code without a status is 500": {
			fault:  cphtest.Fault{Code: "CPS.0003"},
			status: 500, contentType: "application/json", code: "CPS.0003",
		},
		"a body without a status is 500": {
			fault:  cphtest.Fault{Body: "oops"},
			status: 500, contentType: "text/plain; charset=utf-8", body: "oops",
		},
		"status 700 is 500": {
			fault:  cphtest.Fault{Status: 700},
			status: 500, contentType: "application/json",
		},
		"status 103 is 500": {
			fault:  cphtest.Fault{Status: 103, Code: "X"},
			status: 500, contentType: "application/json", code: "X",
		},
		"negative status is 500": {
			fault:  cphtest.Fault{Status: -1, Message: "m"},
			status: 500, contentType: "application/json",
		},
		"negative delay": {
			fault:  cphtest.Fault{Status: 503, Code: "APIGW.0201", Delay: -time.Hour},
			status: 503, contentType: "application/json", code: "APIGW.0201",
		},
		"delayed answer": {
			fault:  cphtest.Fault{Status: 503, Code: "APIGW.0201", Delay: 20 * time.Millisecond},
			status: 503, contentType: "application/json", code: "APIGW.0201",
		},
	}
	for name, tt := range tests {
		t.Run(name, func(t *testing.T) {
			srv := newServer(t)
			srv.InjectFault(1, tt.fault)

			resp, body, err := get(t, srv, imagesPath)
			require.NoError(t, err)
			assert.Equal(t, tt.status, resp.StatusCode)
			assert.Equal(t, tt.contentType, resp.Header.Get("Content-Type"))
			assert.Regexp(t, "^[0-9a-f]{32}$", resp.Header.Get("X-Request-Id"))
			assert.NotEmpty(t, resp.Header.Get("Date"))
			for name, values := range tt.header {
				assert.Equal(t, values, resp.Header.Values(name), name)
			}
			if tt.body != "" {
				assert.Equal(t, tt.body, string(body))
			} else {
				e := requireError(t, resp.Header, body)
				assert.Equal(t, tt.code, e.Code)
				assert.Equal(t, tt.fault.Message, e.Message)
			}

			// One request only: the next one is routed, and refused as unsigned.
			resp, _, err = get(t, srv, imagesPath)
			require.NoError(t, err)
			assert.Equal(t, http.StatusUnauthorized, resp.StatusCode)
		})
	}
}

func TestInjectFault_NoBodyStatus(t *testing.T) {
	srv := newServer(t)
	srv.InjectFault(1, cphtest.Fault{Status: http.StatusNoContent, Body: "dropped", Truncate: true})
	resp, body, err := get(t, srv, "/anything")
	require.NoError(t, err)
	assert.Equal(t, http.StatusNoContent, resp.StatusCode)
	assert.Empty(t, body)
}

// A fault that sets no answer leaves it to the server: routing, signature
// checks and the normal answer, changed only as the fault says.
func TestInjectFault_NormalAnswer(t *testing.T) {
	t.Run("zero fault", func(t *testing.T) {
		srv := newServer(t)
		srv.InjectFault(1, cphtest.Fault{})
		srv.InjectFault(1, cphtest.Fault{Status: 503})
		resp, _, err := get(t, srv, imagesPath)
		require.NoError(t, err)
		assert.Equal(t, http.StatusUnauthorized, resp.StatusCode, "routed and verified as without a fault")
		resp, _, err = get(t, srv, imagesPath)
		require.NoError(t, err)
		assert.Equal(t, 503, resp.StatusCode, "the zero fault used up its request")
	})
	t.Run("only Delay: a slow normal answer", func(t *testing.T) {
		srv := newServer(t)
		srv.InjectFault(1, cphtest.Fault{Delay: 20 * time.Millisecond})
		out, err := newClient(t, srv).ListPhoneImages(ctx(t))
		require.NoError(t, err)
		assert.Equal(t, cphtest.DocumentedImages(), out.Images)
		assert.Len(t, srv.Requests(), 1)
	})
	t.Run("only Header: added to the normal answer", func(t *testing.T) {
		srv := newServer(t)
		srv.InjectFault(1, cphtest.Fault{Header: http.Header{"X-Extra": {"1"}, "Content-Type": {"text/plain"}}})
		resp, body, err := get(t, srv, "/nowhere")
		require.NoError(t, err)
		assert.Equal(t, http.StatusNotFound, resp.StatusCode)
		assert.Equal(t, "1", resp.Header.Get("X-Extra"))
		assert.Equal(t, "text/plain", resp.Header.Get("Content-Type"), "Header replaces the server's own")
		assert.Equal(t, cphtest.CodeAPINotFound, requireError(t, resp.Header, body).Code)
	})
	t.Run("only Truncate: the normal answer cut in half", func(t *testing.T) {
		srv := newServer(t)
		status, _, whole := rawRequest{path: imagesPath, creds: srv.Credentials()}.do(t, srv)
		require.Equal(t, http.StatusOK, status)

		srv.InjectFault(1, cphtest.Fault{Truncate: true})
		_, err := newClient(t, srv, cph.WithMaxAttempts(1)).ListPhoneImages(ctx(t))
		assert.ErrorIs(t, err, io.ErrUnexpectedEOF)

		srv.InjectFault(1, cphtest.Fault{Truncate: true})
		resp, body, err := get(t, srv, imagesPath) // unsigned: the 401 is cut
		assert.ErrorIs(t, err, io.ErrUnexpectedEOF)
		require.NotNil(t, resp)
		assert.Equal(t, http.StatusUnauthorized, resp.StatusCode)
		assert.Positive(t, resp.ContentLength)
		assert.Len(t, body, int(resp.ContentLength)/2)
		assert.NotEmpty(t, whole)
	})
}

func TestInjectFault_Truncate(t *testing.T) {
	srv := newServer(t)
	srv.InjectFault(1, cphtest.Fault{Status: 502, Body: proxyHTML, Truncate: true})
	resp, body, err := get(t, srv, imagesPath)
	assert.ErrorIs(t, err, io.ErrUnexpectedEOF)
	require.NotNil(t, resp)
	assert.Equal(t, 502, resp.StatusCode)
	assert.Equal(t, int64(len(proxyHTML)), resp.ContentLength, "the whole body's length is declared")
	assert.Equal(t, proxyHTML[:len(proxyHTML)/2], string(body))

	// The connection was closed; the next request gets a new one and a
	// whole answer.
	resp, _, err = get(t, srv, imagesPath)
	require.NoError(t, err)
	assert.Equal(t, http.StatusUnauthorized, resp.StatusCode)
}

func TestInjectFault_Reset(t *testing.T) {
	srv := newServer(t)
	srv.InjectFault(1, cphtest.Fault{Reset: true, Status: 503, Body: "ignored", Delay: 10 * time.Millisecond})
	_, _, err := get(t, srv, imagesPath)
	require.Error(t, err)
	assert.True(t, errors.Is(err, syscall.ECONNRESET), "a TCP reset: %v", err)
	assert.Len(t, srv.Requests(), 1, "the request is recorded")

	// Through the client: retried, and served.
	srv.InjectFault(1, cphtest.Fault{Reset: true})
	out, err := newClient(t, srv, cph.WithBackoff(0, 0)).ListPhoneImages(ctx(t))
	require.NoError(t, err)
	assert.Len(t, out.Images, 3)
	assert.Len(t, srv.Requests(), 3)
}

func TestInjectFault_HangUntilTheClientGivesUp(t *testing.T) {
	srv := newServer(t)
	srv.InjectFault(1, cphtest.Fault{Hang: true, Status: 200, Reset: true})
	c, cancel := context.WithTimeout(ctx(t), 100*time.Millisecond)
	defer cancel()
	_, _, err := getCtx(t, c, srv, imagesPath)
	assert.ErrorIs(t, err, context.DeadlineExceeded)

	resp, _, err := get(t, srv, imagesPath)
	require.NoError(t, err)
	assert.Equal(t, http.StatusUnauthorized, resp.StatusCode, "the hang was used up")
}

func TestInjectFault_DelayCutShortByTheContext(t *testing.T) {
	srv := newServer(t)
	srv.InjectFault(1, cphtest.Fault{Delay: time.Hour})
	c, cancel := context.WithTimeout(ctx(t), 100*time.Millisecond)
	defer cancel()
	_, err := newClient(t, srv).ListPhoneImages(c)
	assert.ErrorIs(t, err, context.DeadlineExceeded)
	assert.Len(t, srv.Requests(), 1)
}

// Close lets requests held by a fault go, without an answer, instead of
// waiting for them.
func TestInjectFault_CloseDoesNotWaitForHeldRequests(t *testing.T) {
	for name, f := range map[string]cphtest.Fault{
		"hang":  {Hang: true},
		"delay": {Delay: time.Hour, Status: 503},
	} {
		t.Run(name, func(t *testing.T) {
			srv := cphtest.NewServer()
			defer srv.Close()
			srv.InjectFault(1, f)
			errc := make(chan error, 1)
			go func() {
				_, _, err := get(t, srv, imagesPath)
				errc <- err
			}()
			require.Eventually(t, func() bool { return len(srv.Requests()) == 1 }, 10*time.Second, time.Millisecond)

			closed := make(chan struct{})
			go func() {
				srv.Close()
				close(closed)
			}()
			select {
			case <-closed:
			case <-time.After(30 * time.Second):
				t.Fatal("Close waited for a request held by a fault")
			}
			err := <-errc
			require.Error(t, err, "the held request gets no answer")
			assert.ErrorIs(t, err, io.EOF)
			srv.Close() // again: no effect
		})
	}
}

func TestInjectFault_Queue(t *testing.T) {
	srv := newServer(t)
	srv.InjectFault(0, cphtest.Fault{Status: 500})  // nothing
	srv.InjectFault(-3, cphtest.Fault{Status: 500}) // nothing
	srv.InjectFault(2, cphtest.Fault{Status: 503})
	srv.InjectFault(1, cphtest.Fault{Status: 429})
	var got []int
	for range 4 {
		resp, _, err := get(t, srv, "/x")
		require.NoError(t, err)
		got = append(got, resp.StatusCode)
	}
	assert.Equal(t, []int{503, 503, 429, 404}, got, "in the order injected, then none")
}

func TestInjectFault_Operation(t *testing.T) {
	srv := newServer(t)
	srv.InjectFault(1, cphtest.Fault{Operation: "KeystoneListProjects", Status: 500, Code: "IAM"})
	srv.InjectFault(1, cphtest.Fault{Operation: "ListPhoneImages", Status: 503, Code: "CPH"})
	srv.InjectFault(1, cphtest.Fault{Operation: "NoSuchOperation", Status: 400})
	srv.InjectFault(1, cphtest.Fault{Status: 502, Code: "ANY"})

	code := func(path string) string {
		t.Helper()
		resp, body, err := get(t, srv, path)
		require.NoError(t, err)
		var e gatewayError
		require.NoError(t, json.Unmarshal(body, &e), "%s", body)
		return http.StatusText(resp.StatusCode) + " " + e.Code
	}
	// A path the server does not serve has no operation: only the fault
	// for any request matches it, though it was injected last.
	assert.Equal(t, "Bad Gateway ANY", code("/v1/{project_id}/cloud-phone/phones"))
	assert.Equal(t, "Not Found "+cphtest.CodeAPINotFound, code("/v1/{project_id}/cloud-phone/phones"))
	assert.Equal(t, "Service Unavailable CPH", code(imagesPath))
	assert.Equal(t, "Unauthorized "+cphtest.CodeAuthFailed, code(imagesPath))
	assert.Equal(t, "Internal Server Error IAM", code("/v3/projects?name=cn-north-4"))
	assert.Equal(t, "Unauthorized "+cphtest.CodeAuthFailed, code("/v3/projects"))
	// An operation of another method, or an unclean path, is not the operation.
	srv.InjectFault(2, cphtest.Fault{Operation: "ListPhoneImages", Status: 503, Code: "CPH"})
	assert.Equal(t, "Not Found "+cphtest.CodeAPINotFound, code("/v1/x/../{project_id}/cloud-phone/phone-images"))
	status, _, _ := rawRequest{method: http.MethodPost, path: imagesPath, unsigned: true}.do(t, srv)
	assert.Equal(t, http.StatusNotFound, status)
	assert.Equal(t, "Service Unavailable CPH", code(imagesPath))
}

// The client's discovery of its project ID goes through IAM's route, which
// faults reach too.
func TestInjectFault_IAMDiscovery(t *testing.T) {
	srv := newServer(t)
	srv.InjectFault(1, cphtest.Fault{Operation: "KeystoneListProjects", Status: 503, Code: "IAM.0001"})
	client, err := cph.NewClient(append(srv.DiscoveryOptions(), cph.WithBackoff(0, 0))...)
	require.NoError(t, err)
	out, err := client.ListPhoneImages(ctx(t))
	require.NoError(t, err)
	assert.Len(t, out.Images, 3)
	var paths []string
	for _, r := range srv.Requests() {
		paths = append(paths, r.Path)
	}
	assert.Equal(t, []string{"/v3/projects", "/v3/projects", "/v1/" + srv.ProjectID() + "/cloud-phone/phone-images"}, paths)
}

func TestInjectFault_CopiesTheFault(t *testing.T) {
	srv := newServer(t)
	h := http.Header{"Retry-After": {"1"}}
	srv.InjectFault(2, cphtest.Fault{Status: 429, Header: h})
	h.Set("Retry-After", "99")
	h.Set("X-Later", "x")
	for range 2 {
		resp, _, err := get(t, srv, "/x")
		require.NoError(t, err)
		assert.Equal(t, "1", resp.Header.Get("Retry-After"))
		assert.Empty(t, resp.Header.Get("X-Later"))
	}
}

func TestFailNext_IsAShorthand(t *testing.T) {
	srv := newServer(t)
	statusOf := func() int {
		t.Helper()
		resp, _, err := get(t, srv, "/x")
		require.NoError(t, err)
		return resp.StatusCode
	}

	// FailNext replaces InjectFault's faults too.
	srv.InjectFault(5, cphtest.Fault{Reset: true})
	srv.FailNext(1, http.StatusForbidden, "APIGW.0306", "API access denied.")
	assert.Equal(t, []int{403, 404}, []int{statusOf(), statusOf()})

	// n <= 0 cancels every pending fault.
	srv.InjectFault(5, cphtest.Fault{Reset: true})
	srv.FailNext(0, 500, "", "")
	assert.Equal(t, 404, statusOf())

	// A status outside 200..599 is 500: FailNext always fails.
	srv.FailNext(1, 0, "", "")
	assert.Equal(t, 500, statusOf())
	srv.FailNext(1, 1000, "CPS.0003", "")
	assert.Equal(t, 500, statusOf())
}
