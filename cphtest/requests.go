package cphtest

import (
	"net/http"
	"net/url"
	"time"

	"github.com/cph-go/cph/internal/fakegw"
)

// maxRequests is how many requests a server's log keeps: the newest.
const maxRequests = 10_000

// Request is a request as the server received it, refused or faulted ones
// included.
type Request struct {
	// Method is the request's method, such as "GET".
	Method string
	// Path is the request's URL path, as sent (not cleaned).
	Path string
	// Query is the request's parsed URL query.
	Query url.Values
	// Header is a copy of the request's headers.
	Header http.Header
	// Body is the request's whole body; nil when it had none.
	Body []byte
	// Time is when the request arrived, by the server's clock.
	Time time.Time
}

// Requests returns the requests the server received, in order of arrival:
// the newest 10,000, older ones dropped. Every request is recorded,
// whether it was answered, refused or given a fault. The caller gets
// copies it may change.
func (s *Server) Requests() []Request { return requestsOf(s.gw) }

// requestsOf returns gw's request log as cphtest's Requests.
func requestsOf(gw *fakegw.Server) []Request {
	in := gw.Requests()
	out := make([]Request, len(in))
	for i, r := range in {
		out[i] = Request(r)
	}
	return out
}

// ResetRequests empties the request log, so that Requests returns only the
// requests received afterwards. It does not restart the numbering of
// request IDs: a server never gives two answers the same ID.
func (s *Server) ResetRequests() { s.gw.ResetRequests() }
