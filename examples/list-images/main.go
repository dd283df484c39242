// Command list-images lists the cloud phone images of a Huawei Cloud project.
//
// It gives the client no credentials and no project ID, so the client finds
// them as the library does by default (see cph.NewClient): the environment,
//
//	HUAWEICLOUD_SDK_AK              access key
//	HUAWEICLOUD_SDK_SK              secret key
//	HUAWEICLOUD_SDK_SECURITY_TOKEN  security token (temporary credentials only)
//	HUAWEICLOUD_SDK_PROJECT_ID      project ID (optional)
//
// else the profile file named by HUAWEICLOUD_SDK_CREDENTIALS_FILE, else
// ~/.huaweicloud/credentials (section [basic]: ak, sk, security_token,
// project_id). Without a project ID from either, the first call discovers
// it from IAM for the region. The region comes from -region or
// HUAWEICLOUD_SDK_REGION. It prints one line per image. Run it with:
//
//	go run ./examples/list-images -region cn-north-4
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"time"

	"github.com/cph-go/cph"
)

func main() {
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
}

// run lists the images and returns the exit code: 0 success, 1 the call
// failed, 2 the configuration is incomplete or wrong.
func run(args []string, stdout, stderr io.Writer) int {
	flags := flag.NewFlagSet("list-images", flag.ContinueOnError)
	flags.SetOutput(stderr)
	region := flags.String("region", os.Getenv("HUAWEICLOUD_SDK_REGION"), "region, such as cn-north-4")
	endpoint := flags.String("endpoint", "", "endpoint URL, overriding the region's")
	if err := flags.Parse(args); err != nil {
		return 2
	}

	// No WithCredentials and no WithProjectID: the client reads the
	// environment, then the profile file, and discovers a missing project ID.
	client, err := cph.NewClient(cph.WithRegion(*region), cph.WithEndpoint(*endpoint))
	if err != nil {
		// The error names each thing missing and what to set.
		fmt.Fprintln(stderr, err)
		if errors.Is(err, cph.ErrMissingEndpoint) {
			fmt.Fprintln(stderr, "list-images: set HUAWEICLOUD_SDK_REGION (or -region)")
		}
		return 2
	}

	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	out, err := client.ListPhoneImages(ctx)
	if err != nil {
		if cph.IsAuthError(err) {
			fmt.Fprintln(stderr, "list-images: the service refused the credentials: check HUAWEICLOUD_SDK_AK and HUAWEICLOUD_SDK_SK, or the profile file")
		}
		fmt.Fprintln(stderr, err)
		return 1
	}
	for _, img := range out.Images {
		fmt.Fprintf(stdout, "%s  %-12s %-10s %-16s %s\n", img.ID, img.Name, img.OSName, img.Label, img.Visibility)
	}
	fmt.Fprintf(stderr, "%d images (request id %s)\n", len(out.Images), out.RequestID)
	return 0
}
