package cphtest_test

import (
	"context"
	"errors"
	"io"
	"net/http"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/cph-go/cph/cphtest"
)

// faultShape is what a client sees of an answer to a faulted request,
// told relative to the server's normal answer to the same request, so that
// two servers with different normal answers can be compared.
type faultShape struct {
	err           string // "", "reset", "no answer in time", "cut short" or the error
	status        string // "normal" or the status
	contentType   string // both servers' normal answers are application/json
	contentLength string // "normal" or the Content-Length
	body          string // "normal", "half of normal" or the body
	header        string // X-Extra and Retry-After, as "X-Extra=a,b Retry-After=7"
}

// normalShape is the shape of an answer the fault left alone.
var normalShape = faultShape{status: "normal", contentType: "application/json", contentLength: "normal", body: "normal"}

// shapeOf sends a GET of url, which normally answers normal, with a
// client that gives up after wait, and tells what came back. A Server's
// request ID is blanked out of the bodies: it differs from one answer to
// the next.
func shapeOf(t *testing.T, url string, normal mdAnswer, wait time.Duration) faultShape {
	t.Helper()
	c, cancel := context.WithTimeout(ctx(t), wait)
	defer cancel()
	a, err := mdTryURL(c, http.MethodGet, url)
	var s faultShape
	switch {
	case err == nil:
	case errors.Is(err, syscall.ECONNRESET):
		return faultShape{err: "reset"}
	case errors.Is(err, context.DeadlineExceeded):
		return faultShape{err: "no answer in time"}
	case errors.Is(err, io.ErrUnexpectedEOF):
		s.err = "cut short"
	default:
		return faultShape{err: err.Error()}
	}
	pick := func(got, want string) string {
		if got == want {
			return "normal"
		}
		return got
	}
	s.status = pick(strconv.Itoa(a.status), strconv.Itoa(normal.status))
	s.contentType = a.header.Get("Content-Type")
	s.contentLength = pick(a.header.Get("Content-Length"), normal.header.Get("Content-Length"))
	whole := withoutRequestID(normal)
	switch body := withoutRequestID(a); {
	case body == whole:
		s.body = "normal"
	case len(whole) > 1 && body == whole[:len(whole)/2]:
		s.body = "half of normal"
	default:
		s.body = body
	}
	var h []string
	for _, name := range []string{"X-Extra", "Retry-After"} {
		if v := a.header.Values(name); len(v) > 0 {
			h = append(h, name+"="+strings.Join(v, ","))
		}
	}
	s.header = strings.Join(h, " ")
	return s
}

// withoutRequestID is a's body with its X-Request-Id, if any, blanked.
func withoutRequestID(a mdAnswer) string {
	if id := a.header.Get("X-Request-Id"); id != "" {
		return strings.ReplaceAll(a.body, id, strings.Repeat("-", len(id)))
	}
	return a.body
}

// TestFaultsAgree pins that Server and MetadataServer read a Fault alike:
// the same Fault gives the same answer, or the same lack of one, relative
// to each server's normal answer. (The error document, which only the
// gateway has, is the documented difference, and no row uses it.)
func TestFaultsAgree(t *testing.T) {
	const short = 100 * time.Millisecond // how long the client waits for a held answer
	tests := map[string]struct {
		fault cphtest.Fault
		want  faultShape
	}{
		"zero Fault": {cphtest.Fault{}, normalShape},
		"Hang wins over the rest": {
			cphtest.Fault{Hang: true, Reset: true, Status: 503, Body: "ignored"},
			faultShape{err: "no answer in time"},
		},
		"Reset wins over an answer": {
			cphtest.Fault{Reset: true, Status: 503, Body: "ignored", Truncate: true},
			faultShape{err: "reset"},
		},
		"Delay past the client's patience": {
			cphtest.Fault{Delay: time.Hour, Status: 503, Body: "late"},
			faultShape{err: "no answer in time"},
		},
		"Delay, then the normal answer": {cphtest.Fault{Delay: time.Millisecond}, normalShape},
		"Delay, then the fault's answer": {
			cphtest.Fault{Delay: time.Millisecond, Status: 503, Body: "busy"},
			faultShape{status: "503", contentType: "text/plain; charset=utf-8", contentLength: "4", body: "busy"},
		},
		"Truncate, the normal answer": {
			cphtest.Fault{Truncate: true},
			faultShape{err: "cut short", status: "normal", contentType: "application/json", contentLength: "normal", body: "half of normal"},
		},
		"Truncate, the fault's answer": {
			cphtest.Fault{Status: 502, Body: proxyHTML, Truncate: true},
			faultShape{err: "cut short", status: "502", contentType: "text/html; charset=utf-8",
				contentLength: strconv.Itoa(len(proxyHTML)), body: proxyHTML[:len(proxyHTML)/2]},
		},
		"Status and an HTML body": {
			cphtest.Fault{Status: 502, Body: proxyHTML},
			faultShape{status: "502", contentType: "text/html; charset=utf-8", contentLength: strconv.Itoa(len(proxyHTML)), body: proxyHTML},
		},
		"Status and a JSON body": {
			cphtest.Fault{Status: 404, Body: `{"error":"no"}`},
			faultShape{status: "404", contentType: "application/json", contentLength: "14", body: `{"error":"no"}`},
		},
		"Body without a Status is 500": {
			cphtest.Fault{Body: "oops"},
			faultShape{status: "500", contentType: "text/plain; charset=utf-8", contentLength: "4", body: "oops"},
		},
		"Status outside 200..599 is 500": {
			cphtest.Fault{Status: 700, Body: "oops"},
			faultShape{status: "500", contentType: "text/plain; charset=utf-8", contentLength: "4", body: "oops"},
		},
		"Status 204 sends no body": {
			cphtest.Fault{Status: 204, Body: "dropped", Truncate: true},
			faultShape{status: "204", contentType: "text/plain; charset=utf-8"},
		},
		"Header on the normal answer": {
			cphtest.Fault{Header: http.Header{"x-extra": {"a", "b"}}},
			faultShape{status: "normal", contentType: "application/json", contentLength: "normal", body: "normal", header: "X-Extra=a,b"},
		},
		"Header on the fault's answer": {
			cphtest.Fault{Status: 429, Body: "slow down", Header: http.Header{
				"Retry-After": {"7"}, "Content-Type": {"text/html"}, "Content-Length": {"99"},
			}},
			faultShape{status: "429", contentType: "text/html", contentLength: "9", body: "slow down", header: "Retry-After=7"},
		},
	}
	srv := newServer(t)
	md := newMD(t, mdCreds, mdExpires)
	srvURL := srv.URL + strings.ReplaceAll(imagesPath, "{project_id}", srv.ProjectID()) // unsigned: 401
	mdURL := md.URL + mdKeyPath
	srvNormal, err := mdTryURL(ctx(t), http.MethodGet, srvURL)
	require.NoError(t, err)
	require.Equal(t, http.StatusUnauthorized, srvNormal.status)
	mdNormal, err := mdTryURL(ctx(t), http.MethodGet, mdURL)
	require.NoError(t, err)
	require.Equal(t, http.StatusOK, mdNormal.status)

	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			srv.InjectFault(1, tc.fault)
			got := shapeOf(t, srvURL, srvNormal, short)
			assert.Equal(t, tc.want, got, "Server")
			md.InjectFault(1, tc.fault)
			assert.Equal(t, got, shapeOf(t, mdURL, mdNormal, short), "MetadataServer, as Server")

			assert.Equal(t, normalShape, shapeOf(t, srvURL, srvNormal, 10*time.Second), "Server: one request only")
			assert.Equal(t, normalShape, shapeOf(t, mdURL, mdNormal, 10*time.Second), "MetadataServer: one request only")
		})
	}
}
