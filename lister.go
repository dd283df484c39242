package cph

import (
	"context"
	"iter"
)

// The interfaces of this file are the methods of *Client that code under
// test can depend on instead of the concrete client, one a capability, so
// that a test passes a stub of only what the code uses. To test against
// real HTTP instead, point a Client at a cphtest server.

// PhoneImageLister lists phone images: the method of *Client that code
// under test can depend on instead of the concrete client, so that a test
// passes a stub. To test against real HTTP instead, point a Client at a
// cphtest server.
type PhoneImageLister interface {
	ListPhoneImages(ctx context.Context, opts ...ListOption) (*ListPhoneImagesOutput, error)
}

// ImageLister lists a project's custom images, a page at a time or all of
// them: the methods of *Client that code finding custom images (waiting
// for one to be usable, say) can depend on.
type ImageLister interface {
	ListImages(ctx context.Context, opts ...ListOption) (*ListImagesOutput, error)
	AllImages(ctx context.Context, opts ...ListOption) iter.Seq2[Image, error]
}

// ImageDeleter deletes custom images: the method of *Client that code
// cleaning up old images can depend on.
type ImageDeleter interface {
	DeleteImage(ctx context.Context, imageID string) (*DeleteImageOutput, error)
}

// ImageSharer shares an owner's custom images with other projects, lists
// those it is shared with and stops sharing: the methods of *Client that
// the owner's code can depend on.
type ImageSharer interface {
	ListImageMembers(ctx context.Context, imageID string) (*ListImageMembersOutput, error)
	AddImageMember(ctx context.Context, imageID, memberProjectID string) (*AddImageMemberOutput, error)
	DeleteImageMember(ctx context.Context, imageID, memberProjectID string) (*DeleteImageMemberOutput, error)
}

// ImageMemberUpdater accepts or rejects the images shared with a project:
// the method of *Client that the receiving project's code can depend on.
type ImageMemberUpdater interface {
	UpdateImageMember(ctx context.Context, imageID string, status MemberStatus) (*UpdateImageMemberOutput, error)
}

// *Client has every capability.
var (
	_ PhoneImageLister   = (*Client)(nil)
	_ ImageLister        = (*Client)(nil)
	_ ImageDeleter       = (*Client)(nil)
	_ ImageSharer        = (*Client)(nil)
	_ ImageMemberUpdater = (*Client)(nil)
)
