package cph_test

import (
	"context"
	"errors"
	"fmt"
	"log"
	"net/http"
	"net/http/httptest"
	"os"

	"github.com/cph-go/cph"
)

// fakeCPH starts a loopback server that answers ListPhoneImages with the
// documented sample, standing in for the cloud in these examples.
func fakeCPH() *httptest.Server {
	sample, err := os.ReadFile("testdata/list_phone_images.json")
	if err != nil {
		log.Fatal(err)
	}
	return httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write(sample)
	}))
}

// Create a client for a region. NewClient checks the configuration and
// sends nothing.
func ExampleNewClient() {
	client, err := cph.NewClient(
		cph.WithRegion("cn-north-4"),
		cph.WithProjectID("0a1b2c3d4e5f60718293a4b5c6d7e8f9"),
		cph.WithCredentials(cph.Credentials{
			AccessKey: "HPUAL5MXQF9TVXAMPLE1",
			SecretKey: "example-secret-key",
		}),
	)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(client.Endpoint())
	// Output: https://cph.cn-north-4.myhuaweicloud.com
}

// A configuration problem is reported before anything is sent, with an
// error that errors.Is matches.
func ExampleNewClient_missingCredentials() {
	_, err := cph.NewClient(
		cph.WithRegion("cn-north-4"),
		cph.WithProjectID("0a1b2c3d4e5f60718293a4b5c6d7e8f9"),
		cph.WithCredentials(cph.Credentials{AccessKey: "HPUAL5MXQF9TVXAMPLE1"}),
	)
	fmt.Println(errors.Is(err, cph.ErrMissingCredentials))
	fmt.Println(err)
	// Output:
	// true
	// cph: NewClient: missing credentials: no secret key given
}

// Credentials never print their secrets.
func ExampleCredentials() {
	creds := cph.Credentials{AccessKey: "HPUAL5MXQF9TVXAMPLE1", SecretKey: "example-secret-key"}
	fmt.Printf("%v\n", creds)
	// Output: cph.Credentials{AccessKey:"HPUA****E1", SecretKey:"[REDACTED]", SecurityToken:""}
}

// List the images a project can use.
func ExampleClient_ListPhoneImages() {
	srv := fakeCPH()
	defer srv.Close()

	client, err := cph.NewClient(
		cph.WithEndpoint(srv.URL), // in production: cph.WithRegion("cn-north-4")
		cph.WithProjectID("0a1b2c3d4e5f60718293a4b5c6d7e8f9"),
		cph.WithCredentials(cph.Credentials{AccessKey: "HPUAL5MXQF9TVXAMPLE1", SecretKey: "example-secret-key"}),
	)
	if err != nil {
		log.Fatal(err)
	}
	out, err := client.ListPhoneImages(context.Background(), cph.WithImageType(cph.ImageTypePublic))
	if err != nil {
		log.Fatal(err)
	}
	for _, img := range out.Images {
		fmt.Println(img.ID, img.OSName, img.Label, img.Visibility)
	}
	// Output:
	// 20032420200401a60b0003a99684b8ea AOSP7.1.1 cloud_game public
	// 20032120200330a20b000eae5b8c01e6 AOSP7.1.1 cloud_phone public
	// be4d231e44d2a4ccf612660a473fe1e3 AOSP7.0.0 qemu_phone public
}

// Keep the images that fit one kind of server, and find the flavor to buy.
func ExampleClient_ListPhoneImages_filterByLabel() {
	srv := fakeCPH()
	defer srv.Close()
	client, err := cph.NewClient(
		cph.WithEndpoint(srv.URL),
		cph.WithProjectID("0a1b2c3d4e5f60718293a4b5c6d7e8f9"),
		cph.WithCredentials(cph.Credentials{AccessKey: "HPUAL5MXQF9TVXAMPLE1", SecretKey: "example-secret-key"}),
	)
	if err != nil {
		log.Fatal(err)
	}
	out, err := client.ListPhoneImages(context.Background())
	if err != nil {
		log.Fatal(err)
	}
	for _, img := range out.Images {
		if img.Label == cph.LabelCloudGame {
			fmt.Println(img.ID, "runs on", img.Label.ServerFlavor())
		}
	}
	// Output: 20032420200401a60b0003a99684b8ea runs on physical.rx1.xlarge.cg
}

// Handle a failure of the service: errors.As gives the *APIError with its
// status, code and request ID, and the predicates classify it.
func ExampleAPIError() {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("X-Request-Id", "5aac6ab146ba76e5b12a3d00a03a9869")
		w.WriteHeader(http.StatusUnauthorized)
		_, _ = w.Write([]byte(`{"error_code":"APIGW.0301","error_msg":"Incorrect IAM authentication information: verify aksk signature fail"}`))
	}))
	defer srv.Close()
	client, err := cph.NewClient(
		cph.WithEndpoint(srv.URL),
		cph.WithProjectID("0a1b2c3d4e5f60718293a4b5c6d7e8f9"),
		cph.WithCredentials(cph.Credentials{AccessKey: "HPUAL5MXQF9TVXAMPLE1", SecretKey: "wrong-secret-key"}),
	)
	if err != nil {
		log.Fatal(err)
	}
	_, err = client.ListPhoneImages(context.Background())

	var apiErr *cph.APIError
	if errors.As(err, &apiErr) {
		fmt.Println(apiErr.StatusCode, apiErr.Code, apiErr.RequestID)
	}
	fmt.Println("auth error:", cph.IsAuthError(err), "throttled:", cph.IsThrottled(err))
	fmt.Println(err)
	// Output:
	// 401 APIGW.0301 5aac6ab146ba76e5b12a3d00a03a9869
	// auth error: true throttled: false
	// cph: ListPhoneImages: 401 APIGW.0301: Incorrect IAM authentication information: verify aksk signature fail (request id 5aac6ab146ba76e5b12a3d00a03a9869)
}
