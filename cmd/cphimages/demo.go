package main

import (
	"context"
	"fmt"
	"slices"
	"time"

	"github.com/cph-go/cph"
	"github.com/cph-go/cph/cphtest"
)

// The demo's own images, after the three of the documented sample, so that
// every --type shows something: a private image of the demo project, and
// an image another account shares with it (listed for share and all only).
var (
	demoPrivateImage = cph.PhoneImage{
		ID: "5f1c0e9a7b3d4c2e8a6f0b1d2c3e4f50", Name: "my-game-image", OSType: "aosp", OSName: "AOSP10.0.0",
		Visibility: cph.VisibilityPrivate, Label: cph.LabelCloudGame1620, SupportsEncryption: true,
	}
	demoSharedImage = cph.PhoneImage{
		ID: "9e8d7c6b5a4f3e2d1c0b9a8f7e6d5c4b", Name: "partner-shared-image", OSType: "aosp", OSName: "AOSP11.0.0",
		Visibility: cph.VisibilityPrivate, Label: cph.LabelCloudPhone1620,
	}
)

// demoPartnerCredentials are the keys of the demo's partner project, which
// the demo project's keys cannot act for.
var demoPartnerCredentials = cph.Credentials{AccessKey: "DEMOPARTNERACCESSKEY", SecretKey: "demo-partner-secret-key"}

// demoSetupTimeout bounds the requests that set up the demo's shares.
const demoSetupTimeout = 10 * time.Second

// newDemoServer starts the in-process server --demo works on. Its phone
// images (the listing's) are the three public images of the documented
// sample first and unchanged, then the demo's private image, and the
// shared one. Its custom images (the subcommands') are demoCustomImages,
// the demo project's, and demoOfferedImage, of a partner project
// (demoPartnerProjectID, which it serves too). The subcommands then share
// images between them (shareDemoImages).
func newDemoServer() *cphtest.Server {
	srv := cphtest.NewServer(
		cphtest.WithImages(append(cphtest.DocumentedImages(), demoPrivateImage)...),
		cphtest.WithSharedImages(demoSharedImage),
		cphtest.WithCustomImages(append(slices.Clip(demoCustomImages), demoOfferedImage)...),
	)
	srv.AddProject(demoPartnerProjectID, demoPartnerCredentials)
	return srv
}

// shareDemoImages makes the shares of the demo server srv, through its
// API as a client would (so the listing, which needs none of them, makes
// none: the request IDs of its answers stay those of a fresh server):
//
//   - the demo project shares my-game-image with the partner, which has
//     accepted it, and with demoPendingMemberID, which has not answered
//     (members, share, unshare);
//   - the partner shares demoOfferedImage with the demo project, which has
//     not answered yet (accept, reject); until it accepts, the offer is
//     not among its images, custom's or the listing's.
func shareDemoImages(srv *cphtest.Server) error {
	ctx, cancel := context.WithTimeout(context.Background(), demoSetupTimeout)
	defer cancel()
	demo, err := cph.NewClient(srv.ClientOptions()...)
	if err != nil {
		return err
	}
	partner, err := cph.NewClient(srv.ClientOptionsFor(demoPartnerProjectID)...)
	if err != nil {
		return err
	}
	steps := []func() error{
		func() error {
			_, err := demo.AddImageMember(ctx, demoPrivateImage.ID, demoPartnerProjectID)
			return err
		},
		func() error { _, err := demo.AddImageMember(ctx, demoPrivateImage.ID, demoPendingMemberID); return err },
		func() error {
			_, err := partner.UpdateImageMember(ctx, demoPrivateImage.ID, cph.MemberAccepted)
			return err
		},
		func() error { _, err := partner.AddImageMember(ctx, demoOfferedImage.ID, srv.ProjectID()); return err },
	}
	for _, step := range steps {
		if err := step(); err != nil {
			return fmt.Errorf("--demo: set up the fake server's shared images: %w", err)
		}
	}
	return nil
}
