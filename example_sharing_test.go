package cph_test

import (
	"context"
	"errors"
	"fmt"
	"log"
	"time"

	"github.com/cph-go/cph"
	"github.com/cph-go/cph/cphtest"
)

// Share a custom image of one project with another, end to end: the owner
// shares it, the other project accepts it and then finds it among its
// images, and the owner stops sharing it. cphtest serves both projects,
// each with its own keys, in place of the cloud.
func ExampleClient_AddImageMember() {
	const projectA, projectB = "project-a", "project-b"
	srv := cphtest.NewServer(
		cphtest.WithProjectID(projectA),
		cphtest.WithCustomImages(cph.Image{ID: "img-001", Name: "game-v2", Version: "AOSP10", Status: cph.ImageStatusAvailable}),
	)
	defer srv.Close()
	srv.AddProject(projectB, cph.Credentials{AccessKey: "PROJECTBACCESSKEY000", SecretKey: "project-b-secret-key"})
	owner, err := cph.NewClient(srv.ClientOptionsFor(projectA)...) // in production: WithRegion, WithProjectID, WithCredentials
	if err != nil {
		log.Fatal(err)
	}
	member, err := cph.NewClient(srv.ClientOptionsFor(projectB)...)
	if err != nil {
		log.Fatal(err)
	}
	ctx := context.Background()
	printImages := func() {
		out, err := member.ListImages(ctx)
		if err != nil {
			log.Fatal(err)
		}
		fmt.Printf("%s sees %d image(s)\n", projectB, out.Total)
		for _, img := range out.Images {
			fmt.Printf("  %s %s (%s, from %s)\n", img.ID, img.Name, img.Type, img.SourceProjectID)
		}
	}

	if _, err := owner.AddImageMember(ctx, "img-001", projectB); err != nil {
		log.Fatal(err)
	}
	fmt.Printf("%s shared img-001 with %s\n", projectA, projectB)
	printImages() // not yet accepted: not listed

	if _, err := member.UpdateImageMember(ctx, "img-001", cph.MemberAccepted); err != nil {
		log.Fatal(err)
	}
	fmt.Printf("%s accepted img-001\n", projectB)
	printImages()

	members, err := owner.ListImageMembers(ctx, "img-001")
	if err != nil {
		log.Fatal(err)
	}
	for _, m := range members.Members {
		fmt.Printf("img-001 is shared with %s\n", m.ProjectID) // m.Created: when it was shared
	}

	if _, err := owner.DeleteImageMember(ctx, "img-001", projectB); err != nil {
		log.Fatal(err)
	}
	fmt.Printf("%s stopped sharing img-001\n", projectA)
	printImages()

	// Output:
	// project-a shared img-001 with project-b
	// project-b sees 0 image(s)
	// project-b accepted img-001
	// project-b sees 1 image(s)
	//   img-001 game-v2 (share, from project-a)
	// img-001 is shared with project-b
	// project-a stopped sharing img-001
	// project-b sees 0 image(s)
}

// waitUntilAvailable polls the custom image id every interval until it is
// available, and returns it; it stops when the image failed, is gone, or
// ctx ends.
func waitUntilAvailable(ctx context.Context, images cph.ImageLister, id string, interval time.Duration) (cph.Image, error) {
	tick := time.NewTicker(interval)
	defer tick.Stop()
	for {
		out, err := images.ListImages(ctx, cph.WithImageID(id))
		if err != nil {
			return cph.Image{}, err
		}
		if len(out.Images) == 0 {
			return cph.Image{}, fmt.Errorf("image %s: not found", id)
		}
		switch img := out.Images[0]; img.Status {
		case cph.ImageStatusAvailable:
			return img, nil
		case cph.ImageStatusFailed:
			return img, errors.New("image " + id + ": its creation failed")
		}
		select {
		case <-ctx.Done():
			return cph.Image{}, ctx.Err()
		case <-tick.C:
		}
	}
}

// Wait until a custom image being made is usable, polling ListImages for
// it with a ticker, within a deadline.
func ExampleImageLister_waitUntilAvailable() {
	creating := cph.Image{ID: "img-002", Name: "game-v3", Status: cph.ImageStatusCreating}
	srv := cphtest.NewServer(cphtest.WithCustomImages(creating))
	defer srv.Close()
	client, err := cph.NewClient(srv.ClientOptions()...)
	if err != nil {
		log.Fatal(err)
	}
	// The service finishes the image a moment later.
	done := creating
	done.Status = cph.ImageStatusAvailable
	time.AfterFunc(30*time.Millisecond, func() { srv.SetCustomImages(done) })

	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	img, err := waitUntilAvailable(ctx, client, "img-002", 10*time.Millisecond) // in production: every 10 s or so
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(img.ID, img.Name, img.Status)

	// Output:
	// img-002 game-v3 available
}
