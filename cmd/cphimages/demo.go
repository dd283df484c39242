package main

import (
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

// newDemoServer starts the in-process server --demo lists from: the three
// public images of the documented sample first and unchanged, then the
// demo's private image, and the shared one.
func newDemoServer() *cphtest.Server {
	return cphtest.NewServer(
		cphtest.WithImages(append(cphtest.DocumentedImages(), demoPrivateImage)...),
		cphtest.WithSharedImages(demoSharedImage),
	)
}
