package main

import (
	"time"

	"github.com/cph-go/cph"
	"github.com/cph-go/cph/cphtest"
)

// demoPartnerProjectID is the project that shares demoCustomImages' shared
// image with the demo project.
const demoPartnerProjectID = "fedcba9876543210fedcba9876543210"

// demoCustomImages are the demo project's custom images, one in each
// status, then the image the partner project shares with it (the same one
// as demoSharedImage of the listing), so that every --status and --type of
// custom shows something.
//
// wired at merge: newDemoServer adds cphtest.WithCustomImages(demoCustomImages...).
var demoCustomImages = []cph.Image{
	{
		ID: demoPrivateImage.ID, Name: demoPrivateImage.Name, Version: demoPrivateImage.OSName,
		Type: cph.ImageTypePrivate, Status: cph.ImageStatusAvailable, SizeBytes: 3435973837,
		DomainID: "0d0d0d0d0d0d0d0d0d0d0d0d0d0d0d0d", ProjectID: cphtest.DefaultProjectID,
		Created: time.Date(2026, 3, 2, 9, 15, 0, 0, time.UTC), Updated: time.Date(2026, 3, 2, 9, 42, 0, 0, time.UTC),
	},
	{
		ID: "7a6b5c4d3e2f1a0b9c8d7e6f5a4b3c2d", Name: "my-game-image-v2", Version: "AOSP10.0.0",
		Type: cph.ImageTypePrivate, Status: cph.ImageStatusCreating,
		DomainID: "0d0d0d0d0d0d0d0d0d0d0d0d0d0d0d0d", ProjectID: cphtest.DefaultProjectID,
		Created: time.Date(2026, 4, 20, 14, 0, 0, 0, time.UTC), Updated: time.Date(2026, 4, 20, 14, 0, 0, 0, time.UTC),
	},
	{
		ID: "3c2b1a0f9e8d7c6b5a4f3e2d1c0b9a8f", Name: "broken-build", Version: "AOSP11.0.0",
		Type: cph.ImageTypePrivate, Status: cph.ImageStatusFailed, SizeBytes: 0,
		DomainID: "0d0d0d0d0d0d0d0d0d0d0d0d0d0d0d0d", ProjectID: cphtest.DefaultProjectID,
		Created: time.Date(2026, 4, 1, 8, 30, 0, 0, time.UTC), Updated: time.Date(2026, 4, 1, 8, 55, 0, 0, time.UTC),
	},
	{
		ID: demoSharedImage.ID, Name: demoSharedImage.Name, Version: demoSharedImage.OSName,
		Type: cph.ImageTypeShared, Status: cph.ImageStatusAvailable, SizeBytes: 1610612736,
		DomainID: "1e1e1e1e1e1e1e1e1e1e1e1e1e1e1e1e", SourceProjectID: demoPartnerProjectID,
		Created: time.Date(2026, 1, 15, 12, 0, 0, 0, time.UTC), Updated: time.Date(2026, 2, 1, 10, 0, 0, 0, time.UTC),
	},
}
