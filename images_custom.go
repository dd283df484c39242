package cph

import (
	"context"
	"fmt"
	"iter"
	"net/http"

	"github.com/cph-go/cph/internal/wire"
)

// The custom images of a project: those it made and those other projects
// share with it (ListImages, AllImages), and their deletion (DeleteImage).

// Operation names, in errors and logs.
const (
	opListImages  = "ListImages"
	opAllImages   = "AllImages"
	opDeleteImage = "DeleteImage"
)

// ListImages returns one page of the project's custom images: those it
// made (Type ImageTypePrivate) and those shared with it (ImageTypeShared),
// with Total, the number of images that match the filters.
//
// GET /v1/{project_id}/cloud-phone/images
//
// It takes every ListOption: WithImageType (ImageTypePrivate or
// ImageTypeShared only), WithImageStatus, WithImageName, WithImageID,
// WithCreatedBetween, WithSourceProject, WithLimit (the page size, 1..100,
// the service's default 100) and WithOffset. A bad option is refused
// before anything is sent, with an error wrapping ErrInvalidParameter.
// A non-2xx answer, or a 2xx one whose body carries an error_code, is an
// *APIError; a body that is not the documented document is an
// *InvalidResponseError. Times in a form the library does not read are
// zero, their text kept in CreatedRaw and UpdatedRaw.
func (c *Client) ListImages(ctx context.Context, opts ...ListOption) (*ListImagesOutput, error) {
	p, err := customImagesParams(opListImages, opts)
	if err != nil {
		return nil, err
	}
	return c.listImages(ctx, &p, p.offset)
}

// customImagesParams returns the parameters opts set for operation op
// (ListImages or AllImages), or the error of the first that is bad or
// that op does not take.
func customImagesParams(op string, opts []ListOption) (listParams, error) {
	p := applyListOptions(opts)
	if err := p.check(op, customImagesOptions); err != nil {
		return listParams{}, err
	}
	switch p.imageType {
	case "", ImageTypePrivate, ImageTypeShared:
	default:
		return listParams{}, fmt.Errorf("cph: %s: %w: image type %q is not one %s takes: %s, %s",
			op, ErrInvalidParameter, string(p.imageType), op, ImageTypePrivate, ImageTypeShared)
	}
	return p, nil
}

// listImages sends ListImages for p's page at offset and decodes it.
func (c *Client) listImages(ctx context.Context, p *listParams, offset int) (*ListImagesOutput, error) {
	resp, err := c.do(ctx, call{
		op:         opListImages,
		method:     http.MethodGet,
		path:       "/v1/{project_id}/cloud-phone/images",
		query:      p.customImagesQuery(offset),
		idempotent: true,
	})
	if err != nil {
		return nil, err
	}
	doc, requestID, err := decodeJSON[wire.ImageList](opListImages, resp, nil)
	if err != nil {
		return nil, err
	}
	out := &ListImagesOutput{Images: make([]Image, 0, len(doc.Images)), Total: doc.Total, RequestID: requestID}
	for _, in := range doc.Images {
		out.Images = append(out.Images, imageFromWire(in))
	}
	return out, nil
}

// imageFromWire returns the Image of an entry of image_infos.
func imageFromWire(in wire.ImageInfo) Image {
	img := Image{
		ID:              in.ID,
		Name:            in.Name,
		Version:         in.Version,
		Type:            ImageType(in.Type),
		Status:          ImageStatus(in.Status),
		SizeBytes:       in.Size,
		DomainID:        in.DomainID,
		ProjectID:       in.ProjectID,
		SourceProjectID: in.SourceProjectID,
	}
	img.Created, img.CreatedRaw = parseWireTime(in.CreateTime)
	img.Updated, img.UpdatedRaw = parseWireTime(in.UpdateTime)
	return img
}

// AllImages returns every custom image that matches opts, page by page, as
// ListImages returns them: a page is fetched only when the loop needs it,
// and breaking out of the loop sends no further request. It takes the
// options of ListImages; WithLimit sets the page size (default 100) and
// WithOffset where the listing starts. A bad option is yielded as the
// first and only error, before anything is sent; a page that fails yields
// its error once, and the listing stops.
//
// GET /v1/{project_id}/cloud-phone/images, with offset and limit
//
// The list may change while it is read, so the listing stops at the first
// page that is empty or shorter than the page size, or when the offset
// reaches the total of the latest page, or the first page's total and one
// page more; an image already yielded (the list shifted) is not yielded
// again, and a page that brings no image not yet yielded ends the
// listing, so that it always ends. Images added or removed while it runs
// may be missed. Images without an ID cannot be told apart: each is
// yielded, but they alone do not keep the listing going. A service that
// keeps listing images not seen before is believed for 100000 images
// (1000 pages of 100): AllImages then yields an error wrapping
// ErrInvalidResponse and stops (list further with ListImages and
// WithOffset). Each range over the result lists afresh, and several
// ranges may run at once.
func (c *Client) AllImages(ctx context.Context, opts ...ListOption) iter.Seq2[Image, error] {
	p, err := customImagesParams(opAllImages, opts)
	return func(yield func(Image, error) bool) {
		if err != nil {
			yield(Image{}, err)
			return
		}
		q := p // each range has its own, so that ranges may run at once
		if q.limit == 0 {
			q.limit = maxPageSize
		}
		limit := q.limit
		seen := make(map[string]struct{})
		end := -1 // the first page's total and one page more
		for offset := q.offset; ; {
			page, err := c.listImages(ctx, &q, offset)
			if err != nil {
				yield(Image{}, err)
				return
			}
			if end < 0 {
				end = min(max(page.Total, 0), maxOffset) + limit
			}
			fresh := 0
			for _, img := range page.Images {
				if img.ID != "" {
					if _, dup := seen[img.ID]; dup {
						continue
					}
					if len(seen) >= maxAllImages {
						yield(Image{}, tooManyImages(page.Total))
						return
					}
					seen[img.ID] = struct{}{}
					fresh++
				}
				if !yield(img, nil) {
					return
				}
			}
			n := len(page.Images)
			if n == 0 || n < limit || fresh == 0 || n > maxOffset-offset {
				return
			}
			offset += n
			if offset >= page.Total || offset >= end {
				return
			}
			if len(seen) >= maxAllImages {
				yield(Image{}, tooManyImages(page.Total))
				return
			}
		}
	}
}

// maxAllImages is the most images AllImages yields: far more than a
// project makes, few enough that a service that never stops listing new
// ones cannot keep it requesting for ever.
const maxAllImages = 100_000

// tooManyImages is the error of AllImages when the service, whose latest
// total is total, lists more than maxAllImages images.
func tooManyImages(total int) error {
	return fmt.Errorf("cph: %s: %w: the service lists more than %d images (total %d); "+
		"AllImages stops there: list the rest with ListImages and WithOffset",
		opAllImages, ErrInvalidResponse, maxAllImages, total)
}

// DeleteImage deletes the custom image imageID of the project.
//
// DELETE /v1/{project_id}/cloud-phone/images/{image_id}
//
// An image ID that is empty, or has "/", "..", white space or control
// characters, is refused before anything is sent, with an error wrapping
// ErrInvalidParameter. A non-2xx answer, or a 2xx one whose body carries
// an error_code, is an *APIError. It is retried like ListPhoneImages
// (a 5xx, a cut connection): deleting an image twice deletes it once.
func (c *Client) DeleteImage(ctx context.Context, imageID string) (*DeleteImageOutput, error) {
	requestID, err := c.doDone(ctx, call{
		op:         opDeleteImage,
		method:     http.MethodDelete,
		path:       "/v1/{project_id}/cloud-phone/images/{image_id}",
		params:     []param{{"image_id", imageID}},
		idempotent: true,
	})
	if err != nil {
		return nil, err
	}
	return &DeleteImageOutput{RequestID: requestID}, nil
}
