package main

import (
	"errors"
	"os"
	"strings"

	"github.com/cph-go/cph"
	"github.com/cph-go/cph/cphtest"
)

// The environment variables the credentials and project ID come from.
const (
	envAK        = "HUAWEICLOUD_SDK_AK"
	envSK        = "HUAWEICLOUD_SDK_SK"
	envToken     = "HUAWEICLOUD_SDK_SECURITY_TOKEN"
	envProjectID = "HUAWEICLOUD_SDK_PROJECT_ID"
	envRegion    = "HUAWEICLOUD_SDK_REGION" // used when neither --region nor --endpoint is given
)

// target is where and as whom to list: the client options, and what to
// release when done.
type target struct {
	options []cph.Option
	creds   cph.Credentials // for the debug log, which redacts them
	close   func()
}

// newTarget returns the client options of the command line: those of an
// in-process cphtest server with --demo, else the flags' and the
// environment's. Anything missing is a *usageError that names what to set.
func newTarget(o options) (*target, error) {
	if o.demo {
		srv := cphtest.NewServer()
		return &target{options: srv.ClientOptions(), creds: srv.Credentials(), close: srv.Close}, nil
	}
	creds := cph.Credentials{
		AccessKey:     os.Getenv(envAK),
		SecretKey:     os.Getenv(envSK),
		SecurityToken: os.Getenv(envToken),
	}
	projectID := o.projectID
	if projectID == "" {
		projectID = os.Getenv(envProjectID)
	}

	region := o.region
	if region == "" && o.endpoint == "" {
		region = os.Getenv(envRegion)
	}

	var missing []string
	switch {
	case creds.AccessKey == "" && creds.SecretKey == "":
		missing = append(missing, "set "+envAK+" and "+envSK+" (the access key and secret key)")
	case creds.AccessKey == "":
		missing = append(missing, "set "+envAK+" (the access key)")
	case creds.SecretKey == "":
		missing = append(missing, "set "+envSK+" (the secret key)")
	}
	if projectID == "" {
		missing = append(missing, "set --project-id or "+envProjectID)
	}
	if region == "" && o.endpoint == "" {
		missing = append(missing, "set --region (such as cn-north-4), "+envRegion+" or --endpoint")
	}
	if len(missing) > 0 {
		return nil, &usageError{msg: "missing configuration:\n  " + strings.Join(missing, "\n  ") +
			"\n  (or try --demo, which needs none of these)"}
	}

	opts := []cph.Option{
		cph.WithProjectID(projectID),
		cph.WithCredentials(creds),
	}
	if region != "" {
		opts = append(opts, cph.WithRegion(region))
	}
	if o.endpoint != "" {
		opts = append(opts, cph.WithEndpoint(o.endpoint))
	}
	return &target{options: opts, creds: creds, close: func() {}}, nil
}

// configErrors are the library's errors that mean the configuration, not
// the service, is at fault.
var configErrors = []error{
	cph.ErrMissingCredentials, cph.ErrInvalidCredentials,
	cph.ErrMissingProjectID, cph.ErrInvalidProjectID,
	cph.ErrMissingEndpoint, cph.ErrInvalidEndpoint,
	cph.ErrInvalidParameter,
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
