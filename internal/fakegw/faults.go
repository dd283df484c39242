package fakegw

import (
	"bytes"
	"context"
	"encoding/json"
	"net"
	"net/http"
	"slices"
	"strconv"
	"time"
)

// Fault is a failure the server answers a request with, as the gateway or
// a proxy in front of it would; cphtest.Fault has the same fields (it
// converts to this type), and its documentation tells the whole story,
// each field's included. In short, the first field that applies decides:
//
//   - Hang: no answer until the request's context ends or Close is
//     called; then the connection is closed.
//   - Reset: after Delay, the connection is closed with a TCP reset.
//   - Status, Code, Message or Body set: after Delay, the fault is the
//     answer: Status (500 outside 200..599), Body, or the server's error
//     document (Config.ErrorDocument) of Code and Message when Body is "",
//     with Header's headers, cut short if Truncate.
//   - Otherwise, after Delay, the request is routed and answered as
//     without a fault, with Header's headers added and the answer cut
//     short if Truncate.
type Fault struct {
	// Operation narrows the fault to the requests of one operation, as
	// the server's routes name them (Route.Operation). "" matches every
	// request, one no route matches included; an operation no route has
	// matches no request.
	Operation string

	Status        int         // the answer's HTTP status
	Code, Message string      // the error document's code and message
	Body          string      // the body instead of the error document
	Header        http.Header // replaces the answer's headers of these names

	Delay    time.Duration // the wait before answering, cut short by the context or Close
	Hang     bool          // never answer
	Reset    bool          // close the connection with a TCP reset
	Truncate bool          // send only the first half of the body
}

// ErrorDocument returns the body of a fault's own answer when f.Body is
// "": the faked service's error document for status (the one answered),
// f.Code and f.Message, in the request of requestID (the answer's
// X-Request-Id, "" if none). The body's Content-Type is detected.
type ErrorDocument func(f Fault, status int, requestID string) []byte

// InjectFault makes the next n requests that f matches get f: those of
// f.Operation, or every request when f.Operation is "". Faults queue: a
// request gets the first pending fault, in the order injected, that
// matches it, using up one of that fault's n. n < 1 injects nothing. f
// is copied: changing f.Header afterwards does not change the fault.
func (s *Server) InjectFault(n int, f Fault) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.faults.add(n, f)
}

// ReplaceFaults cancels every pending fault, then injects f for the next
// n requests it matches, at once: no request gets a fault in between.
// n < 1 only cancels.
func (s *Server) ReplaceFaults(n int, f Fault) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.faults.clear()
	s.faults.add(n, f)
}

// faultQueue is a server's pending faults, in the order injected.
type faultQueue struct {
	pending []pendingFault
}

type pendingFault struct {
	left  int // requests still to get fault
	fault Fault
}

// add queues f for the next n requests it matches; n < 1 adds nothing.
func (q *faultQueue) add(n int, f Fault) {
	if n < 1 {
		return
	}
	f.Header = canonicalHeader(f.Header)
	q.pending = append(q.pending, pendingFault{left: n, fault: f})
}

// clear drops every pending fault.
func (q *faultQueue) clear() { q.pending = nil }

// take returns the first pending fault that matches a request of operation
// op ("" for a request no route matches), using up one of its requests,
// and false if none matches.
func (q *faultQueue) take(op string) (Fault, bool) {
	for i := range q.pending {
		p := &q.pending[i]
		if p.fault.Operation != "" && p.fault.Operation != op {
			continue
		}
		f := p.fault
		if p.left--; p.left == 0 {
			q.pending = slices.Delete(q.pending, i, i+1)
		}
		return f, true
	}
	return Fault{}, false
}

// canonicalHeader returns a copy of h with canonical names, nil if h is
// empty.
func canonicalHeader(h http.Header) http.Header {
	if len(h) == 0 {
		return nil
	}
	out := make(http.Header, len(h))
	for name, values := range h {
		key := http.CanonicalHeaderKey(name)
		out[key] = append(out[key], values...)
	}
	return out
}

// serveFault answers r as f says, doc making the error document. next
// gives the normal answer when f leaves the answer to the server; closing
// is closed when the server closes. A request that is to get no answer
// ends its handler with http.ErrAbortHandler, which makes net/http close
// the connection.
func serveFault(w http.ResponseWriter, r *http.Request, f Fault, closing <-chan struct{}, next http.Handler, doc ErrorDocument) {
	if f.Hang {
		wait(r.Context(), closing, nil)
		panic(http.ErrAbortHandler)
	}
	if f.Delay > 0 {
		t := time.NewTimer(f.Delay)
		defer t.Stop()
		if !wait(r.Context(), closing, t.C) {
			panic(http.ErrAbortHandler)
		}
	}
	if f.Reset {
		ResetConnection(w)
		return
	}
	status, body, ok := f.answer(w.Header().Get("X-Request-Id"), doc)
	if !ok {
		if len(f.Header) == 0 && !f.Truncate {
			next.ServeHTTP(w, r)
			return
		}
		rec := &bufferedWriter{header: w.Header(), status: http.StatusOK}
		next.ServeHTTP(rec, r)
		status, body = rec.status, rec.body.Bytes()
	}
	writeAnswer(w, r, status, f.Header, body, f.Truncate)
}

// wait waits until done receives, and reports true; or until ctx ends or
// closing is closed, and reports false. A nil done never receives.
func wait(ctx context.Context, closing <-chan struct{}, done <-chan time.Time) bool {
	select {
	case <-done:
		return true
	case <-ctx.Done():
	case <-closing:
	}
	return false
}

// answer returns the status and body of f's own answer, doc making the
// body when f.Body is "", and false if f leaves the answer to the server.
func (f Fault) answer(requestID string, doc ErrorDocument) (int, []byte, bool) {
	if f.Status == 0 && f.Code == "" && f.Message == "" && f.Body == "" {
		return 0, nil, false
	}
	status := f.Status
	if status < 200 || status > 599 {
		status = http.StatusInternalServerError
	}
	if f.Body != "" {
		return status, []byte(f.Body), true
	}
	return status, doc(f, status, requestID), true
}

// WriteAnswer sends status and body, declaring the body's Content-Length,
// with a Content-Type detected from the body unless w's header has one
// (application/json for a JSON object, else http.DetectContentType's).
// An answer to HEAD, and one whose status allows no body (1xx, 204, 304),
// is sent without the body or its length.
func WriteAnswer(w http.ResponseWriter, r *http.Request, status int, body []byte) {
	writeAnswer(w, r, status, nil, body, false)
}

// writeAnswer is WriteAnswer with extra's headers set on top of the
// server's, and only the first half of the body sent if truncate.
func writeAnswer(w http.ResponseWriter, r *http.Request, status int, extra http.Header, body []byte, truncate bool) {
	h := w.Header()
	if h.Get("Content-Type") == "" && len(body) > 0 {
		if json.Valid(body) && body[0] == '{' {
			h.Set("Content-Type", "application/json")
		} else {
			h.Set("Content-Type", http.DetectContentType(body))
		}
	}
	for name, values := range extra {
		h[name] = slices.Clone(values)
	}
	if !bodyAllowed(status) || r.Method == http.MethodHead {
		h.Del("Content-Length")
		w.WriteHeader(status)
		return
	}
	h.Set("Content-Length", strconv.Itoa(len(body)))
	w.WriteHeader(status)
	if truncate {
		// net/http closes a connection whose handler wrote less than the
		// Content-Length it declared.
		body = body[:len(body)/2]
	}
	_, _ = w.Write(body)
}

// bodyAllowed reports whether an answer of status may have a body.
func bodyAllowed(status int) bool {
	return status >= 200 && status != http.StatusNoContent && status != http.StatusNotModified
}

// ResetConnection closes w's connection with a TCP reset and no answer:
// it takes the connection over and closes it with SO_LINGER 0. Where w
// cannot give its connection up, it drops the request, closing the
// connection.
func ResetConnection(w http.ResponseWriter) {
	hj, ok := w.(http.Hijacker)
	if !ok {
		panic(http.ErrAbortHandler)
	}
	conn, _, err := hj.Hijack()
	if err != nil {
		panic(http.ErrAbortHandler)
	}
	if tc, ok := conn.(*net.TCPConn); ok {
		_ = tc.SetLinger(0)
	}
	_ = conn.Close()
}

// bufferedWriter keeps a handler's answer so that a fault can change it
// before it is sent. It shares the real writer's header map: nothing has
// been sent yet.
type bufferedWriter struct {
	header http.Header
	status int
	wrote  bool
	body   bytes.Buffer
}

func (b *bufferedWriter) Header() http.Header { return b.header }

func (b *bufferedWriter) WriteHeader(status int) {
	if !b.wrote {
		b.status, b.wrote = status, true
	}
}

func (b *bufferedWriter) Write(p []byte) (int, error) {
	b.wrote = true
	return b.body.Write(p)
}
