package main

import (
	"errors"
	"os"

	"github.com/cph-go/cph"
	"github.com/cph-go/cph/cphtest"
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
	// demo is the --demo server, nil without --demo.
	demo *cphtest.Server
	// settings are the command line's own values given to the library,
	// each with the flag or variable it came from, so that an error about
	// one can name it.
	settings []setting
}

// setting is one value the command gives the library: its option, and the
// flag or variable it came from ("--region", envRegion).
type setting struct {
	from   string
	value  string
	option cph.Option
}

// newTarget returns the client options of the command line: those of an
// in-process cphtest server with --demo, else the flags' and, for the
// region, the environment's. The credentials and, without --project-id,
// the project ID are left to the library: the environment, then the
// profile file, then (project ID) IAM discovery at the first call.
func newTarget(o options) *target {
	if o.demo {
		srv := newDemoServer()
		return &target{options: srv.ClientOptions(), creds: srv.Credentials(), close: srv.Close, demo: srv}
	}
	tgt := &target{
		creds: cph.ChainCredentials(cph.EnvCredentials(), cph.ProfileCredentials("")),
		close: func() {},
	}
	add := func(from, value string, option func(string) cph.Option) {
		if value != "" {
			tgt.settings = append(tgt.settings, setting{from: from, value: value, option: option(value)})
			tgt.options = append(tgt.options, option(value))
		}
	}
	add("--project-id", o.projectID, cph.WithProjectID)
	switch {
	case o.region != "":
		add("--region", o.region, cph.WithRegion)
	case o.endpoint == "":
		add(envRegion, os.Getenv(envRegion), cph.WithRegion)
	}
	add("--endpoint", o.endpoint, cph.WithEndpoint)
	return tgt
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
