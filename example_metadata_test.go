package cph_test

import (
	"context"
	"fmt"
	"time"

	"github.com/cph-go/cph"
	"github.com/cph-go/cph/cphtest"
)

// Testing code that runs on ECS with the instance's credentials: a fake
// metadata service hands out temporary credentials, which a fake CPH
// accepts.
func ExampleWithMetadataEndpoint() {
	temporary := cph.Credentials{
		AccessKey:     "TEMPORARYACCESSKEY01",
		SecretKey:     "temporary-secret-key",
		SecurityToken: "temporary-security-token",
	}
	md := cphtest.NewMetadataServer(temporary, time.Now().Add(time.Hour))
	defer md.Close()
	cloud := cphtest.NewServer(cphtest.WithCredentials(temporary))
	defer cloud.Close()

	client, err := cph.NewClient(
		cph.WithEndpoint(cloud.URL),
		cph.WithProjectID(cloud.ProjectID()),
		cph.WithCredentialsProvider(cph.MetadataCredentials(cph.WithMetadataEndpoint(md.URL))),
	)
	if err != nil {
		fmt.Println(err)
		return
	}
	out, err := client.ListPhoneImages(context.Background())
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(len(out.Images), "images; security token sent:", cloud.Requests()[0].Header.Get("X-Security-Token"))
	// Output:
	// 3 images; security token sent: temporary-security-token
}
