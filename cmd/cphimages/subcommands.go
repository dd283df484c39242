package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"iter"

	"github.com/cph-go/cph"
)

// imageManager is what the image-management subcommands need of the
// library: the methods of *cph.Client, with their signatures, so that the
// tests pass a fake.
type imageManager interface {
	AllImages(ctx context.Context, opts ...cph.ListOption) iter.Seq2[cph.Image, error]
	ListImageMembers(ctx context.Context, imageID string) (*cph.ListImageMembersOutput, error)
	AddImageMember(ctx context.Context, imageID, memberProjectID string) (*cph.AddImageMemberOutput, error)
	UpdateImageMember(ctx context.Context, imageID string, status cph.MemberStatus) (*cph.UpdateImageMemberOutput, error)
	DeleteImageMember(ctx context.Context, imageID, memberProjectID string) (*cph.DeleteImageMemberOutput, error)
	DeleteImage(ctx context.Context, imageID string) (*cph.DeleteImageOutput, error)
}

// subEnv is what a subcommand takes from outside its command line.
type subEnv struct {
	// connect returns the imageManager of the connection flags in o
	// (--region, --endpoint, --project-id, --demo, --verbose), and what to
	// call when done with it. An error that is the configuration's fault
	// is a *usageError.
	connect func(ctx context.Context, o options) (imageManager, func(), error)
	// stdin is where delete reads its answer from.
	stdin io.Reader
	// stdinIsTerminal reports whether stdin is a terminal, where delete
	// may ask before deleting.
	stdinIsTerminal func() bool
}

// subcommand is one subcommand of cphimages.
type subcommand struct {
	name    string
	params  []string // the arguments it takes, in order, such as IMAGE and PROJECT
	summary string   // one line for cphimages -h
	about   string   // the text of its own -h, before the flags
	// flags declares its own flags into s, if it has any.
	flags func(fs *flag.FlagSet, s *subOptions)
	// check validates the parsed command line, if there is more to check
	// than the flags one by one.
	check func(s *subOptions) error
	// before checks what the command line and env allow, before
	// connecting, if there is something to check.
	before func(s *subOptions, env subEnv) error
	// run does the work. Its errors are *usageError, *opError or an
	// error writing the output.
	run func(ctx context.Context, c *subCall) error
}

// subOptions are a subcommand's parsed command line.
type subOptions struct {
	options               // the connection flags, --output and --timeout, as the listing has them
	args    []string      // the arguments, as many as the subcommand's params
	filter  customFilter  // custom's filters
	yes     bool          // delete --yes
	sub     *subcommand   // the subcommand parsed for
	fs      *flag.FlagSet // its flags, for its help
}

// subCall is one run of a subcommand.
type subCall struct {
	*subOptions
	m      imageManager
	env    subEnv
	stdout io.Writer
	stderr io.Writer
}

// withTimeout returns ctx bounded by --timeout.
func (c *subCall) withTimeout(ctx context.Context) (context.Context, context.CancelFunc) {
	return context.WithTimeout(ctx, c.timeout)
}

// subcommands are the subcommands, in the order the help lists them.
var subcommands = []*subcommand{customCommand, membersCommand, shareCommand, unshareCommand, acceptCommand, rejectCommand, deleteCommand}

// lookupSubcommand returns the subcommand called name, or nil.
func lookupSubcommand(name string) *subcommand {
	for _, s := range subcommands {
		if s.name == name {
			return s
		}
	}
	return nil
}

// isSubcommand reports whether name, the first argument of cphimages, is
// one of its subcommands.
func isSubcommand(name string) bool { return lookupSubcommand(name) != nil }

// runSubcommand runs the subcommand called name with the arguments that
// follow it, and returns the exit code: exitOK, exitFailure when the API or
// the network failed (or delete was not confirmed), exitUsage for a wrong
// command line or configuration, exitInterrupted when ctx ended (main ends
// it on SIGINT). Output goes to stdout, diagnostics and delete's question
// to stderr.
func runSubcommand(ctx context.Context, name string, args []string, env subEnv, stdout, stderr io.Writer) int {
	sub := lookupSubcommand(name)
	if sub == nil {
		fmt.Fprintf(stderr, "cphimages: unknown subcommand %q\nRun 'cphimages -h' for usage.\n", name)
		return exitUsage
	}
	s, err := parseSubcommand(sub, args)
	if errors.Is(err, flag.ErrHelp) {
		printSubcommandUsage(stdout, s)
		return exitOK
	}
	if err != nil {
		return reportUsage(stderr, sub, err)
	}
	if sub.before != nil {
		if err := sub.before(s, env); err != nil {
			return reportUsage(stderr, sub, err)
		}
	}

	m, done, err := env.connect(ctx, s.options)
	if err != nil {
		fmt.Fprintf(stderr, "cphimages: %v\n", err)
		if isUsage(err) {
			return exitUsage
		}
		return exitFailure
	}
	defer done()
	if s.demo {
		fmt.Fprintln(stderr, "cphimages: --demo: using an in-process fake CPH server (package cphtest); no credentials used, nothing leaves this machine")
	}

	c := &subCall{subOptions: s, m: m, env: env, stdout: stdout, stderr: stderr}
	err = sub.run(ctx, c)
	return reportSubError(stderr, sub, err, s.options, ctx.Err() != nil)
}

// isUsage reports whether err is a *usageError.
func isUsage(err error) bool {
	var u *usageError
	return errors.As(err, &u)
}

// reportUsage writes a command line error and returns exitUsage.
func reportUsage(stderr io.Writer, sub *subcommand, err error) int {
	fmt.Fprintf(stderr, "cphimages %s: %v\nRun 'cphimages %s -h' for usage.\n", sub.name, err, sub.name)
	return exitUsage
}

// printSubcommands writes the list of subcommands, the part of
// cphimages -h that names them.
func printSubcommands(w io.Writer) {
	fmt.Fprintln(w, "Subcommands, for the custom images (cphimages SUBCOMMAND -h for each one's flags):")
	for _, s := range subcommands {
		fmt.Fprintf(w, "  %-24s %s\n", s.synopsis(), s.summary)
	}
}

// synopsis is the subcommand's name and arguments, such as
// "share IMAGE PROJECT".
func (s *subcommand) synopsis() string {
	out := s.name
	for _, p := range s.params {
		out += " " + p
	}
	return out
}

// printSubcommandUsage writes the help of s.sub to w.
func printSubcommandUsage(w io.Writer, s *subOptions) {
	fmt.Fprintf(w, "Usage: cphimages %s [flags]\n\n%s\n", s.sub.synopsis(), s.sub.about)
	fmt.Fprintf(w, "\nCredentials, the project ID and the region come from the same flags and\n"+
		"environment variables as the listing's (see cphimages -h). Flags may come\n"+
		"before or after the arguments; -- ends the flags.\n\nFlags:\n")
	s.fs.SetOutput(w)
	s.fs.PrintDefaults()
	fmt.Fprintln(w, "\nExit status: 0 success, 1 API or network failure, 2 usage or configuration\nerror, 130 interrupted (SIGINT, Ctrl-C).")
}
