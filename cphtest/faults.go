package cphtest

import (
	"net/http"
	"time"

	"github.com/cph-go/cph/internal/fakegw"
)

// Fault is a failure the server answers a request with, as the API gateway
// or a proxy in front of it would: InjectFault says which requests get it.
// Its fields combine as follows, the first that applies deciding:
//
//   - Hang: the server never answers. The request is held until its
//     context ends (the client gives up) or Close is called, and then its
//     connection is closed. Every other field is ignored.
//   - Reset: after Delay, the connection is closed with a TCP reset (RST)
//     and no answer. Status, Code, Message, Body, Header and Truncate are
//     ignored.
//   - Status, Code, Message or Body set: after Delay, the fault is the
//     answer: Status, with Body as is if it is not "", else the gateway's
//     error document {"error_code": Code, "error_msg": Message,
//     "request_id": ...}, with Header's headers, cut short if Truncate.
//     A Status outside 200..599 (0, with a Code, Message or Body, included)
//     is answered as 500 Internal Server Error: a final answer needs one.
//   - Otherwise the request is routed, verified and answered as it would be
//     without a fault, after Delay, with Header's headers added to that
//     answer and the answer cut short if Truncate. So a Fault with only
//     Delay is a slow but normal answer, one with only Truncate a normal
//     answer cut in half, and the zero Fault changes nothing (but still
//     uses up one of InjectFault's n).
//
// Whatever the fault, the server records the request (see Requests) and
// numbers it, and an answer carries X-Request-Id and Date as every answer
// does.
type Fault struct {
	// Operation is the operation the fault is for, as the server names
	// its routes: "ListPhoneImages" (GET
	// /v1/{project_id}/cloud-phone/phone-images), "ListImages",
	// "DeleteImage", "ListImageMembers", "AddImageMember",
	// "UpdateImageMember", "DeleteImageMember" (the custom-image routes
	// the package documentation lists) or "KeystoneListProjects" (IAM's
	// GET /v3/projects). "" matches every request, one to a path the
	// server does not serve included, and an operation the server does
	// not serve matches no request.
	Operation string

	// Status is the answer's HTTP status, such as 503.
	Status int
	// Code and Message are the error_code and error_msg of the gateway's
	// error document, the body when Body is "".
	Code, Message string
	// Body is sent as the answer's body instead of the error document,
	// such as a proxy's HTML page. Its Content-Type is the one Header
	// gives, else application/json for a JSON object, else the one
	// http.DetectContentType finds ("text/html; charset=utf-8" for HTML).
	Body string

	// Header holds headers to set on the answer, such as Retry-After;
	// they replace the server's own headers of the same names (names are
	// canonicalised). Content-Length is always the body's and cannot be
	// set.
	Header http.Header

	// Delay is how long the server waits before answering; 0 or less
	// waits not at all. The wait is cut short when the request's context
	// ends or Close is called, and the request then gets no answer (its
	// connection is closed).
	Delay time.Duration

	// Hang holds the request without ever answering it.
	Hang bool
	// Reset closes the connection with a TCP reset instead of answering.
	Reset bool
	// Truncate sends the answer's headers with the whole body's
	// Content-Length but only the first half of the body (len/2 bytes),
	// and then closes the connection. An answer that has no body (such as
	// a 204) is sent whole.
	Truncate bool
}

// InjectFault makes the next n requests that f matches get f: those of
// f.Operation, or every request when f.Operation is "". Faults apply to
// every route (IAM's too), before routing and signature checks, as a
// gateway's do: an unsigned request gets a fault as a signed one does.
//
// Faults queue: a later call adds to the pending faults instead of
// replacing them, and a request gets the first pending fault, in the
// order injected, that matches it, using up one of that fault's n. So
//
//	srv.InjectFault(1, cphtest.Fault{Status: 503})
//	srv.InjectFault(1, cphtest.Fault{Reset: true})
//
// fails the next request with a 503 and resets the connection of the one
// after; requests no pending fault matches are answered normally. FailNext
// with n <= 0 cancels every pending fault.
//
// Like httptest, and unlike cph's options, InjectFault reports no errors
// and does not panic: n < 1 injects nothing, and a Fault whose fields make
// no sense together is read as Fault's documentation says (Hang wins over
// Reset, Reset over an answer, a status outside 200..599 is 500). f is
// copied: changing f.Header afterwards does not change the fault.
func (s *Server) InjectFault(n int, f Fault) { s.gw.InjectFault(n, fakegw.Fault(f)) }

// FailNext makes the next n requests fail with status and the gateway's
// error document carrying code and message, whatever they ask for. It is
// a shorthand that cancels every pending fault (InjectFault's too) and
// then calls InjectFault(n, Fault{Status: status, Code: code, Message:
// message}), with a status outside 200..599 answered as 500. So a later
// call replaces an earlier one, and n <= 0 only cancels.
func (s *Server) FailNext(n int, status int, code, message string) {
	if status < 200 || status > 599 {
		status = http.StatusInternalServerError
	}
	s.gw.ReplaceFaults(n, fakegw.Fault{Status: status, Code: code, Message: message})
}
