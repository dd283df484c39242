package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"net/url"
	"strings"
	"time"

	"github.com/cph-go/cph"
)

// Output formats.
const (
	outputTable = "table"
	outputJSON  = "json"
)

// options are the parsed command line.
type options struct {
	region    string
	endpoint  string
	projectID string
	imageType cph.ImageType
	label     string
	os        string
	output    string
	timeout   time.Duration
	verbose   bool
	version   bool
	demo      bool
}

// usageError is a command line that cannot run as given.
type usageError struct{ msg string }

func (e *usageError) Error() string { return e.msg }

func usagef(format string, args ...any) error {
	return &usageError{msg: fmt.Sprintf(format, args...)}
}

// newFlagSet declares the flags into o.
func newFlagSet(o *options) *flag.FlagSet {
	fs := flag.NewFlagSet("cphimages", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	declareCommonFlags(fs, o, commonFlagHelp{
		timeout: "give up after this `duration`",
		demo:    "list demo images (the documented sample, a private and a shared one) from an in-process fake server; needs no credentials",
	})
	fs.Func("type", "list only images of this `type`, in any case: "+joinImageTypes()+" (default all)", func(v string) error {
		t := cph.ImageType(strings.ToLower(v))
		if !t.IsKnown() {
			return fmt.Errorf("must be one of %s", joinImageTypes())
		}
		o.imageType = t
		return nil
	})
	fs.StringVar(&o.label, "label", "", "list only images with this image `label`, in any case, such as cloud_phone; one no image has and the library does not know ("+joinLabels()+") lists nothing, with a warning")
	fs.StringVar(&o.os, "os", "", "list only images of this `OS`, in any case: an OS type (aosp), or an OS name or its start cut at a version boundary (AOSP7.1.1, AOSP7 and AOSP7.1 match AOSP7.1.1; AOSP1 does not match AOSP10)")
	fs.BoolVar(&o.version, "version", false, "print the version and exit: the module version of the build (go install ...@v1.2.3), else the library's")
	return fs
}

// commonFlagHelp is the help of the common flags whose meaning differs
// between the listing and the subcommands.
type commonFlagHelp struct {
	timeout string // --timeout's
	demo    string // --demo's
}

// declareCommonFlags declares into o the flags the listing and every
// subcommand have: the connection flags (--region, --endpoint,
// --project-id, --demo), --output, --timeout and --verbose.
func declareCommonFlags(fs *flag.FlagSet, o *options, help commonFlagHelp) {
	fs.StringVar(&o.region, "region", "", "region `ID`, such as cn-north-4; the endpoint is then https://cph.{region}.myhuaweicloud.com (default $"+envRegion+")")
	fs.StringVar(&o.endpoint, "endpoint", "", "endpoint `URL`, overriding the region's")
	fs.StringVar(&o.projectID, "project-id", "", "project `ID` (default $"+envProjectID+", else the profile file's, else discovered from IAM for the region)")
	fs.Func("output", "output `format`: table or json (default table)", func(v string) error {
		if v != outputTable && v != outputJSON {
			return errors.New("must be table or json")
		}
		o.output = v
		return nil
	})
	fs.DurationVar(&o.timeout, "timeout", 30*time.Second, help.timeout)
	fs.BoolVar(&o.verbose, "verbose", false, "log each request to stderr, and the library's own text of an error (secrets redacted)")
	fs.BoolVar(&o.demo, "demo", false, help.demo)
}

func joinLabels() string {
	var names []string
	for _, l := range cph.ImageLabel("").Values() {
		names = append(names, string(l))
	}
	return strings.Join(names, ", ")
}

func joinImageTypes() string {
	var names []string
	for _, t := range cph.ImageType("").Values() {
		names = append(names, string(t))
	}
	return strings.Join(names, ", ")
}

// parseArgs parses the command line. It returns flag.ErrHelp for -h and a
// *usageError for anything it cannot run.
func parseArgs(args []string) (options, error) {
	o := options{output: outputTable}
	fs := newFlagSet(&o)
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return o, err
		}
		return o, usagef("%s", err)
	}
	if fs.NArg() > 0 {
		return o, unexpectedArgument(args, fs.NArg())
	}
	return o, checkCommonFlags(o, "lists from")
}

// checkCommonFlags checks the values of the common flags together: a
// positive --timeout, and no connection flag with --demo, which does
// (such as "lists from") its own fake server.
func checkCommonFlags(o options, does string) error {
	switch {
	case o.timeout <= 0:
		return usagef("--timeout must be positive, not %s", o.timeout)
	case o.demo && (o.region != "" || o.endpoint != "" || o.projectID != ""):
		return usagef("--demo %s its own fake server: it takes no --region, --endpoint or --project-id", does)
	}
	return nil
}

// unexpectedArgument is the error of a listing's command line args whose
// last rest are not flags. When the first of them names a subcommand, it
// says that subcommands come first, and how the line reads that way.
func unexpectedArgument(args []string, rest int) error {
	i := len(args) - rest
	if !isSubcommand(args[i]) {
		return usagef("unexpected argument %q: cphimages takes only flags, or first a subcommand (cphimages -h lists them)", withoutPassword(args[i]))
	}
	flags := args[:i]
	if i > 0 && args[i-1] == "--" {
		flags = args[:i-1]
	}
	line := append([]string{"cphimages", args[i]}, flags...)
	line = append(line, args[i+1:]...)
	for j, a := range line {
		line[j] = shellQuote(withoutPassword(a))
	}
	return usagef("unexpected argument %q: a subcommand comes first, before its flags: %s", args[i], strings.Join(line, " "))
}

// withoutPassword returns a command-line argument as it may be shown: a
// URL in it (alone, or as a flag's --name=value) with its password
// masked, as the library masks an endpoint's user information, so that an
// echoed command line never shows one.
func withoutPassword(arg string) string {
	prefix, value := "", arg
	if strings.HasPrefix(arg, "-") {
		if name, v, ok := strings.Cut(arg, "="); ok {
			prefix, value = name+"=", v
		}
	}
	if !strings.Contains(value, "@") {
		return arg
	}
	u, err := url.Parse(value)
	if err != nil || u.User == nil {
		return arg
	}
	return prefix + u.Redacted()
}

// shellQuote returns s as a shell reads it back: as it is when it has only
// letters, digits and -_./:=@%+, characters, else in single quotes.
func shellQuote(s string) string {
	if s != "" && strings.Trim(s, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_./:=@%+,") == "" {
		return s
	}
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}

// printUsage writes the help text to w.
func printUsage(w io.Writer) {
	var o options
	fs := newFlagSet(&o)
	fmt.Fprintf(w, `Usage: cphimages [flags]
       cphimages SUBCOMMAND [flags] ARGUMENTS...

Lists the cloud phone images of a Huawei Cloud CPH project; a subcommand
(listed after the flags) manages its custom images.

Credentials and the project ID come from the environment:
  %-32s the access key
  %-32s the secret key
  %-32s the token of temporary credentials, if any
  %-32s the project ID, unless --project-id is given
else from the profile file $%s (default
~/.huaweicloud/credentials), section [basic]: ak, sk, security_token,
project_id. With no project ID from any of these, it is discovered from IAM
for the region at the first call ($%s overrides IAM's
endpoint). The region comes from the environment too:
  %-32s the region, unless --region or --endpoint is given
Try it without any: cphimages --demo

Flags:
`, envAK, envSK, envToken, envProjectID, envCredsFile, envIAM, envRegion)
	fs.SetOutput(w)
	fs.PrintDefaults()
	fmt.Fprintln(w)
	printSubcommands(w)
	fmt.Fprintln(w, `
A subcommand comes first on the line; its flags (the connection flags,
--output, --timeout and --verbose as above, and its own) may come before or
after its arguments.

A retry the client waits for is said on stderr, one line each, with or
without --verbose.

Exit status: 0 success, 1 API or network failure, 2 usage or configuration
error, 130 interrupted (SIGINT, Ctrl-C).`)
}
