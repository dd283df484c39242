package main

import (
	"time"

	"github.com/cph-go/cph"
	"github.com/cph-go/cph/cphtest"
)

// demoPartnerProjectID is the demo's partner project: it shares
// demoOfferedImage with the demo project, and the demo project shares
// my-game-image with it.
const demoPartnerProjectID = "fedcba9876543210fedcba9876543210"

// demoPendingMemberID is a project the demo project shares my-game-image
// with, which has not answered.
const demoPendingMemberID = "00112233445566778899aabbccddeeff"

// demoCustomImages are the demo project's own custom images, one in each
// status, so that every --status of custom shows something.
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
}

// demoOfferedImage is the partner project's image that it shares with the
// demo project, pending the demo project's answer: cphimages accept (or
// reject) 2d3c4b5a69788796a5b4c3d2e1f00f1e --demo answers it.
var demoOfferedImage = cph.Image{
	ID: "2d3c4b5a69788796a5b4c3d2e1f00f1e", Name: "partner-offered-image", Version: "AOSP12.0.0",
	Status: cph.ImageStatusAvailable, SizeBytes: 2147483648,
	DomainID: "1e1e1e1e1e1e1e1e1e1e1e1e1e1e1e1e", ProjectID: demoPartnerProjectID,
	Created: time.Date(2026, 5, 4, 7, 0, 0, 0, time.UTC), Updated: time.Date(2026, 5, 4, 7, 20, 0, 0, time.UTC),
}
