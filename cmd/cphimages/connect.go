package main

import (
	"context"
	"errors"
	"io"
	"log/slog"
	"os"
	"slices"

	"github.com/cph-go/cph"
)

// newSubEnv is the environment of a subcommand run from main: the real
// client (or, with --demo, a client of the in-process demo server), stdin,
// and whether stdin is a terminal. The --verbose log goes to stderr.
func newSubEnv(stdin *os.File, stderr io.Writer) subEnv {
	return subEnv{
		connect: func(ctx context.Context, o options) (imageManager, func(), error) {
			return connectClient(ctx, o, stderr)
		},
		stdin:           stdin,
		stdinIsTerminal: func() bool { return isTerminal(stdin) },
	}
}

// errNoImageManagement is connectClient's error while *cph.Client does
// not have the methods of imageManager yet.
var errNoImageManagement = errors.New("this build's library has no image management yet")

// connectClient returns the client of the connection flags in o as an
// imageManager.
//
// wired at merge: once *cph.Client has the image-management methods, the
// type assertion below always succeeds; replace it with
// "return client, done, nil", drop errNoImageManagement, and pin it with
// "var _ imageManager = (*cph.Client)(nil)".
func connectClient(_ context.Context, o options, stderr io.Writer) (imageManager, func(), error) {
	client, done, err := dialClient(o, stderr)
	if err != nil {
		return nil, nil, err
	}
	m, ok := any(client).(imageManager)
	if !ok {
		done()
		return nil, nil, errNoImageManagement
	}
	return m, done, nil
}

// dialClient returns the client of the connection flags in o, as the
// listing makes it (newTarget: --demo's server, else --region,
// --endpoint, --project-id and the environment), and what to call when
// done with it. Each retry is said on stderr, and with --verbose each request. A
// configuration that is wrong or incomplete is a *usageError naming what
// to set.
func dialClient(o options, stderr io.Writer) (*cph.Client, func(), error) {
	tgt := newTarget(o)
	// The listing's logger: each retry a line on stderr, every request
	// with --verbose.
	logger := slog.New(newRetryHandler(stderr, o.verbose))
	opts := append(slices.Clip(tgt.options), cph.WithUserAgent("cphimages"), cph.WithLogger(logger))
	client, err := cph.NewClient(opts...)
	if err != nil {
		tgt.close()
		err = explainNewClientError(err, tgt, o.verbose)
		if !isUsage(err) {
			err = &usageError{msg: err.Error()}
		}
		return nil, nil, err
	}
	return client, tgt.close, nil
}
