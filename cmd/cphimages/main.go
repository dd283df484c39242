// Command cphimages lists the cloud phone images of a Huawei Cloud CPH
// project (GET /v1/{project_id}/cloud-phone/phone-images), as an aligned
// table or as the API's own JSON.
//
//	cphimages --demo                                  # no cloud, no credentials
//	cphimages --region cn-north-4 --type public       # credentials from the environment or profile file
//	cphimages --region cn-north-4 --output json | jq -r '.phone_images[].image_id'
//
// Credentials and the project ID come from the same sources as the
// library's (see cph.NewClient): the environment (HUAWEICLOUD_SDK_AK,
// HUAWEICLOUD_SDK_SK, HUAWEICLOUD_SDK_SECURITY_TOKEN for temporary
// credentials, HUAWEICLOUD_SDK_PROJECT_ID), else the profile file
// (HUAWEICLOUD_SDK_CREDENTIALS_FILE, else ~/.huaweicloud/credentials).
// --project-id wins; without a project ID from any source it is discovered
// from IAM for the region at the first call. The region comes from --region
// or HUAWEICLOUD_SDK_REGION. With --demo it lists from an in-process fake
// server (package cphtest) and needs none of them: the three public images
// of the documented sample, then a private image and a shared one, so
// that every --type shows something.
//
// Exit status: 0 on success, 1 when the API or the network failed (the
// status, code, message and request ID go to stderr), 2 for a usage or
// configuration error.
package main

import (
	"context"
	"os"
	"os/signal"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	code := run(ctx, os.Args[1:], os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}
