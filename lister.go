package cph

import "context"

// PhoneImageLister lists phone images: the method of *Client that code
// under test can depend on instead of the concrete client, so that a test
// passes a stub. To test against real HTTP instead, point a Client at a
// cphtest server.
type PhoneImageLister interface {
	ListPhoneImages(ctx context.Context, opts ...ListOption) (*ListPhoneImagesOutput, error)
}

// *Client is a PhoneImageLister.
var _ PhoneImageLister = (*Client)(nil)
