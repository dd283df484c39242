package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"slices"

	"github.com/cph-go/cph"
)

// Exit codes.
const (
	exitOK      = 0
	exitFailure = 1 // the API or the network failed
	exitUsage   = 2 // the command line or the configuration is wrong
)

// run is the whole command: it parses args, lists the images and writes
// them to stdout, and returns the exit code. Diagnostics go to stderr.
func run(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	o, err := parseArgs(args)
	if errors.Is(err, flag.ErrHelp) {
		printUsage(stdout)
		return exitOK
	}
	if err != nil {
		fmt.Fprintf(stderr, "cphimages: %v\nRun 'cphimages -h' for usage.\n", err)
		return exitUsage
	}
	if o.version {
		fmt.Fprintf(stdout, "cphimages %s\n", cph.Version)
		return exitOK
	}

	tgt := newTarget(o)
	defer tgt.close()
	if o.demo {
		fmt.Fprintln(stderr, "cphimages: --demo: listing from an in-process fake CPH server (package cphtest); no credentials used, nothing leaves this machine")
	}

	clientOpts := append(slices.Clip(tgt.options), cph.WithUserAgent("cphimages"))
	var logger *slog.Logger
	if o.verbose {
		logger = slog.New(slog.NewTextHandler(stderr, &slog.HandlerOptions{Level: slog.LevelDebug}))
		clientOpts = append(clientOpts, cph.WithLogger(logger))
	}
	client, err := cph.NewClient(clientOpts...)
	if err != nil {
		fmt.Fprintf(stderr, "cphimages: %v\n", explainNewClientError(err))
		return exitUsage
	}
	if logger != nil {
		logListing(ctx, logger, client, tgt, o)
	}

	ctx, cancel := context.WithTimeout(ctx, o.timeout)
	defer cancel()
	out, err := client.ListPhoneImages(ctx, cph.WithImageType(o.imageType))
	if err != nil {
		return reportError(stderr, err, o)
	}

	images := filterImages(out.Images, o.label, o.os)
	if o.output == outputJSON {
		err = writeJSON(stdout, out.RequestID, images)
	} else {
		err = writeTable(stdout, images)
	}
	if err != nil {
		fmt.Fprintf(stderr, "cphimages: write output: %v\n", err)
		return exitFailure
	}
	return exitOK
}

// logListing logs what the command is about to list. The credentials are
// those the client found, asked again of the same source (the default
// chain or the demo server) and logged redacted: the access key masked, the
// secret key and token "[REDACTED]". A project ID still to be discovered is
// logged as such.
func logListing(ctx context.Context, logger *slog.Logger, client *cph.Client, tgt *target, o options) {
	projectID := client.ProjectID()
	if projectID == "" {
		projectID = "(discovered at the first call)"
	}
	attrs := []any{
		slog.String("endpoint", client.Endpoint()),
		slog.String("project_id", projectID),
		slog.String("image_type", string(o.imageType)),
	}
	if creds, err := tgt.creds.Retrieve(ctx); err == nil {
		attrs = append(attrs, slog.Any("credentials", creds))
	}
	logger.Debug("cphimages: listing", attrs...)
}

// reportError writes a failed call's diagnosis to stderr and returns its
// exit code.
func reportError(stderr io.Writer, err error, o options) int {
	var apiErr *cph.APIError
	switch {
	case errors.As(err, &apiErr):
		fmt.Fprintf(stderr, "cphimages: ListPhoneImages failed\n"+
			"  status:     %d %s\n"+
			"  code:       %s\n"+
			"  message:    %s\n"+
			"  request ID: %s\n",
			apiErr.StatusCode, http.StatusText(apiErr.StatusCode),
			orDash(apiErr.Code), orDash(apiErr.Message), orDash(apiErr.RequestID))
		if cph.IsAuthError(err) && !o.demo {
			fmt.Fprintf(stderr, "  hint:       check the credentials (%s and %s, or the profile file), "+
				"the project ID and the region; a clock more than 15 minutes off also fails\n", envAK, envSK)
		}
		return exitFailure
	case errors.Is(err, context.DeadlineExceeded):
		fmt.Fprintf(stderr, "cphimages: no answer within --timeout %s: %v\n", o.timeout, err)
		return exitFailure
	case isConfigError(err):
		fmt.Fprintf(stderr, "cphimages: %v\n", err)
		if errors.Is(err, cph.ErrMissingProjectID) { // discovery found none, or several
			fmt.Fprintf(stderr, "  hint: set --project-id or %s, or check --region\n", envProjectID)
		}
		return exitUsage
	}
	fmt.Fprintf(stderr, "cphimages: %v\n", err)
	return exitFailure
}

func orDash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}
