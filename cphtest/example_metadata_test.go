package cphtest_test

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/cph-go/cph"
	"github.com/cph-go/cph/cphtest"
)

// The metadata credentials provider pointed at a fake metadata service:
// it asks for a session token, then for the instance's temporary
// credentials with it.
func ExampleNewMetadataServer() {
	md := cphtest.NewMetadataServer(cph.Credentials{
		AccessKey:     "TEMPORARYACCESSKEY01",
		SecretKey:     "temporary-secret-key",
		SecurityToken: "temporary-security-token",
	}, time.Now().Add(time.Hour))
	defer md.Close()

	p := cph.MetadataCredentials(cph.WithMetadataEndpoint(md.URL))
	creds, err := p.Retrieve(context.Background())
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(creds.AccessKey)
	for _, r := range md.Requests() {
		fmt.Println(strings.TrimSpace(r.Method + " " + r.Path + " " + r.Header.Get("X-Metadata-Token")))
	}
	// Output:
	// TEMPORARYACCESSKEY01
	// PUT /meta-data/latest/api/token
	// GET /openstack/latest/securitykey cphtest-session-1
}

// Faults of the metadata service, which queue as Server's do and answer
// Code and Message as plain text, and an instance without an agency.
func ExampleMetadataServer_InjectFault() {
	md := cphtest.NewMetadataServer(cph.Credentials{
		AccessKey: "TEMPORARYACCESSKEY01", SecretKey: "s", SecurityToken: "t",
	}, time.Now().Add(time.Hour))
	defer md.Close()

	md.InjectFault(1, cphtest.Fault{Operation: "GetSecurityKey", Status: 500, Body: "service down"})
	md.InjectFault(1, cphtest.Fault{Operation: "GetSecurityKey", Status: 503, Code: "MD.0001", Message: "busy"})
	for range 3 {
		_, err := cph.MetadataCredentials(cph.WithMetadataEndpoint(md.URL)).Retrieve(context.Background())
		fmt.Println(err)
	}

	md.SetCredentials(cph.Credentials{}, time.Time{}) // the agency is detached
	_, err := cph.MetadataCredentials(cph.WithMetadataEndpoint(md.URL)).Retrieve(context.Background())
	fmt.Println(errors.Is(err, cph.ErrMissingCredentials))
	// Output:
	// cph: MetadataCredentials: GET /openstack/latest/securitykey: status 500: service down
	// cph: MetadataCredentials: GET /openstack/latest/securitykey: status 503: MD.0001: busy
	// <nil>
	// true
}
