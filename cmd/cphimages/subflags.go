package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"strings"
	"unicode"
)

// newSubFlagSet declares the flags every subcommand has into s, then the
// subcommand's own.
func newSubFlagSet(sub *subcommand, s *subOptions) *flag.FlagSet {
	fs := flag.NewFlagSet("cphimages "+sub.name, flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	declareCommonFlags(fs, &s.options, commonFlagHelp{
		timeout: "give up after this `duration` (custom: every page together; delete: from the answer on)",
		demo:    "work on the demo project of an in-process fake server, fresh at each run; needs no credentials",
	})
	if sub.flags != nil {
		sub.flags(fs, s)
	}
	return fs
}

// parseSubcommand parses the command line of sub, the arguments after its
// name. Flags may come before, between or after the arguments; "--" ends
// the flags. It returns flag.ErrHelp for -h (with s ready for the help)
// and a *usageError for anything it cannot run.
func parseSubcommand(sub *subcommand, args []string) (*subOptions, error) {
	s := &subOptions{options: options{output: outputTable}, sub: sub}
	s.fs = newSubFlagSet(sub, s)
	for {
		if err := s.fs.Parse(args); err != nil {
			if errors.Is(err, flag.ErrHelp) {
				return s, err
			}
			return s, usagef("%s", err)
		}
		rest := s.fs.Args()
		if ended := len(args) > len(rest) && args[len(args)-len(rest)-1] == "--"; ended {
			s.args = append(s.args, rest...)
			break
		}
		if len(rest) == 0 {
			break
		}
		s.args = append(s.args, rest[0])
		args = rest[1:]
	}

	if err := checkArgs(sub, s.args); err != nil {
		return s, err
	}
	if err := checkCommonFlags(s.options, "works on"); err != nil {
		return s, err
	}
	if sub.check != nil {
		if err := sub.check(s); err != nil {
			return s, err
		}
	}
	return s, nil
}

// checkArgs checks that args are as many as sub's params, and that each
// can be a path parameter: not empty, without "/", "..", spaces or control
// characters.
func checkArgs(sub *subcommand, args []string) error {
	if len(args) != len(sub.params) {
		return usagef("%s; got %d", takes(sub), len(args))
	}
	for i, a := range args {
		if err := checkID(a); err != nil {
			return usagef("%s %q %v", sub.params[i], withoutPassword(a), err)
		}
	}
	return nil
}

// takes says what arguments sub takes, such as "takes 2 arguments, IMAGE
// and PROJECT".
func takes(sub *subcommand) string {
	switch len(sub.params) {
	case 0:
		return "takes no arguments"
	case 1:
		return "takes 1 argument, " + sub.params[0]
	}
	return fmt.Sprintf("takes %d arguments, %s and %s", len(sub.params),
		strings.Join(sub.params[:len(sub.params)-1], ", "), sub.params[len(sub.params)-1])
}

// checkID returns why id cannot be an image or project ID in a request
// path, or nil.
func checkID(id string) error {
	switch {
	case id == "":
		return errors.New("is empty")
	case strings.Contains(id, "/"):
		return errors.New(`contains "/"`)
	case strings.Contains(id, ".."):
		return errors.New(`contains ".."`)
	case strings.ContainsFunc(id, func(r rune) bool { return unicode.IsSpace(r) || unicode.IsControl(r) }):
		return errors.New("contains a space or a control character")
	}
	return nil
}
