package cph

import (
	"bytes"
	"encoding/json"
	"fmt"
)

// listPhoneImagesBody is the documented 200 body of ListPhoneImages.
type listPhoneImagesBody struct {
	RequestID   string       `json:"request_id"`
	PhoneImages []PhoneImage `json:"phone_images"`
}

// decodeListPhoneImages decodes a 200 body of ListPhoneImages. Unknown
// fields are ignored and unknown enum values kept; a body that is not the
// documented document is an error wrapping ErrInvalidResponse.
func decodeListPhoneImages(body []byte) (*ListPhoneImagesOutput, error) {
	if t := bytes.TrimLeft(body, " \t\r\n"); len(t) == 0 || t[0] != '{' {
		return nil, fmt.Errorf("%w: body is not a JSON object (body starts %q)", ErrInvalidResponse, snippet(body[:min(len(body), 64)]))
	}
	var b listPhoneImagesBody
	if err := json.Unmarshal(body, &b); err != nil {
		return nil, fmt.Errorf("%w: decode body: %w (body starts %q)", ErrInvalidResponse, err, snippet(body[:min(len(body), 64)]))
	}
	if b.PhoneImages == nil {
		b.PhoneImages = []PhoneImage{}
	}
	return &ListPhoneImagesOutput{Images: b.PhoneImages, RequestID: b.RequestID}, nil
}
