package cphtest

import "github.com/cph-go/cph/internal/fakegw"

// maxRequests is how many requests a server's log keeps: the newest.
const maxRequests = 10_000

// Request is a request as the server received it. Its fields are its
// Method and Path (strings), its Query (url.Values), a copy of its Header
// (http.Header), its whole Body ([]byte, nil when it had none) and the
// Time it arrived, by the server's clock.
type Request = fakegw.Request

// Requests returns the requests the server received, in order of arrival:
// the newest 10,000, older ones dropped. Every request is recorded,
// whether it was answered, refused or given a fault. The caller gets
// copies it may change.
func (s *Server) Requests() []Request { return s.gw.Requests() }

// ResetRequests empties the request log, so that Requests returns only the
// requests received afterwards. It does not restart the numbering of
// request IDs: a server never gives two answers the same ID.
func (s *Server) ResetRequests() { s.gw.ResetRequests() }
