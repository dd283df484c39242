package main

import (
	"context"
	"io"
	"os"

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

// *cph.Client is what the subcommands manage images with.
var _ imageManager = (*cph.Client)(nil)

// connectClient returns the client of the connection flags in o as an
// imageManager, and what to call when done with it (dialClient).
func connectClient(_ context.Context, o options, stderr io.Writer) (imageManager, func(), error) {
	client, done, err := dialClient(o, stderr)
	if err != nil {
		return nil, nil, err
	}
	return client, done, nil
}

// dialClient returns the client of the connection flags in o, as the
// listing makes it (newTarget: --demo's server, else --region,
// --endpoint, --project-id and the environment; makeClient: each retry
// said on stderr, and with --verbose each request), and what to call when
// done with it. With --demo it first makes the demo server's shares
// (shareDemoImages). A configuration that is wrong or incomplete is a
// *usageError naming what to set.
func dialClient(o options, stderr io.Writer) (*cph.Client, func(), error) {
	tgt := newTarget(o)
	client, _, err := makeClient(o, tgt, stderr)
	if err == nil && tgt.demo != nil {
		err = shareDemoImages(tgt.demo)
	}
	if err != nil {
		tgt.close()
		return nil, nil, err
	}
	return client, tgt.close, nil
}
