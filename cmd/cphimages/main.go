// Command cphimages lists the cloud phone images of a Huawei Cloud CPH
// project (GET /v1/{project_id}/cloud-phone/phone-images), as an aligned
// table or as the API's own JSON.
//
//	cphimages --demo                                  # no cloud, no credentials
//	cphimages --region cn-north-4 --type public       # credentials from the environment
//	cphimages --region cn-north-4 --output json | jq -r '.phone_images[].image_id'
//
// Credentials come from the environment: HUAWEICLOUD_SDK_AK,
// HUAWEICLOUD_SDK_SK, HUAWEICLOUD_SDK_SECURITY_TOKEN (temporary credentials)
// and HUAWEICLOUD_SDK_PROJECT_ID (or --project-id); the region from --region
// or HUAWEICLOUD_SDK_REGION. With --demo it lists the
// documented sample images from an in-process fake server (package cphtest)
// and needs none of them.
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
