package fakegw

import (
	"bytes"
	"net/http"
	"net/url"
	"time"
)

// Request is a request as the server received it; cphtest.Request has
// the same fields and converts from it.
type Request struct {
	Method string
	Path   string
	Query  url.Values
	Header http.Header // a copy of the request's headers
	Body   []byte      // the whole body; nil when the request had none
	Time   time.Time   // when it arrived, by the server's clock
}

// Requests returns the requests the server received, in order of arrival:
// the newest Config.MaxRequests, older ones dropped. Every request is
// recorded, whether it was answered, refused or given a fault. The caller
// gets copies it may change.
func (s *Server) Requests() []Request {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := s.log.all()
	for i, r := range out {
		out[i].Query = url.Values(http.Header(r.Query).Clone())
		out[i].Header = r.Header.Clone()
		out[i].Body = bytes.Clone(r.Body)
	}
	return out
}

// ResetRequests empties the request log, so that Requests returns only the
// requests received afterwards. It does not restart their numbering
// (Number, Served, Config.RequestID).
func (s *Server) ResetRequests() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.log.reset()
}

// MaxRequests returns how many requests the log keeps: the newest.
func (s *Server) MaxRequests() int { return s.log.max }

// requestLog keeps the newest max requests in a ring.
type requestLog struct {
	max   int
	ring  []Request // up to max; once full, the oldest is at start
	start int
}

// newRequestLog returns a log of the newest max requests, or of
// DefaultMaxRequests if max < 1.
func newRequestLog(max int) requestLog {
	if max < 1 {
		max = DefaultMaxRequests
	}
	return requestLog{max: max}
}

// add appends r, dropping the oldest request if the log is full.
func (l *requestLog) add(r Request) {
	if len(l.ring) < l.max {
		l.ring = append(l.ring, r)
		return
	}
	l.ring[l.start] = r
	l.start = (l.start + 1) % l.max
}

// all returns the requests in order of arrival, in a new slice.
func (l *requestLog) all() []Request {
	out := make([]Request, 0, len(l.ring))
	out = append(out, l.ring[l.start:]...)
	return append(out, l.ring[:l.start]...)
}

// reset empties the log.
func (l *requestLog) reset() { l.ring, l.start = nil, 0 }
