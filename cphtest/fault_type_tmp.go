package cphtest

import (
	"net/http"
	"time"
)

// Fault is a failure to inject. TEMPORARY COPY of the struct fixed by the
// design card, so that the metadata server builds on its own: the real one
// comes with cphtest/faults.go, and this file (its own commit) is dropped
// when the branches merge.
type Fault struct {
	Operation string        // only requests of this operation ("" = any)
	Status    int           // the answer's status (0 with Reset or Hang)
	Code      string        // gateway error shape when Body is "": error_code
	Message   string        //                                      error_msg
	Body      string        // a raw body instead, such as an HTML page
	Header    http.Header   // extra headers, such as Retry-After
	Delay     time.Duration // wait this long before answering
	Hang      bool          // never answer (until the request's context ends or Close)
	Reset     bool          // close the connection without answering
	Truncate  bool          // declare the whole body's length, send half, close
}
