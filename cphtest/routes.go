package cphtest

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"io"
	"net/http"
	"path"
	"strconv"

	"github.com/cph-go/cph/internal/wire"
)

// Operations the server serves, as Fault.Operation names them.
const (
	opListPhoneImages      = "ListPhoneImages"
	opKeystoneListProjects = "KeystoneListProjects" // IAM, iam.go
)

// route is one API the fake serves: its operation, its ServeMux pattern
// and its handler.
type route struct {
	operation string
	pattern   string
	handler   http.Handler
}

// routes is the server's route table: every API the fake serves is
// registered here. Each route sits behind the gateway (request ID, Date,
// recording, injected faults); signed requires a valid AK/SK signature and
// inProject the server's project ID in the path.
func (s *Server) routes() http.Handler {
	table := []route{
		{opListPhoneImages, "GET /v1/{project_id}/cloud-phone/phone-images", s.signed(s.inProject(s.listPhoneImages))},
		{opKeystoneListProjects, "GET /v3/projects", s.signed(s.listProjects)},
	}
	mux := http.NewServeMux()
	operations := make(map[string]string, len(table))
	for _, rt := range table {
		mux.Handle(rt.pattern, rt.handler)
		operations[rt.pattern] = rt.operation
	}
	mux.HandleFunc("/", s.notFound)
	return s.gateway(mux, operations)
}

// gateway does what the API gateway does for every request before routing:
// it numbers the request, records it with its body, stamps X-Request-Id and
// Date on the answer, and answers with the first pending fault that matches
// the request's operation (operations maps mux's patterns to them), if
// any.
func (s *Server) gateway(mux *http.ServeMux, operations map[string]string) http.Handler {
	notFound := http.HandlerFunc(s.notFound)
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		now := s.now()
		body, readErr := io.ReadAll(r.Body)
		if len(body) == 0 {
			body = nil
		}
		r.Body = io.NopCloser(bytes.NewReader(body)) // for the handlers

		// The mux would redirect a path that is not clean; the gateway
		// knows no such API.
		var next http.Handler = mux
		op := ""
		if r.URL.Path != path.Clean(r.URL.Path) {
			next = notFound
		} else if _, pattern := mux.Handler(r); pattern != "" {
			op = operations[pattern]
		}

		s.mu.Lock()
		s.served++
		id := requestID(s.served)
		s.log.add(Request{
			Method: r.Method,
			Path:   r.URL.Path,
			Query:  r.URL.Query(),
			Header: r.Header.Clone(),
			Body:   body,
			Time:   now,
		})
		var f Fault
		faulty := false
		if readErr == nil {
			f, faulty = s.faults.take(op)
		}
		s.mu.Unlock()

		if readErr != nil { // the body did not arrive whole: the client is gone
			panic(http.ErrAbortHandler)
		}
		w.Header().Set("X-Request-Id", id)
		w.Header().Set("Date", now.UTC().Format(http.TimeFormat))
		if faulty {
			serveFault(w, r, f, s.closing, next)
			return
		}
		next.ServeHTTP(w, r)
	})
}

// requestID returns the n-th request ID: 32 hex digits like the service's,
// the same for the same n in every run so that outputs can be pinned.
func requestID(n uint64) string {
	sum := sha256.Sum256([]byte("cphtest request " + strconv.FormatUint(n, 10)))
	return hex.EncodeToString(sum[:16])
}

// errorBody is the gateway's and the service's error document,
// {"error_code": ..., "error_msg": ..., "request_id": ...}: wire's, with
// no "error" object.
type errorBody = wire.ErrorBody

// writeError answers status with an error document carrying the request's
// ID.
func (s *Server) writeError(w http.ResponseWriter, status int, code, message string) {
	writeJSON(w, status, errorBody{Code: code, Message: message, RequestID: w.Header().Get("X-Request-Id")})
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	body, err := json.Marshal(v)
	if err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Content-Length", strconv.Itoa(len(body)))
	w.WriteHeader(status)
	_, _ = w.Write(body)
}

// notFound answers a path or method the server does not serve.
func (s *Server) notFound(w http.ResponseWriter, _ *http.Request) {
	s.writeError(w, http.StatusNotFound, CodeAPINotFound,
		"The API does not exist or has not been published in the environment.")
}

// inProject refuses a request whose path or X-Project-Id names a project
// other than the server's.
func (s *Server) inProject(next http.HandlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		header := r.Header.Get("X-Project-Id")
		if r.PathValue("project_id") != s.projectID || header != "" && header != s.projectID {
			s.writeError(w, http.StatusForbidden, CodeProjectUnavailable, "The project is unavailable.")
			return
		}
		next(w, r)
	}
}
