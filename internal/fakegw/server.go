// Package fakegw is a fake of Huawei Cloud's API gateway, for this
// module's own tests and for package cphtest: a loopback HTTP server that
// routes each request to an operation by a table of ServeMux patterns,
// checks AK/SK signatures with internal/sigv, answers injected faults and
// records every request in a bounded log.
//
// It knows none of package cph's types (cph's own tests import it, and
// cph cannot be imported back): the handlers behind the routes make the
// answers. A request goes through the gateway in this order: it is read
// whole, numbered and recorded; it gets the first pending fault of its
// operation, if any (see Fault); it is routed, and a Signed route refuses
// it unless it is signed with credentials the server accepts; its route's
// handler answers.
package fakegw

import (
	"bytes"
	"context"
	"io"
	"log"
	"net"
	"net/http"
	"net/http/httptest"
	"path"
	"sync"
	"sync/atomic"
	"time"
)

// Route is one API a Server serves.
type Route struct {
	// Operation names the route's requests, as Fault.Operation does.
	Operation string
	// Pattern is the route's http.ServeMux pattern, such as
	// "GET /v1/{project_id}/cloud-phone/phone-images"; the handler finds
	// its wildcards with r.PathValue. It may not be "/", which is
	// Config.Default's.
	Pattern string
	// Signed makes the route refuse a request that is not signed with
	// credentials the server accepts (see Server.Authenticate), with 401
	// APIGW.0301, before Handler sees it.
	Signed bool
	// Handler answers the route's requests.
	Handler http.Handler
}

// Config says what a Server serves. The zero Config is a plain HTTP
// server that answers every request with the gateway's 404.
type Config struct {
	// Routes are the APIs the server serves.
	Routes []Route
	// Default answers the requests that no route matches (their operation
	// is ""), those with a path that is not clean included: the gateway
	// knows no such API, where a ServeMux would redirect. nil answers them
	// with 404 APIGW.0101.
	Default http.Handler
	// Credentials are the keys Signed routes accept; Accept adds more.
	Credentials []Credentials
	// Now is the server's clock: requests are recorded at its time, and
	// X-Sdk-Date is checked, and Date set, against it. nil means time.Now.
	// The server may call it from several goroutines at once.
	Now func() time.Time
	// RequestID returns the ID of the n-th request the server receives,
	// counting from 1. When it is set, every answer carries that ID in
	// X-Request-Id and the server's time in Date, as the gateway's do;
	// nil sets neither (net/http's own Date stays), as a server that is
	// not behind the gateway.
	RequestID func(n uint64) string
	// ErrorDocument makes the body of a fault's own answer when its Body
	// is "" (see Fault); nil makes the gateway's error document.
	ErrorDocument ErrorDocument
	// MaxRequests is how many requests the log keeps, the newest; 0 or
	// less means DefaultMaxRequests.
	MaxRequests int
	// TLS serves HTTPS, with httptest's certificate (see Client).
	TLS bool
	// ErrorLog receives net/http's errors, such as failed TLS handshakes;
	// nil means the log package's standard logger.
	ErrorLog *log.Logger
}

// DefaultMaxRequests is how many requests a server's log keeps unless
// Config.MaxRequests says otherwise.
const DefaultMaxRequests = 10_000

// Server is a fake gateway listening on 127.0.0.1. It is safe for
// concurrent use.
type Server struct {
	// URL is the server's base URL, such as "http://127.0.0.1:40123".
	URL string

	ts        *httptest.Server
	closing   chan struct{} // closed by Close, to let held requests go
	closeOnce sync.Once

	now        func() time.Time
	requestID  func(uint64) string
	doc        ErrorDocument
	mux        *http.ServeMux
	operations map[string]string // mux's patterns → operations
	fallback   http.Handler      // Config.Default
	conns      atomic.Int64

	mu       sync.Mutex
	served   uint64 // requests received, numbering them
	log      requestLog
	faults   faultQueue
	keys     map[string]Credentials // access key → credentials
	refusals []error
}

// New starts a server as cfg says and returns it. Close it when done.
// It panics, as http.ServeMux does, on a route whose pattern is not
// valid or conflicts with another's.
func New(cfg Config) *Server {
	s := &Server{
		closing:    make(chan struct{}),
		now:        cfg.Now,
		requestID:  cfg.RequestID,
		doc:        cfg.ErrorDocument,
		mux:        http.NewServeMux(),
		operations: make(map[string]string, len(cfg.Routes)),
		fallback:   cfg.Default,
		log:        newRequestLog(cfg.MaxRequests),
		keys:       make(map[string]Credentials, len(cfg.Credentials)),
	}
	if s.now == nil {
		s.now = time.Now
	}
	if s.doc == nil {
		s.doc = GatewayDocument
	}
	if s.fallback == nil {
		s.fallback = http.HandlerFunc(notFound)
	}
	for _, c := range cfg.Credentials {
		s.keys[c.AccessKey] = c
	}
	for _, rt := range cfg.Routes {
		h := rt.Handler
		if rt.Signed {
			h = s.signed(h)
		}
		s.mux.Handle(rt.Pattern, h)
		s.operations[rt.Pattern] = rt.Operation
	}
	s.mux.Handle("/", s.fallback)

	s.ts = httptest.NewUnstartedServer(s)
	s.ts.Config.ErrorLog = cfg.ErrorLog
	s.ts.Config.ConnState = func(_ net.Conn, st http.ConnState) {
		if st == http.StateNew {
			s.conns.Add(1)
		}
	}
	if cfg.TLS {
		s.ts.StartTLS()
	} else {
		s.ts.Start()
	}
	s.URL = s.ts.URL
	return s
}

// Close shuts the server down, waiting for the requests in flight.
// Requests held by a fault (Hang, or a Delay not yet over) are let go at
// once, without an answer: their connections are closed. Close may be
// called more than once.
func (s *Server) Close() {
	s.closeOnce.Do(func() { close(s.closing) })
	s.ts.Close()
}

// Client returns an HTTP client that trusts the server's certificate
// when it serves HTTPS (Config.TLS), as httptest.Server.Client does.
func (s *Server) Client() *http.Client { return s.ts.Client() }

// Served returns how many requests the server has received: every one,
// whether it was answered, refused or given a fault. A connection that
// never sent a request (a failed TLS handshake) is not one.
func (s *Server) Served() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return int(s.served)
}

// Conns returns how many connections the server has accepted.
func (s *Server) Conns() int { return int(s.conns.Load()) }

// numberKey is the context key of a request's number.
type numberKey struct{}

// Number returns the number of r among the requests its server received,
// counting from 1, for the handlers behind the routes; 0 for a request
// that did not come through a Server.
func Number(r *http.Request) uint64 {
	n, _ := r.Context().Value(numberKey{}).(uint64)
	return n
}

// ServeHTTP is the gateway in front of the routes: it reads the request
// whole, numbers and records it, stamps X-Request-Id and Date on the
// answer (Config.RequestID) and answers with the first pending fault that
// matches the request's operation, if any, else routes it. A request
// whose body does not arrive whole is recorded, then dropped (the client
// is gone).
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	now := s.now()
	body, readErr := io.ReadAll(r.Body)
	if len(body) == 0 {
		body = nil
	}
	r.Body = io.NopCloser(bytes.NewReader(body)) // for the handlers
	next, op := s.route(r)

	s.mu.Lock()
	s.served++
	n := s.served
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

	if readErr != nil {
		panic(http.ErrAbortHandler)
	}
	if s.requestID != nil {
		w.Header().Set("X-Request-Id", s.requestID(n))
		w.Header().Set("Date", now.UTC().Format(http.TimeFormat))
	}
	r = r.WithContext(context.WithValue(r.Context(), numberKey{}, n))
	if faulty {
		serveFault(w, r, f, s.closing, next, s.doc)
		return
	}
	next.ServeHTTP(w, r)
}

// route returns the handler of r, which sets r's path values, and r's
// operation: "" for a request no route matches.
func (s *Server) route(r *http.Request) (http.Handler, string) {
	if r.URL.Path != path.Clean(r.URL.Path) {
		return s.fallback, ""
	}
	_, pattern := s.mux.Handler(r)
	return s.mux, s.operations[pattern]
}
