package main

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"regexp"
	"slices"
	"strings"

	"github.com/cph-go/cph"
)

// The library's errors speak to a Go program: some end by naming an
// option (WithCredentials, WithProjectID, WithAllowInsecureHTTP), which
// the command has no flag for. The command says what it passes on in its
// own words: it names the flag or the variable to set, drops the clauses
// that name a Go option (scrub), and shows the library's own text only with
// --verbose.

// goOption matches a Go option of the library in a message.
var goOption = regexp.MustCompile(`\bWith[A-Z][A-Za-z]*\b`)

// goOptionAside matches an aside that only names a Go option: " (WithMaxRetryAfter)".
var goOptionAside = regexp.MustCompile(` \(With[A-Z][A-Za-z]*\)`)

// scrub returns the library's message msg without what names a Go option:
// an aside "(WithX)", and each clause after a "; " that names one. The
// first clause, which says what is wrong, is always kept.
func scrub(msg string) string {
	msg = goOptionAside.ReplaceAllString(msg, "")
	parts := strings.Split(msg, "; ")
	kept := parts[:1]
	for _, p := range parts[1:] {
		if !goOption.MatchString(p) {
			kept = append(kept, p)
		}
	}
	return strings.Join(kept, "; ")
}

// goFunction matches the start of an error of NewClient, which names the
// Go functions it came through: "cph: NewClient: ProfileCredentials: ".
var goFunction = regexp.MustCompile(`^(cph: )?(NewClient: )?((Profile|Env|Chain)Credentials: )?`)

// unprefixed returns the message of an error of NewClient without the Go
// functions it came through.
func unprefixed(err error) string {
	return goFunction.ReplaceAllString(err.Error(), "")
}

// credentialsSource names where the credentials came from, for a message
// about credentials the library found wrong: the variables when both keys
// are set there (the library reads them first), else the profile file.
func credentialsSource() string {
	if strings.TrimSpace(os.Getenv(envAK)) != "" && strings.TrimSpace(os.Getenv(envSK)) != "" {
		return envAK + ", " + envSK + " and " + envToken
	}
	return "ak, sk and security_token in the profile file (" + envCredsFile + ", default ~/.huaweicloud/credentials)"
}

// leaves returns the errors joined in err (NewClient joins every problem
// it finds), or err alone.
func leaves(err error) []error {
	if joined, ok := err.(interface{ Unwrap() []error }); ok {
		return joined.Unwrap()
	}
	return []error{err}
}

// The probe stands in for everything but the setting checked, so that
// NewClient reads nothing of the environment or the profile file and
// finds nothing missing.
var probeOptions = []cph.Option{
	cph.WithCredentials(cph.Credentials{AccessKey: "probe", SecretKey: "probe"}),
	cph.WithProjectID("probe"),
	cph.WithEndpoint("https://localhost"),
}

// settingErrors checks each setting alone with NewClient (which sends
// nothing) and returns the messages of what is wrong with them, each with
// the command's line for it, which names the flag or variable.
func settingErrors(settings []setting) map[string]string {
	lines := map[string]string{}
	for _, s := range settings {
		_, err := cph.NewClient(append(slices.Clip(probeOptions), s.option)...)
		if err == nil {
			continue
		}
		for _, e := range leaves(err) {
			lines[e.Error()] = settingLine(s, e)
		}
	}
	return lines
}

// settingLine says what is wrong with the setting s, whose check failed
// with err.
func settingLine(s setting, err error) string {
	switch {
	case s.from == "--region" || s.from == envRegion:
		if errors.Is(err, cph.ErrInvalidEndpoint) {
			return fmt.Sprintf("%s %q is not a region ID such as cn-north-4 (the known CPH regions: %s)",
				s.from, s.value, strings.Join(cph.Regions(), ", "))
		}
	case s.from == "--endpoint":
		switch {
		case errors.Is(err, cph.ErrInsecureEndpoint):
			return "--endpoint: " + scrub(unprefixed(err)) + "; give an https:// URL (plain http:// goes only to a loopback host)"
		case errors.Is(err, cph.ErrInvalidEndpoint):
			return "--endpoint: " + scrub(unprefixed(err)) + "; give an absolute https:// URL with a host and no user, query or fragment, such as https://cph.cn-north-4.myhuaweicloud.com, or --region instead"
		}
	case s.from == "--project-id":
		if errors.Is(err, cph.ErrInvalidProjectID) {
			return "--project-id: " + scrub(unprefixed(err)) + "; a project ID is at most 64 letters, digits, '-' and '_'"
		}
	}
	return s.from + ": " + scrub(unprefixed(err))
}

// explainNewClientError returns NewClient's err as a *usageError in the
// command's words: what is missing, one line each, with the flag or
// variable to set; then what is wrong, each naming where it came from (a
// flag, a variable, the profile file). With verbose it adds the library's
// own text.
func explainNewClientError(err error, tgt *target, verbose bool) error {
	flagLines := settingErrors(tgt.settings)
	var creds, projectID, endpoint string // what to set, in this order
	var others []string
	for _, e := range leaves(err) {
		switch line, ok := flagLines[e.Error()]; {
		case ok:
			if !slices.Contains(others, line) {
				others = append(others, line)
			}
		case errors.Is(e, cph.ErrMissingCredentials):
			detail := unprefixed(e)
			if _, after, ok := strings.Cut(detail, cph.ErrMissingCredentials.Error()+": "); ok {
				detail = after
			}
			creds = "credentials: " + scrub(detail)
		case errors.Is(e, cph.ErrMissingProjectID):
			projectID = "set --project-id or " + envProjectID + ", or --region so that it can be discovered"
		case errors.Is(e, cph.ErrMissingEndpoint):
			endpoint = "set --region (such as cn-north-4), " + envRegion + " or --endpoint"
		case errors.Is(e, cph.ErrInsecureEndpoint):
			others = append(others, scrub(unprefixed(e))+"; give an https:// URL there (plain http:// goes only to a loopback host)")
		case errors.Is(e, cph.ErrInvalidCredentials):
			others = append(others, scrub(unprefixed(e))+"; check "+credentialsSource())
		default:
			others = append(others, scrub(unprefixed(e)))
		}
	}
	missing := slices.DeleteFunc([]string{creds, projectID, endpoint}, func(s string) bool { return s == "" })
	var msg string
	switch {
	case len(missing) > 0:
		msg = "missing configuration:\n  " + strings.Join(append(missing, others...), "\n  ") +
			"\n  (or try --demo, which needs none of these)"
	case len(others) == 1:
		msg = others[0]
	default:
		msg = "invalid configuration:\n  " + strings.Join(others, "\n  ")
	}
	if verbose {
		msg += libraryText(err)
	}
	return &usageError{msg: msg}
}

// libraryText is the library's own text of err, one line per joined
// error, for --verbose.
func libraryText(err error) string {
	var b strings.Builder
	for _, e := range leaves(err) {
		b.WriteString("\n  library: " + strings.ReplaceAll(e.Error(), "\n", "\n    "))
	}
	return b.String()
}

// call says what a failed call was, for its diagnosis.
type call struct {
	op string // the library's operation, such as "ListPhoneImages", for an API error that names none
	// after is " after 3 images" when items came before the failure, else
	// "".
	after string
	// undone says what an interruption leaves, such as "nothing listed".
	undone string
}

// listCall is the listing's call.
var listCall = call{op: "ListPhoneImages", undone: "nothing listed"}

// reportError writes the diagnosis of c, failed with err, to stderr and
// returns its exit code. interrupted says the command's context ended
// (SIGINT).
func reportError(stderr io.Writer, err error, o options, interrupted bool, c call) int {
	var apiErr *cph.APIError
	code, hint := exitFailure, ""
	switch {
	case interrupted:
		fmt.Fprintf(stderr, "cphimages: interrupted (SIGINT)%s; %s\n", c.after, c.undone)
		return exitInterrupted
	case errors.As(err, &apiErr):
		fmt.Fprintf(stderr, "cphimages: %s failed%s\n"+
			"  status:     %d %s\n"+
			"  code:       %s\n"+
			"  message:    %s\n"+
			"  request ID: %s\n",
			cmp.Or(apiErr.Operation, c.op), c.after,
			apiErr.StatusCode, http.StatusText(apiErr.StatusCode),
			orDash(apiErr.Code), orDash(apiErr.Message), orDash(apiErr.RequestID))
		if cph.IsAuthError(err) && !o.demo {
			fmt.Fprintf(stderr, "  hint:       check the credentials (%s and %s, or the profile file), "+
				"the project ID and the region; a clock more than 15 minutes off also fails\n", envAK, envSK)
		}
		if o.verbose {
			fmt.Fprintf(stderr, "  library:    %s\n", err)
		}
		return exitFailure
	case errors.Is(err, context.DeadlineExceeded):
		fmt.Fprintf(stderr, "cphimages: no answer within --timeout %s%s: %s\n", o.timeout, c.after, scrub(err.Error()))
		hint = "a longer --timeout may help; --verbose logs every attempt"
	case isConfigError(err):
		code = exitUsage
		fmt.Fprintf(stderr, "cphimages: %s%s\n", scrub(err.Error()), parenthesized(c.after))
		switch {
		case errors.Is(err, cph.ErrMissingProjectID): // discovery found none, or several
			hint = "set --project-id or " + envProjectID + ", or check --region"
		case errors.Is(err, cph.ErrInsecureEndpoint):
			hint = "give an https:// URL there (plain http:// goes only to a loopback host)"
		case errors.Is(err, cph.ErrMissingCredentials), errors.Is(err, cph.ErrInvalidCredentials):
			hint = "check " + credentialsSource()
		}
	case errors.Is(err, cph.ErrInvalidResponse), errors.Is(err, cph.ErrResponseTooLarge):
		fmt.Fprintf(stderr, "cphimages: %s%s\n", scrub(err.Error()), parenthesized(c.after))
		if !o.demo {
			hint = "the answer is not the CPH API's: check " + endpointSource(o) + "; --verbose logs every attempt"
		}
	default: // the network
		fmt.Fprintf(stderr, "cphimages: %s%s\n", scrub(err.Error()), parenthesized(c.after))
		if !o.demo {
			hint = "check " + endpointSource(o) + " and the network; --verbose logs every attempt"
		}
	}
	if hint != "" {
		fmt.Fprintf(stderr, "  hint: %s\n", hint)
	}
	if o.verbose {
		fmt.Fprintf(stderr, "  library: %s\n", err)
	}
	return code
}

// parenthesized is " (after 3 images)" for after " after 3 images", and ""
// for "".
func parenthesized(after string) string {
	if after == "" {
		return ""
	}
	return " (" + after[1:] + ")"
}

// endpointSource names where the endpoint came from: --endpoint, else
// --region, else the region's variable.
func endpointSource(o options) string {
	switch {
	case o.endpoint != "":
		return "--endpoint"
	case o.region != "":
		return "--region"
	}
	return envRegion
}

func orDash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}
