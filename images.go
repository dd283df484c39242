package cph

import (
	"context"
	"net/http"
	"net/url"

	"github.com/cph-go/cph/internal/bufpool"
)

// opListPhoneImages names the ListPhoneImages operation in errors and logs.
const opListPhoneImages = "ListPhoneImages"

// ListPhoneImages lists the cloud phone images the project can use.
//
// GET /v1/{project_id}/cloud-phone/phone-images
//
// Of the ListOptions it takes only WithImageType; any other is refused
// before anything is sent, with an error wrapping ErrInvalidParameter.
// A non-2xx answer is an *APIError; a 2xx answer whose body is not the
// documented document is an *InvalidResponseError (wrapping
// ErrInvalidResponse); cancellation or a deadline of ctx returns an error
// wrapping ctx.Err().
func (c *Client) ListPhoneImages(ctx context.Context, opts ...ListOption) (*ListPhoneImagesOutput, error) {
	var p listParams
	if len(opts) > 0 {
		p = applyListOptions(opts)
		if err := p.check(opListPhoneImages, phoneImagesOptions); err != nil {
			return nil, err
		}
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
