package cphtest_test

import (
	"context"
	"errors"
	"fmt"
	"net/http"

	"github.com/cph-go/cph"
	"github.com/cph-go/cph/cphtest"
)

// A real client pointed at a fake server: requests are signed, sent over
// loopback HTTP and verified as the gateway would.
func Example() {
	srv := cphtest.NewServer()
	defer srv.Close()

	client, err := cph.NewClient(srv.ClientOptions()...)
	if err != nil {
		fmt.Println(err)
		return
	}
	out, err := client.ListPhoneImages(context.Background(), cph.WithImageType(cph.ImageTypePublic))
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, img := range out.Images {
		fmt.Println(img.ID, img.OSName, img.Label)
	}
	// Output:
	// 20032420200401a60b0003a99684b8ea AOSP7.1.1 cloud_game
	// 20032120200330a20b000eae5b8c01e6 AOSP7.1.1 cloud_phone
	// be4d231e44d2a4ccf612660a473fe1e3 AOSP7.0.0 qemu_phone
}

// Seeding the server with the images a test needs.
func ExampleWithImages() {
	srv := cphtest.NewServer(
		cphtest.WithImages(cph.PhoneImage{ID: "mine", Visibility: cph.VisibilityPrivate, Label: cph.LabelCloudPhone}),
		cphtest.WithSharedImages(cph.PhoneImage{ID: "theirs", Visibility: cph.VisibilityPrivate, Label: cph.LabelCloudGame}),
	)
	defer srv.Close()

	client, err := cph.NewClient(srv.ClientOptions()...)
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, t := range []cph.ImageType{cph.ImageTypePrivate, cph.ImageTypeShared, cph.ImageTypeAll} {
		out, err := client.ListPhoneImages(context.Background(), cph.WithImageType(t))
		if err != nil {
			fmt.Println(err)
			return
		}
		fmt.Print(t, ":")
		for _, img := range out.Images {
			fmt.Print(" ", img.ID)
		}
		fmt.Println()
	}
	// Output:
	// private: mine
	// share: theirs
	// all: mine theirs
}

// Injecting a failure, and checking how the code under test handled it.
func ExampleServer_FailNext() {
	srv := cphtest.NewServer()
	defer srv.Close()
	srv.FailNext(1, http.StatusForbidden, "APIGW.0306", "API access denied.")

	client, err := cph.NewClient(srv.ClientOptions()...)
	if err != nil {
		fmt.Println(err)
		return
	}
	_, err = client.ListPhoneImages(context.Background())
	var apiErr *cph.APIError
	if errors.As(err, &apiErr) {
		fmt.Println(apiErr.StatusCode, apiErr.Code, apiErr.Message)
	}
	out, err := client.ListPhoneImages(context.Background())
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(len(out.Images), "images")
	fmt.Println(len(srv.Requests()), "requests")
	// Output:
	// 403 APIGW.0306 API access denied.
	// 3 images
	// 2 requests
}
