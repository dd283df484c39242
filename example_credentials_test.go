package cph_test

import (
	"context"
	"errors"
	"fmt"
	"log"

	"github.com/cph-go/cph"
	"github.com/cph-go/cph/cphtest"
)

// The regions where CPH is known to be offered. WithRegion accepts any
// well-formed region ID, not only these.
func ExampleRegions() {
	fmt.Println(cph.Regions()[:4])
	// Output: [ru-northwest-2 ap-southeast-3 ap-southeast-1 cn-north-4]
}

// Without a project ID, the first call asks IAM for the project named
// after the region (here a cphtest server stands in for CPH and IAM).
func ExampleClient_ProjectID_discovered() {
	srv := cphtest.NewServer()
	defer srv.Close()
	client, err := cph.NewClient(srv.DiscoveryOptions()...) // region, endpoint, IAM endpoint, credentials
	if err != nil {
		log.Fatal(err)
	}
	fmt.Printf("before: %q\n", client.ProjectID())
	if _, err := client.ListPhoneImages(context.Background()); err != nil {
		log.Fatal(err)
	}
	fmt.Printf("after: %q\n", client.ProjectID())
	// Output:
	// before: ""
	// after: "0123456789abcdef0123456789abcdef"
}

// Temporary credentials of the ECS instance the program runs on: opt-in,
// fetched on first use and refreshed before they expire. (This example has
// no Output comment, so go test compiles it but never runs it: it would
// reach the metadata service and the cloud.)
func ExampleMetadataCredentials() {
	client, err := cph.NewClient(
		cph.WithRegion("cn-north-4"),
		cph.WithCredentialsProvider(cph.MetadataCredentials()),
	)
	if err != nil {
		log.Fatal(err)
	}
	out, err := client.ListPhoneImages(context.Background())
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(len(out.Images))
}

// A chain asks its sources in order; when none has credentials, the error
// says what each one lacked.
func ExampleChainCredentials() {
	p := cph.ChainCredentials(
		cph.EnvCredentials(),
		cph.ProfileCredentials("/nonexistent/credentials"),
	)
	_, err := p.Retrieve(context.Background())
	fmt.Println(errors.Is(err, cph.ErrMissingCredentials))
	fmt.Println(err)
	// Output:
	// true
	// cph: ChainCredentials: missing credentials: tried the environment (HUAWEICLOUD_SDK_AK and HUAWEICLOUD_SDK_SK are not set); the profile file /nonexistent/credentials (no such file; create it, or set HUAWEICLOUD_SDK_CREDENTIALS_FILE to another one)
}

// Sign with SDK-HMAC-SM3, for regions that require it.
func ExampleWithSigningAlgorithm() {
	srv := cphtest.NewServer() // verifies SM3 signatures too
	defer srv.Close()
	client, err := cph.NewClient(append(srv.ClientOptions(), cph.WithSigningAlgorithm(cph.SigningHMACSM3))...)
	if err != nil {
		log.Fatal(err)
	}
	out, err := client.ListPhoneImages(context.Background())
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(len(out.Images), "images")
	// Output: 3 images
}
