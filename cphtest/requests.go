package cphtest

import (
	"net/http"
	"net/url"
	"time"

	"github.com/cph-go/cph/internal/fakegw"
)

// maxRequests is how many requests a server's log keeps: the newest.
const maxRequests = 10_000

// Request is a request as the server received it.
type Request struct {
	Method string
	Path   string
	Query  url.Values
	Header http.Header // a copy of the request's headers
	Body   []byte      // the whole body; nil when the request had none
	Time   time.Time   // when it arrived, by the server's clock
}

// Requests returns the requests the server received, in order of arrival:
// the newest 10,000, older ones dropped. Every request is recorded,
// whether it was answered, refused or given a fault. The caller gets
// copies it may change.
func (s *Server) Requests() []Request { return requestsOf(s.gw) }

// ResetRequests empties the request log, so that Requests returns only the
// requests received afterwards. It does not restart the numbering of
// request IDs: a server never gives two answers the same ID.
func (s *Server) ResetRequests() { s.gw.ResetRequests() }

// requestsOf returns the requests gw's log holds, as this package's.
func requestsOf(gw *fakegw.Server) []Request {
	got := gw.Requests()
	out := make([]Request, len(got))
	for i, r := range got {
		out[i] = Request(r)
	}
	return out
}
