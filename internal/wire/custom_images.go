package wire

import "encoding/json"

// The documents of CPH's custom-image operations (ListImages, DeleteImage,
// ListImageMembers, AddImageMember, UpdateImageMember, DeleteImageMember),
// as the CPH API reference and the official SDK's models name their fields.
// Times are json.RawMessage: the pages type create_time as a string in one
// document and as a number in another, without a format, so a reader
// keeps whatever came and parses it itself.

// ImageList is ListImages' answer:
// {"image_infos": [...], "total": N, "request_id": "..."}.
type ImageList struct {
	RequestID string      `json:"request_id,omitempty"`
	Images    []ImageInfo `json:"image_infos"`
	Total     int         `json:"total"`
}

// ImageInfo is one entry of image_infos.
type ImageInfo struct {
	ID              string          `json:"image_id"`
	Name            string          `json:"image_name"`
	Version         string          `json:"image_version,omitempty"`
	Type            string          `json:"image_type"`
	Status          int             `json:"status"`
	Size            int64           `json:"image_size"`
	DomainID        string          `json:"domain_id,omitempty"`
	ProjectID       string          `json:"project_id,omitempty"`     // private images only
	SourceProjectID string          `json:"src_project_id,omitempty"` // shared images only
	CreateTime      json.RawMessage `json:"create_time,omitempty"`
	UpdateTime      json.RawMessage `json:"update_time,omitempty"`
}

// MemberList is ListImageMembers' answer: {"members": [...]}; request_id
// is not in the documented answer, but read if a service sends it.
type MemberList struct {
	RequestID string       `json:"request_id,omitempty"`
	Members   []MemberInfo `json:"members"`
}

// MemberInfo is one entry of members.
type MemberInfo struct {
	ImageID    string          `json:"image_id"`
	MemberID   string          `json:"member_id"` // the project the image is shared with
	CreateTime json.RawMessage `json:"create_time,omitempty"`
	UpdateTime json.RawMessage `json:"update_time,omitempty"`
}

// AddMember is AddImageMember's request body: {"member": "<project ID>"}.
type AddMember struct {
	Member string `json:"member"`
}

// UpdateMember is UpdateImageMember's request body:
// {"status": "accepted"} or {"status": "rejected"}.
type UpdateMember struct {
	Status string `json:"status"`
}

// Done is the answer of the operations that answer only with an ID:
// DeleteImage, AddImageMember, UpdateImageMember, DeleteImageMember.
type Done struct {
	RequestID string `json:"request_id"`
}
