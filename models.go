package cph

import (
	"strconv"
	"time"
)

// ListPhoneImagesOutput is the answer of ListPhoneImages.
type ListPhoneImagesOutput struct {
	// Images are the phone images the project can use, in the order the
	// service returned them. It is never nil after a successful call.
	Images []PhoneImage
	// RequestID identifies the request at Huawei Cloud: the body's
	// request_id, else the X-Request-Id response header.
	RequestID string
}

// PhoneImage is one cloud phone image. The JSON tags are the API's own field
// names, so encoding a PhoneImage gives the shape the service sends.
type PhoneImage struct {
	ID                 string     `json:"image_id"`
	Name               string     `json:"image_name"`
	OSType             string     `json:"os_type"`
	OSName             string     `json:"os_name"`
	Visibility         Visibility `json:"is_public"`
	Label              ImageLabel `json:"image_label"`
	SupportsEncryption bool       `json:"is_support_encrypt"`
}

// IsPublic reports whether the image is a public image.
func (p PhoneImage) IsPublic() bool { return p.Visibility == VisibilityPublic }

// Visibility says who can use an image: the API's is_public field.
// Values the library does not know are kept as they came.
type Visibility int

// The documented visibility values.
const (
	VisibilityPublic  Visibility = 1
	VisibilityPrivate Visibility = 2
)

// String returns "public", "private", or "Visibility(N)" for an unknown value.
func (v Visibility) String() string {
	switch v {
	case VisibilityPublic:
		return "public"
	case VisibilityPrivate:
		return "private"
	}
	return "Visibility(" + strconv.Itoa(int(v)) + ")"
}

// IsKnown reports whether v is one of the documented values.
func (v Visibility) IsKnown() bool {
	return v == VisibilityPublic || v == VisibilityPrivate
}

// Values returns the documented visibility values.
func (Visibility) Values() []Visibility {
	return []Visibility{VisibilityPublic, VisibilityPrivate}
}

// ImageLabel says which cloud phone server flavor an image fits: the API's
// image_label field. Values the library does not know are kept as they came.
type ImageLabel string

// The documented image labels.
const (
	LabelCloudPhone     ImageLabel = "cloud_phone"
	LabelCloudPhone1620 ImageLabel = "cloud_phone_1620"
	LabelCloudGame      ImageLabel = "cloud_game"
	LabelCloudGame1620  ImageLabel = "cloud_game_1620"
	LabelQemuPhone      ImageLabel = "qemu_phone"
)

// String returns the label as the API spells it.
func (l ImageLabel) String() string { return string(l) }

// IsKnown reports whether l is one of the documented labels.
func (l ImageLabel) IsKnown() bool { return l.ServerFlavor() != "" }

// ServerFlavor returns the server flavor the label fits, such as
// "physical.rx1.xlarge.cg" for cloud_game, or "" for an unknown label.
func (l ImageLabel) ServerFlavor() string {
	switch l {
	case LabelCloudPhone, LabelQemuPhone:
		return "physical.rx1.xlarge"
	case LabelCloudPhone1620:
		return "physical.kg1.4xlarge.cp"
	case LabelCloudGame:
		return "physical.rx1.xlarge.cg"
	case LabelCloudGame1620:
		return "physical.kg1.4xlarge.cg"
	}
	return ""
}

// Values returns the documented image labels.
func (ImageLabel) Values() []ImageLabel {
	return []ImageLabel{LabelCloudPhone, LabelCloudPhone1620, LabelCloudGame, LabelCloudGame1620, LabelQemuPhone}
}

// ImageType selects which images ListPhoneImages returns: the API's
// image_type query parameter.
type ImageType string

// The image types the API accepts.
const (
	ImageTypePublic  ImageType = "public"
	ImageTypePrivate ImageType = "private"
	ImageTypeShared  ImageType = "share"
	ImageTypeAll     ImageType = "all"
)

// String returns the type as the API spells it.
func (t ImageType) String() string { return string(t) }

// IsKnown reports whether t is one of the values the API accepts.
func (t ImageType) IsKnown() bool {
	switch t {
	case ImageTypePublic, ImageTypePrivate, ImageTypeShared, ImageTypeAll:
		return true
	}
	return false
}

// Values returns the image types the API accepts.
func (ImageType) Values() []ImageType {
	return []ImageType{ImageTypePublic, ImageTypePrivate, ImageTypeShared, ImageTypeAll}
}

// ImageStatus is the state of a custom image: the status field of
// ListImages. Values the library does not know are kept as they came.
type ImageStatus int

// The documented image statuses.
const (
	ImageStatusCreating  ImageStatus = 0 // CREATING: being made
	ImageStatusAvailable ImageStatus = 1 // PRODUCTION: usable
	ImageStatusFailed    ImageStatus = 2 // CREATE_FAILED: its creation failed
)

// String returns "creating", "available", "failed", or "ImageStatus(N)" for
// an unknown value.
func (s ImageStatus) String() string {
	switch s {
	case ImageStatusCreating:
		return "creating"
	case ImageStatusAvailable:
		return "available"
	case ImageStatusFailed:
		return "failed"
	}
	return "ImageStatus(" + strconv.Itoa(int(s)) + ")"
}

// IsKnown reports whether s is one of the documented statuses.
func (s ImageStatus) IsKnown() bool {
	return s == ImageStatusCreating || s == ImageStatusAvailable || s == ImageStatusFailed
}

// Values returns the documented image statuses.
func (ImageStatus) Values() []ImageStatus {
	return []ImageStatus{ImageStatusCreating, ImageStatusAvailable, ImageStatusFailed}
}

// Image is one custom image: an image a project made (Type
// ImageTypePrivate) or one another project shares with it (Type
// ImageTypeShared), as ListImages returns it.
type Image struct {
	ID      string
	Name    string
	Version string // the AOSP version, image_version
	// Type is ImageTypePrivate or ImageTypeShared; another value is kept
	// as it came.
	Type      ImageType
	Status    ImageStatus
	SizeBytes int64
	DomainID  string // the account that owns the image
	// ProjectID is the owner's project, for a private image.
	ProjectID string
	// SourceProjectID is the project that shares the image, for a shared
	// image.
	SourceProjectID string
	// Created and Updated are create_time and update_time; zero when the
	// service sent none or a form the library does not read, which
	// CreatedRaw and UpdatedRaw then keep.
	Created, Updated time.Time
	// CreatedRaw and UpdatedRaw are create_time and update_time as the
	// service sent them (a JSON string's text, or a number's digits), so
	// that a time in a form the library does not read is not lost.
	CreatedRaw, UpdatedRaw string
}

// ListImagesOutput is one page of ListImages.
type ListImagesOutput struct {
	// Images are the page's images, in the service's order; never nil
	// after a successful call.
	Images []Image
	// Total is the number of images that match the filters, on every page.
	Total int
	// RequestID identifies the request at Huawei Cloud: the body's
	// request_id, else the X-Request-Id response header.
	RequestID string
}

// MemberStatus is a member project's answer to an image shared with it:
// the status UpdateImageMember sends.
type MemberStatus string

// The answers UpdateImageMember sends.
const (
	MemberAccepted MemberStatus = "accepted"
	MemberRejected MemberStatus = "rejected"
)

// String returns the status as the API spells it.
func (s MemberStatus) String() string { return string(s) }

// IsKnown reports whether s is one of the statuses the API accepts.
func (s MemberStatus) IsKnown() bool { return s == MemberAccepted || s == MemberRejected }

// Values returns the statuses the API accepts.
func (MemberStatus) Values() []MemberStatus {
	return []MemberStatus{MemberAccepted, MemberRejected}
}

// ImageMember is a project an image is shared with, as ListImageMembers
// returns it.
type ImageMember struct {
	ImageID string
	// ProjectID is the member_id: the project the image is shared with.
	ProjectID string
	// Created and Updated are create_time and update_time; zero when the
	// service sent none or a form the library does not read, which
	// CreatedRaw and UpdatedRaw then keep.
	Created, Updated time.Time
	// CreatedRaw and UpdatedRaw are create_time and update_time as the
	// service sent them.
	CreatedRaw, UpdatedRaw string
}

// ListImageMembersOutput is the answer of ListImageMembers.
type ListImageMembersOutput struct {
	// Members are the projects the image is shared with; never nil after
	// a successful call.
	Members   []ImageMember
	RequestID string // the body's request_id, else the X-Request-Id header
}

// DeleteImageOutput is the answer of DeleteImage.
type DeleteImageOutput struct {
	RequestID string // the body's request_id, else the X-Request-Id header
}

// AddImageMemberOutput is the answer of AddImageMember.
type AddImageMemberOutput struct {
	RequestID string // the body's request_id, else the X-Request-Id header
}

// UpdateImageMemberOutput is the answer of UpdateImageMember.
type UpdateImageMemberOutput struct {
	RequestID string // the body's request_id, else the X-Request-Id header
}

// DeleteImageMemberOutput is the answer of DeleteImageMember.
type DeleteImageMemberOutput struct {
	RequestID string // the body's request_id, else the X-Request-Id header
}
