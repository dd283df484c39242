package cph

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strings"

	"github.com/cph-go/cph/internal/bufpool"
)

// opListPhoneImages names the ListPhoneImages operation in errors and logs.
const opListPhoneImages = "ListPhoneImages"

// ListOption sets a parameter of ListPhoneImages; a nil ListOption is ignored.
type ListOption func(*listParams)

// listParams are the parameters of ListPhoneImages.
type listParams struct {
	imageType ImageType
	err       error
}

// WithImageType asks only for images of type t (the image_type query).
// The empty ImageType leaves the choice to the service, which returns every
// image; an unknown type is refused before anything is sent, with an error
// wrapping ErrInvalidParameter.
func WithImageType(t ImageType) ListOption {
	return func(p *listParams) {
		if t != "" && !t.IsKnown() {
			p.err = fmt.Errorf("%w: image type %q is not one of %s", ErrInvalidParameter, string(t), joinTypes())
			return
		}
		p.imageType = t
	}
}

func joinTypes() string {
	var names []string
	for _, t := range ImageType("").Values() {
		names = append(names, string(t))
	}
	return strings.Join(names, ", ")
}

// applyListOptions returns the parameters opts set. (Kept apart so that a
// call without options does not allocate them.)
func applyListOptions(opts []ListOption) listParams {
	var p listParams
	for _, opt := range opts {
		if opt != nil {
			opt(&p)
		}
	}
	return p
}

// ListPhoneImages lists the cloud phone images the project can use.
//
// GET /v1/{project_id}/cloud-phone/phone-images
//
// A non-2xx answer is an *APIError; a 2xx answer whose body is not the
// documented document is an *InvalidResponseError (wrapping
// ErrInvalidResponse); cancellation or a deadline of ctx returns an error
// wrapping ctx.Err().
func (c *Client) ListPhoneImages(ctx context.Context, opts ...ListOption) (*ListPhoneImagesOutput, error) {
	var p listParams
	if len(opts) > 0 {
		p = applyListOptions(opts)
	}
	if p.err != nil {
		return nil, fmt.Errorf("cph: %s: %w", opListPhoneImages, p.err)
	}
	ans, err := c.do(ctx, listPhoneImagesCall(p))
	if err != nil {
		return nil, err
	}
	out, err := decodeListPhoneImages(ans.body)
	if err != nil {
		err = ans.invalid(opListPhoneImages, err)
		bufpool.Release(ans.body)
		return nil, err
	}
	if len(out.Images) == 0 { // an error document has no images: check only then
		if e := ans.errorInBody(opListPhoneImages); e != nil {
			bufpool.Release(ans.body)
			return nil, e
		}
	}
	bufpool.Release(ans.body)
	out.RequestID = ans.requestID(out.RequestID)
	return out, nil
}

// listPhoneImagesCall returns the request of ListPhoneImages with p.
func listPhoneImagesCall(p listParams) call {
	var query url.Values
	if p.imageType != "" {
		query = url.Values{"image_type": {string(p.imageType)}}
	}
	return call{
		op:         opListPhoneImages,
		method:     http.MethodGet,
		path:       "/v1/{project_id}/cloud-phone/phone-images",
		query:      query,
		idempotent: true,
	}
}
