package cph_test

import (
	"context"
	"fmt"
	"iter"
	"log"
	"net/http"
	"net/http/httptest"
	"strconv"

	"github.com/cph-go/cph"
)

// fakeCustomImages starts a loopback server that answers ListImages with
// n custom images named image-0, image-1, ..., paged by offset and limit,
// standing in for the cloud in these examples.
func fakeCustomImages(n int) *httptest.Server {
	return httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		offset, _ := strconv.Atoi(r.URL.Query().Get("offset"))
		limit, err := strconv.Atoi(r.URL.Query().Get("limit"))
		if err != nil {
			limit = 100
		}
		body := `{"image_infos":[`
		for i := offset; i < min(offset+limit, n); i++ {
			if i > offset {
				body += ","
			}
			body += fmt.Sprintf(`{"image_id":"id-%d","image_name":"image-%d","image_type":"private","status":1,"create_time":"1713320018058"}`, i, i)
		}
		body += fmt.Sprintf(`],"total":%d,"request_id":"r-%d"}`, n, offset)
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write([]byte(body))
	}))
}

// exampleClient returns a client of a fake server.
func exampleClient(url string) *cph.Client {
	client, err := cph.NewClient(
		cph.WithEndpoint(url), // in production: cph.WithRegion("cn-north-4")
		cph.WithProjectID("0a1b2c3d4e5f60718293a4b5c6d7e8f9"),
		cph.WithCredentials(cph.Credentials{AccessKey: "HPUAL5MXQF9TVXAMPLE1", SecretKey: "example-secret-key"}),
	)
	if err != nil {
		log.Fatal(err)
	}
	return client
}

// List one page of a project's custom images, with filters.
func ExampleClient_ListImages() {
	srv := fakeCustomImages(3)
	defer srv.Close()
	client := exampleClient(srv.URL)

	out, err := client.ListImages(context.Background(),
		cph.WithImageType(cph.ImageTypePrivate),
		cph.WithImageStatus(cph.ImageStatusAvailable),
		cph.WithLimit(2))
	if err != nil {
		log.Fatal(err)
	}
	fmt.Printf("%d of %d images\n", len(out.Images), out.Total)
	for _, img := range out.Images {
		fmt.Println(img.Name, img.Status, img.Created.Format("2006-01-02"))
	}
	// Output:
	// 2 of 3 images
	// image-0 available 2024-04-17
	// image-1 available 2024-04-17
}

// Range over every custom image, page by page; breaking out of the loop
// would fetch no further page.
func ExampleClient_AllImages() {
	srv := fakeCustomImages(5)
	defer srv.Close()
	client := exampleClient(srv.URL)

	for img, err := range client.AllImages(context.Background(), cph.WithLimit(2)) {
		if err != nil {
			log.Fatal(err)
		}
		fmt.Println(img.ID, img.Name)
	}
	// Output:
	// id-0 image-0
	// id-1 image-1
	// id-2 image-2
	// id-3 image-3
	// id-4 image-4
}

// stubImages is a test's stand-in for the client: an ImageLister that
// returns fixed images.
type stubImages struct{ images []cph.Image }

func (s stubImages) ListImages(context.Context, ...cph.ListOption) (*cph.ListImagesOutput, error) {
	return &cph.ListImagesOutput{Images: s.images, Total: len(s.images)}, nil
}

func (s stubImages) AllImages(context.Context, ...cph.ListOption) iter.Seq2[cph.Image, error] {
	return func(yield func(cph.Image, error) bool) {
		for _, img := range s.images {
			if !yield(img, nil) {
				return
			}
		}
	}
}

// usableImages is code under test: it depends on the ImageLister
// capability only, not on *cph.Client.
func usableImages(ctx context.Context, l cph.ImageLister) ([]string, error) {
	var names []string
	for img, err := range l.AllImages(ctx) {
		if err != nil {
			return nil, err
		}
		if img.Status == cph.ImageStatusAvailable {
			names = append(names, img.Name)
		}
	}
	return names, nil
}

// Code that depends on an interface of one capability, such as
// ImageLister, is tested with a stub; in production it gets a
// *cph.Client.
func ExampleImageLister() {
	stub := stubImages{images: []cph.Image{
		{ID: "a", Name: "ready", Status: cph.ImageStatusAvailable},
		{ID: "b", Name: "baking", Status: cph.ImageStatusCreating},
	}}
	names, err := usableImages(context.Background(), stub)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(names)
	// Output: [ready]
}
