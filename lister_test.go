package cph_test

import (
	"context"
	"fmt"

	"github.com/cph-go/cph"
)

// countPublicImages is code under test: it takes the interface, so that
// production passes a *cph.Client and a test passes a stub.
func countPublicImages(ctx context.Context, images cph.PhoneImageLister) (int, error) {
	out, err := images.ListPhoneImages(ctx, cph.WithImageType(cph.ImageTypeAll))
	if err != nil {
		return 0, fmt.Errorf("count public images: %w", err)
	}
	n := 0
	for _, img := range out.Images {
		if img.IsPublic() {
			n++
		}
	}
	return n, nil
}

// listerStub answers ListPhoneImages with fixed values.
type listerStub struct {
	out *cph.ListPhoneImagesOutput
	err error
}

func (s listerStub) ListPhoneImages(context.Context, ...cph.ListOption) (*cph.ListPhoneImagesOutput, error) {
	return s.out, s.err
}

// Testing code that lists images without any HTTP: depend on
// PhoneImageLister and pass a stub.
func ExamplePhoneImageLister() {
	stub := listerStub{out: &cph.ListPhoneImagesOutput{Images: []cph.PhoneImage{
		{ID: "a", Visibility: cph.VisibilityPublic},
		{ID: "b", Visibility: cph.VisibilityPrivate},
		{ID: "c", Visibility: cph.VisibilityPublic},
	}}}
	n, err := countPublicImages(context.Background(), stub)
	fmt.Println(n, err)

	_, err = countPublicImages(context.Background(), listerStub{err: &cph.APIError{
		Operation: "ListPhoneImages", StatusCode: 401, Code: "APIGW.0301", Message: "Incorrect IAM authentication information",
	}})
	fmt.Println(err, cph.IsAuthError(err))
	// Output:
	// 2 <nil>
	// count public images: cph: ListPhoneImages: 401 APIGW.0301: Incorrect IAM authentication information true
}
