package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"runtime/debug"
	"slices"

	"github.com/cph-go/cph"
)

// Exit codes.
const (
	exitOK          = 0
	exitFailure     = 1   // the API or the network failed
	exitUsage       = 2   // the command line or the configuration is wrong
	exitInterrupted = 130 // SIGINT ended the call (128 + the signal's number, as shells do)
)

// streams are where a command writes: its output, and its diagnostics.
type streams struct {
	stdout, stderr io.Writer
}

// run is the whole command: it parses args, runs what they ask for and
// returns the exit code. A first argument that names a subcommand runs it
// (runSubcommand), with stdin where delete reads its answer (nil: no
// stdin, which is not a terminal); else it lists (runList). Diagnostics go
// to stderr. A ctx that ends (main ends it on SIGINT) stops the call, with
// exitInterrupted.
func run(ctx context.Context, args []string, stdin *os.File, stdout, stderr io.Writer) int {
	if len(args) > 0 && isSubcommand(args[0]) {
		return runSubcommand(ctx, args[0], args[1:], newSubEnv(stdin, stderr), stdout, stderr)
	}
	s := streams{stdout: stdout, stderr: stderr}
	o, err := parseArgs(args)
	switch {
	case errors.Is(err, flag.ErrHelp):
		printUsage(stdout)
		return exitOK
	case err != nil:
		fmt.Fprintf(stderr, "cphimages: %v\nRun 'cphimages -h' for usage.\n", err)
		return exitUsage
	case o.version:
		fmt.Fprintf(stdout, "cphimages %s\n", version(debug.ReadBuildInfo))
		return exitOK
	}
	return runList(ctx, o, s)
}

// runList lists the images the options select and writes them to stdout.
func runList(ctx context.Context, o options, s streams) int {
	tgt := newTarget(o)
	defer tgt.close()
	if o.demo {
		fmt.Fprintln(s.stderr, "cphimages: --demo: listing from an in-process fake CPH server (package cphtest); no credentials used, nothing leaves this machine")
	}
	client, code := newClient(o, tgt, s)
	if client == nil {
		return code
	}

	callCtx, cancel := context.WithTimeout(ctx, o.timeout)
	defer cancel()
	out, err := client.ListPhoneImages(callCtx, cph.WithImageType(o.imageType))
	if err != nil {
		return reportError(s.stderr, err, o, ctx.Err() != nil, listCall)
	}

	images := filterImages(out.Images, o.label, o.os)
	if w := unknownLabelWarning(o.label, out.Images); w != "" {
		fmt.Fprintln(s.stderr, "cphimages: "+w)
	}
	if o.output == outputJSON {
		err = writeJSON(s.stdout, out.RequestID, images)
	} else {
		err = writeTable(s.stdout, images)
	}
	if err != nil {
		fmt.Fprintf(s.stderr, "cphimages: write the output (stdout): %v\n", err)
		return exitFailure
	}
	return exitOK
}

// newClient returns the client of the target, whose logger writes each
// retry as a line on stderr, and with --verbose logs every request; or nil
// and the exit code, the error written to stderr.
func newClient(o options, tgt *target, s streams) (*cph.Client, int) {
	client, logger, err := makeClient(o, tgt, s.stderr)
	if err != nil {
		fmt.Fprintf(s.stderr, "cphimages: %v\n", err)
		return nil, exitUsage
	}
	if o.verbose {
		logListing(logger, client, tgt, o)
	}
	return client, exitOK
}

// makeClient returns the client of the target and its logger, which writes
// each retry as a line on stderr, and with --verbose every request; or a
// *usageError in the command's words (explainNewClientError).
func makeClient(o options, tgt *target, stderr io.Writer) (*cph.Client, *slog.Logger, error) {
	logger := slog.New(newRetryHandler(stderr, o.verbose))
	clientOpts := append(slices.Clip(tgt.options), cph.WithUserAgent("cphimages"), cph.WithLogger(logger))
	client, err := cph.NewClient(clientOpts...)
	if err != nil {
		return nil, nil, explainNewClientError(err, tgt, o.verbose)
	}
	return client, logger, nil
}

// logListing logs what the command is about to list. The credentials are
// those the client found, asked again of the same source (the default
// chain or the demo server) and logged redacted: the access key masked, the
// secret key and token "[REDACTED]". A project ID still to be discovered is
// logged as such.
func logListing(logger *slog.Logger, client *cph.Client, tgt *target, o options) {
	projectID := client.ProjectID()
	if projectID == "" {
		projectID = "(discovered at the first call)"
	}
	attrs := []any{
		slog.String("endpoint", client.Endpoint()),
		slog.String("project_id", projectID),
		slog.String("image_type", string(o.imageType)),
	}
	if creds, err := tgt.creds.Retrieve(context.Background()); err == nil {
		attrs = append(attrs, slog.Any("credentials", creds))
	}
	logger.Debug("cphimages: listing", attrs...)
}
