package cph

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"time"

	"github.com/cph-go/cph/internal/bufpool"
	"github.com/cph-go/cph/internal/redact"
	"github.com/cph-go/cph/internal/wire"
)

// The answer step every operation runs on its 2xx answer: decode the body
// (the fast decoder for ListPhoneImages, encoding/json for the rest), give
// the pooled buffer back, take the request ID from the body or the
// header, and turn a 2xx body that carries an error_code into the
// *APIError it is.

// decodeJSON decodes ans's body into a new T with encoding/json and gives
// the body back to its pool. A body that carries a non-empty error_code
// (either error shape) is the *APIError it says; a body that is not JSON,
// not T, or that valid (if not nil) refuses, is an *InvalidResponseError
// (valid's error should wrap ErrInvalidResponse). The request ID is the
// body's request_id, else the X-Request-Id header.
func decodeJSON[T any](op string, ans *answer, valid func(*T) error) (*T, string, error) {
	defer bufpool.Release(ans.body)
	if e := ans.errorInBody(op); e != nil {
		return nil, "", e
	}
	out := new(T)
	err := json.Unmarshal(ans.body, out)
	if err == nil && valid != nil {
		err = valid(out)
	}
	if err != nil {
		if !errors.Is(err, ErrInvalidResponse) { // encoding/json's own: say what it is, as the fast decoder does
			err = fmt.Errorf("%w: decode body: %w", ErrInvalidResponse, inAPITerms(err))
		}
		return nil, "", ans.invalid(op, &decodeError{err: err})
	}
	var id struct {
		RequestID string `json:"request_id"`
	}
	_ = json.Unmarshal(ans.body, &id) // a body that decoded as T is JSON
	return out, ans.requestID(id.RequestID), nil
}

// inAPITerms returns err, a decoding error of encoding/json, with a
// message in the API's words: a value of the wrong JSON type names the
// field by its JSON path ("image_infos", "image_infos.status"), where
// encoding/json's own message names the Go types the library decodes
// into, which the caller has never seen. err stays reachable with
// errors.As.
func inAPITerms(err error) error {
	var typeErr *json.UnmarshalTypeError
	if errors.As(err, &typeErr) && typeErr.Field != "" {
		return &fieldTypeError{err: typeErr}
	}
	return err
}

// fieldTypeError is an *json.UnmarshalTypeError told in the API's words.
type fieldTypeError struct{ err *json.UnmarshalTypeError }

func (e *fieldTypeError) Error() string {
	return fmt.Sprintf("field %s is a JSON %s, not of the documented type", e.err.Field, e.err.Value)
}

func (e *fieldTypeError) Unwrap() error { return e.err }

// errorInBody returns the *APIError that a 2xx body carrying a non-empty
// error_code is (in either error shape), or nil for any other body. The
// gateway and some services answer a refusal with 200 and the error
// document; it is no success.
func (r *answer) errorInBody(op string) *APIError {
	var eb wire.ErrorBody
	if json.Unmarshal(r.body, &eb) != nil {
		return nil
	}
	if eb.Code == "" && (eb.Error == nil || eb.Error.Code == "") {
		return nil
	}
	return newAnswerError(op, r.status, r.header, r.body, time.Time{}, r.attempts, r.secrets[:])
}

// newAnswerError is the *APIError of attempt n for an answer with status,
// header and (what arrived of) body, received at the local time received
// (zero: no Retry-After is read). Every text it takes from the answer is
// redacted, cleaned and capped.
func newAnswerError(op string, status int, header http.Header, body []byte, received time.Time, n int, secrets []string) *APIError {
	// Redact before parsing too: the parser cuts long fields, and a cut
	// secret would no longer match.
	e := newAPIError(op, status, nil, []byte(redact.String(string(body), secrets)))
	e.Code = redact.Cut(e.Code, secrets)
	e.Message = redact.Cut(e.Message, secrets)
	if e.RequestID == "" {
		e.RequestID = header.Get("X-Request-Id")
	}
	e.RequestID = cleanQuote(e.RequestID, maxRequestID, secrets)
	e.Attempts = n
	if d, ok := retryAfter(header, received); ok && !received.IsZero() {
		e.RetryAfter = d
	}
	return e
}
