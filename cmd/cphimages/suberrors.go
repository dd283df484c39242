package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"

	"github.com/cph-go/cph"
)

// opError is a failed call of the library by a subcommand.
type opError struct {
	op    string // the API operation, such as "ListImages"
	after int    // how many items came before the failure
	unit  string // what they are, such as "image"; "" when the call returns no items
	err   error
}

func (e *opError) Error() string { return e.err.Error() }
func (e *opError) Unwrap() error { return e.err }

// afterText is " after 3 images" when items came before the failure, else
// "".
func (e *opError) afterText() string {
	switch {
	case e.after == 0 || e.unit == "":
		return ""
	case e.after == 1:
		return " after 1 " + e.unit
	}
	return fmt.Sprintf(" after %d %ss", e.after, e.unit)
}

// notConfirmedError is a delete that its question was not answered yes.
type notConfirmedError struct{ imageID string }

func (e *notConfirmedError) Error() string {
	return fmt.Sprintf("image %s not deleted: not confirmed", e.imageID)
}

// reportSubError writes the diagnosis of what sub's run returned to stderr
// and returns the exit code; nil is exitOK.
func reportSubError(stderr io.Writer, sub *subcommand, err error, o options) int {
	var (
		opErr *opError
		notOK *notConfirmedError
	)
	switch {
	case err == nil:
		return exitOK
	case isUsage(err):
		return reportUsage(stderr, sub, err)
	case errors.As(err, &notOK):
		fmt.Fprintf(stderr, "cphimages %s: %v\n", sub.name, err)
		return exitFailure
	case errors.As(err, &opErr):
		return reportOpError(stderr, opErr, o)
	}
	fmt.Fprintf(stderr, "cphimages: write output: %v\n", err)
	return exitFailure
}

// reportOpError writes a failed call's diagnosis to stderr and returns its
// exit code.
func reportOpError(stderr io.Writer, e *opError, o options) int {
	var apiErr *cph.APIError
	switch err := e.err; {
	case errors.As(err, &apiErr):
		op := apiErr.Operation
		if op == "" {
			op = e.op
		}
		fmt.Fprintf(stderr, "cphimages: %s failed%s\n"+
			"  status:     %d %s\n"+
			"  code:       %s\n"+
			"  message:    %s\n"+
			"  request ID: %s\n",
			op, e.afterText(),
			apiErr.StatusCode, http.StatusText(apiErr.StatusCode),
			orDash(apiErr.Code), orDash(apiErr.Message), orDash(apiErr.RequestID))
		if cph.IsAuthError(err) && !o.demo {
			fmt.Fprintf(stderr, "  hint:       check the credentials (%s and %s, or the profile file), "+
				"the project ID and the region; a clock more than 15 minutes off also fails\n", envAK, envSK)
		}
		return exitFailure
	case errors.Is(err, context.DeadlineExceeded):
		fmt.Fprintf(stderr, "cphimages: no answer within --timeout %s%s: %v\n", o.timeout, e.afterText(), err)
		return exitFailure
	case errors.Is(err, context.Canceled):
		fmt.Fprintf(stderr, "cphimages: interrupted%s: %v\n", e.afterText(), err)
		return exitFailure
	case isConfigError(err):
		fmt.Fprintf(stderr, "cphimages: %v\n", err)
		if errors.Is(err, cph.ErrMissingProjectID) { // discovery found none, or several
			fmt.Fprintf(stderr, "  hint: set --project-id or %s, or check --region\n", envProjectID)
		}
		return exitUsage
	}
	fmt.Fprintf(stderr, "cphimages: %v%s\n", e.err, parenthesized(e.afterText()))
	return exitFailure
}

func parenthesized(s string) string {
	if s == "" {
		return ""
	}
	return " (" + s[1:] + ")"
}
