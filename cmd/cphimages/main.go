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
// A subcommand, first on the line, manages the project's custom images
// instead (cphimages -h lists them, cphimages SUBCOMMAND -h gives each
// one's flags): custom lists them, every page, with the service's filters
// as flags; members, share and unshare list and change the projects an
// image is shared with; accept and reject answer an image another project
// shares; delete deletes one, asking first on a terminal and refusing
// without --yes elsewhere. They take the same connection flags, --output,
// --timeout and --verbose, and give the same messages and exit codes.
// With --demo each works on a fresh demo server that also serves a
// partner project: the demo project shares my-game-image with it, and it
// offers the demo project an image to accept or reject.
//
//	cphimages custom --demo --status available
//	cphimages accept 2d3c4b5a69788796a5b4c3d2e1f00f1e --demo
//
// Every message names the flag or the environment variable to look at,
// never a Go option of the library; with --verbose the library's own text
// follows. While the call runs, each retry the client waits for is said on
// stderr ("attempt 1 of 3 failed (503 Service Unavailable); retrying in
// 120ms"). --version prints the module version of the build (as go install
// records it), else the library's cph.Version.
//
// Exit status: 0 on success, 1 when the API or the network failed (the
// status, code, message and request ID go to stderr), 2 for a usage or
// configuration error, 130 when SIGINT (Ctrl-C) ended the call.
package main

import (
	"context"
	"os"
	"os/signal"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	go func() {
		// After the first SIGINT, a second one kills at once.
		<-ctx.Done()
		stop()
	}()
	code := run(ctx, os.Args[1:], os.Stdin, os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}
