package main

import (
	"errors"
	"os"
	"slices"
	"strings"

	"github.com/cph-go/cph"
)

// The environment variables the messages and the help name. The library
// reads all of them but envRegion itself (its default chain, see
// cph.NewClient); the command reads only envRegion.
const (
	envAK        = "HUAWEICLOUD_SDK_AK"
	envSK        = "HUAWEICLOUD_SDK_SK"
	envToken     = "HUAWEICLOUD_SDK_SECURITY_TOKEN"
	envProjectID = "HUAWEICLOUD_SDK_PROJECT_ID"
	envCredsFile = "HUAWEICLOUD_SDK_CREDENTIALS_FILE"
	envIAM       = "HUAWEICLOUD_SDK_IAM_ENDPOINT"
	envRegion    = "HUAWEICLOUD_SDK_REGION" // used when neither --region nor --endpoint is given
)

// target is where and as whom to list: the client options, and what to
// release when done.
type target struct {
	options []cph.Option
	// creds is asked only for the debug log, which logs the answer
	// redacted: the demo server's credentials, or the library's default
	// chain, which NewClient reads itself when given no credentials.
	creds cph.CredentialsProvider
	close func()
}

// newTarget returns the client options of the command line: those of an
// in-process cphtest server with --demo, else the flags' and, for the
// region, the environment's. The credentials and, without --project-id,
// the project ID are left to the library: the environment, then the
// profile file, then (project ID) IAM discovery at the first call.
func newTarget(o options) *target {
	if o.demo {
		srv := newDemoServer()
		return &target{options: srv.ClientOptions(), creds: srv.Credentials(), close: srv.Close}
	}
	region := o.region
	if region == "" && o.endpoint == "" {
		region = os.Getenv(envRegion)
	}
	var opts []cph.Option
	if o.projectID != "" {
		opts = append(opts, cph.WithProjectID(o.projectID))
	}
	if region != "" {
		opts = append(opts, cph.WithRegion(region))
	}
	if o.endpoint != "" {
		opts = append(opts, cph.WithEndpoint(o.endpoint))
	}
	return &target{
		options: opts,
		creds:   cph.ChainCredentials(cph.EnvCredentials(), cph.ProfileCredentials("")),
		close:   func() {},
	}
}

// libraryHint ends the library's missing-credentials message; the command
// line has no such options.
const libraryHint = "; or give them with WithCredentials or WithCredentialsProvider"

// explainNewClientError returns NewClient's err as a *usageError listing
// what to set, one line each, when something is missing; any other error
// is returned as is.
func explainNewClientError(err error) error {
	errs := []error{err}
	if joined, ok := err.(interface{ Unwrap() []error }); ok {
		errs = joined.Unwrap()
	}
	var creds, projectID, endpoint string // what to set, in this order
	var others []string
	for _, e := range errs {
		switch {
		case errors.Is(e, cph.ErrMissingCredentials):
			detail := e.Error()
			if _, after, ok := strings.Cut(detail, cph.ErrMissingCredentials.Error()+": "); ok {
				detail = strings.TrimSuffix(after, libraryHint)
			}
			creds = "credentials: " + detail
		case errors.Is(e, cph.ErrMissingProjectID):
			projectID = "set --project-id or " + envProjectID + ", or --region so that it can be discovered"
		case errors.Is(e, cph.ErrMissingEndpoint):
			endpoint = "set --region (such as cn-north-4), " + envRegion + " or --endpoint"
		default:
			others = append(others, e.Error())
		}
	}
	lines := slices.DeleteFunc([]string{creds, projectID, endpoint}, func(s string) bool { return s == "" })
	if len(lines) == 0 {
		return err
	}
	return &usageError{msg: "missing configuration:\n  " + strings.Join(append(lines, others...), "\n  ") +
		"\n  (or try --demo, which needs none of these)"}
}

// configErrors are the library's errors that mean the configuration, not
// the service, is at fault.
var configErrors = []error{
	cph.ErrMissingCredentials, cph.ErrInvalidCredentials,
	cph.ErrMissingProjectID, cph.ErrInvalidProjectID,
	cph.ErrMissingEndpoint, cph.ErrInvalidEndpoint,
	cph.ErrInvalidParameter, cph.ErrInsecureEndpoint,
}

// isConfigError reports whether err is a configuration error of the
// library.
func isConfigError(err error) bool {
	for _, target := range configErrors {
		if errors.Is(err, target) {
			return true
		}
	}
	return false
}
