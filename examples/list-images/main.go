// Command list-images lists the cloud phone images of a Huawei Cloud project.
//
// It reads the credentials and project from the environment:
//
//	HUAWEICLOUD_SDK_AK              access key
//	HUAWEICLOUD_SDK_SK              secret key
//	HUAWEICLOUD_SDK_SECURITY_TOKEN  security token (temporary credentials only)
//	HUAWEICLOUD_SDK_PROJECT_ID      project ID
//	HUAWEICLOUD_SDK_REGION          region, such as cn-north-4 (or pass -region)
//
// and prints one line per image. Run it with:
//
//	go run ./examples/list-images -region cn-north-4
package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"github.com/cph-go/cph"
)

func main() {
	os.Exit(run(os.Args[1:], os.Getenv, os.Stdout, os.Stderr))
}

// run lists the images and returns the exit code: 0 success, 1 the call
// failed, 2 the configuration is incomplete or wrong.
func run(args []string, getenv func(string) string, stdout, stderr io.Writer) int {
	flags := flag.NewFlagSet("list-images", flag.ContinueOnError)
	flags.SetOutput(stderr)
	region := flags.String("region", getenv("HUAWEICLOUD_SDK_REGION"), "region, such as cn-north-4")
	endpoint := flags.String("endpoint", "", "endpoint URL, overriding the region's")
	if err := flags.Parse(args); err != nil {
		return 2
	}

	var missing []string
	for _, name := range []string{"HUAWEICLOUD_SDK_AK", "HUAWEICLOUD_SDK_SK", "HUAWEICLOUD_SDK_PROJECT_ID"} {
		if getenv(name) == "" {
			missing = append(missing, name)
		}
	}
	if *region == "" && *endpoint == "" {
		missing = append(missing, "HUAWEICLOUD_SDK_REGION (or -region)")
	}
	if len(missing) > 0 {
		fmt.Fprintf(stderr, "list-images: set %s\n", strings.Join(missing, ", "))
		return 2
	}

	client, err := cph.NewClient(
		cph.WithRegion(*region),
		cph.WithEndpoint(*endpoint),
		cph.WithProjectID(getenv("HUAWEICLOUD_SDK_PROJECT_ID")),
		cph.WithCredentials(cph.Credentials{
			AccessKey:     getenv("HUAWEICLOUD_SDK_AK"),
			SecretKey:     getenv("HUAWEICLOUD_SDK_SK"),
			SecurityToken: getenv("HUAWEICLOUD_SDK_SECURITY_TOKEN"),
		}),
	)
	if err != nil {
		fmt.Fprintln(stderr, err)
		return 2
	}

	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	out, err := client.ListPhoneImages(ctx)
	if err != nil {
		if cph.IsAuthError(err) {
			fmt.Fprintln(stderr, "list-images: the service refused the credentials: check HUAWEICLOUD_SDK_AK and HUAWEICLOUD_SDK_SK")
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
