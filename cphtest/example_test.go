package cphtest_test

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"time"

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

// A throttling answer whose Retry-After is longer than the client waits
// (60 s by default): the client returns at once, and says what the service
// asked for.
func ExampleServer_InjectFault() {
	srv := cphtest.NewServer()
	defer srv.Close()
	srv.InjectFault(1, cphtest.Fault{
		Status:  http.StatusTooManyRequests,
		Code:    "APIGW.0308",
		Message: "The throttling threshold has been reached",
		Header:  http.Header{"Retry-After": {"120"}},
	})

	client, err := cph.NewClient(srv.ClientOptions()...)
	if err != nil {
		fmt.Println(err)
		return
	}
	_, err = client.ListPhoneImages(context.Background())
	var apiErr *cph.APIError
	if errors.As(err, &apiErr) {
		fmt.Println(apiErr.StatusCode, apiErr.Code, "retry after", apiErr.RetryAfter)
	}
	fmt.Println(len(srv.Requests()), "request")
	// Output:
	// 429 APIGW.0308 retry after 2m0s
	// 1 request
}

// Faults queue up: a reset connection, then a proxy's HTML page, then the
// normal answer. The client retries through both.
func ExampleServer_InjectFault_sequence() {
	srv := cphtest.NewServer()
	defer srv.Close()
	srv.InjectFault(1, cphtest.Fault{Reset: true})
	srv.InjectFault(1, cphtest.Fault{
		Status: http.StatusBadGateway,
		Body:   "<html><body><h1>502 Bad Gateway</h1></body></html>",
	})

	client, err := cph.NewClient(append(srv.ClientOptions(), cph.WithBackoff(time.Millisecond, 10*time.Millisecond))...)
	if err != nil {
		fmt.Println(err)
		return
	}
	out, err := client.ListPhoneImages(context.Background())
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(len(out.Images), "images after", len(srv.Requests()), "requests")
	// Output:
	// 3 images after 3 requests
}

// A slow answer, and a caller that does not wait for it. Close does not
// wait for it either.
func ExampleFault_delay() {
	srv := cphtest.NewServer()
	defer srv.Close()
	srv.InjectFault(1, cphtest.Fault{Delay: time.Minute}) // then the normal answer

	client, err := cph.NewClient(srv.ClientOptions()...)
	if err != nil {
		fmt.Println(err)
		return
	}
	ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancel()
	_, err = client.ListPhoneImages(ctx)
	fmt.Println(errors.Is(err, context.DeadlineExceeded))
	// Output:
	// true
}

// A fault narrowed to one operation: IAM's, which a client without a
// project ID asks first.
func ExampleFault_operation() {
	srv := cphtest.NewServer()
	defer srv.Close()
	srv.InjectFault(1, cphtest.Fault{
		Operation: "KeystoneListProjects",
		Status:    http.StatusForbidden,
		Code:      "IAM.0002",
		Message:   "You do not have permission to perform this operation.",
	})

	client, err := cph.NewClient(srv.DiscoveryOptions()...)
	if err != nil {
		fmt.Println(err)
		return
	}
	_, err = client.ListPhoneImages(context.Background())
	var apiErr *cph.APIError
	if errors.As(err, &apiErr) {
		fmt.Println(apiErr.Operation, apiErr.StatusCode, apiErr.Code)
	}
	for _, r := range srv.Requests() {
		fmt.Println(r.Method, r.Path)
	}
	// Output:
	// KeystoneListProjects 403 IAM.0002
	// GET /v3/projects
}

// What the server received, bodies included, and a fresh start.
func ExampleServer_ResetRequests() {
	srv := cphtest.NewServer()
	defer srv.Close()
	resp, err := http.Post(srv.URL+"/v1/"+srv.ProjectID()+"/cloud-phone/phones/batch-restart",
		"application/json", strings.NewReader(`{"phone_ids":["p1"]}`))
	if err != nil {
		fmt.Println(err)
		return
	}
	resp.Body.Close()

	for _, r := range srv.Requests() {
		fmt.Println(r.Method, r.Path, string(r.Body))
	}
	srv.ResetRequests()
	fmt.Println(len(srv.Requests()), "requests")
	// Output:
	// POST /v1/0123456789abcdef0123456789abcdef/cloud-phone/phones/batch-restart {"phone_ids":["p1"]}
	// 0 requests
}
