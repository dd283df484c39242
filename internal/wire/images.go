package wire

// ListPhoneImages is the body of ListPhoneImages' 200 answer,
// GET /v1/{project_id}/cloud-phone/phone-images, with its images of type
// T (cph.PhoneImage, whose fields carry the element's JSON names):
//
//	{"request_id": "...", "phone_images": [{"image_id": "...", ...}]}
//
// It is documented in Huawei Cloud's CPH API reference, "查询手机镜像"
// (Querying Phone Images); testdata/list_phone_images.json at the root of
// the module is the documented sample. Marshalled, request_id comes first,
// then phone_images (the order of cphimages' --output json).
type ListPhoneImages[T any] struct {
	// RequestID is the ID the service gave the request.
	RequestID string `json:"request_id"`
	// PhoneImages are the images; nil marshals as null.
	PhoneImages []T `json:"phone_images"`
}
