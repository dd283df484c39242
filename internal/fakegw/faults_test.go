package fakegw_test

import (
	"errors"
	"net/http"
	"strconv"
	"syscall"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/cph-go/cph/internal/fakegw"
)

// statuses sends one request of each path to s and returns the statuses.
func statuses(t *testing.T, s *fakegw.Server, paths ...string) []int {
	t.Helper()
	var out []int
	for _, p := range paths {
		out = append(out, call{path: p}.do(t, s).status)
	}
	return out
}

// The fault machinery is cphtest's: its tests pin every field (faults_test,
// faults_agreement_test). These pin what fakegw adds: operations from the
// route table, ReplaceFaults and the ErrorDocument.
func TestFaultsByOperation(t *testing.T) {
	s := routedServer(t, fakegw.Config{Default: text("default")})
	const thing, other = "/v1/a/thing", "/other"

	s.InjectFault(2, fakegw.Fault{Operation: "Get", Status: 503})
	assert.Equal(t, []int{200, 503, 200, 503, 200}, statuses(t, s, other, thing, other, thing, thing))

	s.InjectFault(1, fakegw.Fault{Operation: "NoSuchOperation", Status: 503})
	assert.Equal(t, []int{200, 200}, statuses(t, s, thing, other), "an operation no route has matches nothing")

	s.InjectFault(1, fakegw.Fault{Status: 502})
	assert.Equal(t, []int{502, 200}, statuses(t, s, other, thing), `"" matches a request no route matches`)

	s.InjectFault(1, fakegw.Fault{Operation: "Get", Status: 500})
	s.InjectFault(1, fakegw.Fault{Status: 502})
	assert.Equal(t, []int{502, 500}, statuses(t, s, other, thing), "the first pending fault that matches")
}

func TestReplaceFaults(t *testing.T) {
	s := routedServer(t, fakegw.Config{Default: text("default")})
	s.InjectFault(5, fakegw.Fault{Status: 500})
	s.ReplaceFaults(1, fakegw.Fault{Status: 503})
	assert.Equal(t, []int{503, 200}, statuses(t, s, "/", "/"))

	s.InjectFault(5, fakegw.Fault{Status: 500})
	s.ReplaceFaults(0, fakegw.Fault{Status: 503})
	assert.Equal(t, []int{200}, statuses(t, s, "/"), "n < 1 only cancels")
}

func TestErrorDocument(t *testing.T) {
	f := fakegw.Fault{Status: 429, Code: "APIGW.0308", Message: "throttled"}
	t.Run("the gateway's", func(t *testing.T) {
		s := newServer(t, fakegw.Config{RequestID: func(n uint64) string { return "r" + strconv.FormatUint(n, 10) }})
		s.InjectFault(1, f)
		a := call{path: "/"}.do(t, s)
		assert.Equal(t, 429, a.status)
		assert.Equal(t, "application/json", a.header.Get("Content-Type"))
		assert.Equal(t, `{"error_code":"APIGW.0308","error_msg":"throttled","request_id":"r1"}`, a.body)
		assert.Equal(t, string(fakegw.GatewayDocument(f, 429, "r1")), a.body)
	})
	t.Run("the server's own", func(t *testing.T) {
		s := newServer(t, fakegw.Config{ErrorDocument: func(f fakegw.Fault, status int, id string) []byte {
			return []byte(strconv.Itoa(status) + " " + f.Code + " [" + id + "]")
		}})
		s.InjectFault(1, fakegw.Fault{Status: 700, Code: "X"})
		a := call{path: "/"}.do(t, s)
		assert.Equal(t, 500, a.status)
		assert.Equal(t, "500 X []", a.body, "the status answered, no request ID without RequestID")
		assert.Equal(t, "text/plain; charset=utf-8", a.header.Get("Content-Type"))
	})
}

func TestResetConnection(t *testing.T) {
	s := newServer(t, fakegw.Config{Default: http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		fakegw.ResetConnection(w)
	})})
	_, err := call{path: "/"}.try(t, s.Client(), s.URL)
	require.Error(t, err)
	assert.True(t, errors.Is(err, syscall.ECONNRESET), err.Error())
}

func TestWriteAnswer(t *testing.T) {
	tests := map[string]struct {
		method      string
		status      int
		contentType string // set before WriteAnswer
		body        string
		wantType    string
		wantLength  string
		wantBody    string
	}{
		"JSON object":       {status: 200, body: `{"a":1}`, wantType: "application/json", wantLength: "7", wantBody: `{"a":1}`},
		"JSON array":        {status: 200, body: `[1]`, wantType: "text/plain; charset=utf-8", wantLength: "3", wantBody: `[1]`},
		"HTML":              {status: 502, body: "<html></html>", wantType: "text/html; charset=utf-8", wantLength: "13", wantBody: "<html></html>"},
		"type given":        {status: 200, contentType: "text/plain", body: `{"a":1}`, wantType: "text/plain", wantLength: "7", wantBody: `{"a":1}`},
		"204 sends no body": {status: 204, body: "dropped", wantType: "text/plain; charset=utf-8"},
		"HEAD sends no body": {method: http.MethodHead, status: 200, body: "dropped",
			wantType: "text/plain; charset=utf-8"},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			s := newServer(t, fakegw.Config{Default: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				if tc.contentType != "" {
					w.Header().Set("Content-Type", tc.contentType)
				}
				fakegw.WriteAnswer(w, r, tc.status, []byte(tc.body))
			})})
			a := call{method: tc.method, path: "/"}.do(t, s)
			assert.Equal(t, tc.status, a.status)
			assert.Equal(t, tc.wantType, a.header.Get("Content-Type"))
			assert.Equal(t, tc.wantLength, a.header.Get("Content-Length"))
			assert.Equal(t, tc.wantBody, a.body)
		})
	}
}
