package main

import (
	"errors"
	"fmt"
	"io"
)

// opError is a failed call of the library by a subcommand.
type opError struct {
	op    string // the API operation, such as "ListImages"
	after int    // how many items came before the failure
	unit  string // what they are, such as "image"; "" when the call returns no items
	// undone says what an interruption (SIGINT) leaves, such as "nothing
	// listed", or what may have been done and how to tell.
	undone string
	err    error
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
// and returns the exit code; nil is exitOK. interrupted says the command's
// context ended (SIGINT).
func reportSubError(stderr io.Writer, sub *subcommand, err error, o options, interrupted bool) int {
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
		return reportError(stderr, opErr.err, o, interrupted, call{op: opErr.op, after: opErr.afterText(), undone: opErr.undone})
	}
	fmt.Fprintf(stderr, "cphimages: write the output (stdout): %v\n", err)
	return exitFailure
}
