package cph

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"

	"github.com/cph-go/cph/internal/wire"
)

// Sharing custom images between projects: the owner lists, adds and
// removes the projects an image is shared with (ListImageMembers,
// AddImageMember, DeleteImageMember); a member project accepts or rejects
// an image shared with it (UpdateImageMember).

// Operation names, in errors and logs.
const (
	opListImageMembers  = "ListImageMembers"
	opAddImageMember    = "AddImageMember"
	opUpdateImageMember = "UpdateImageMember"
	opDeleteImageMember = "DeleteImageMember"
)

// membersPath is the route of an image's members.
const membersPath = "/v1/{project_id}/cloud-phone/images/{image_id}/members"

// checkMemberProjectID refuses, for operation op, a member that is not a
// project ID (1 to 64 letters, digits, '-' or '_').
func checkMemberProjectID(op, id string) error {
	if isProjectID(id) {
		return nil
	}
	return fmt.Errorf("cph: %s: %w: member project ID %q is not a project ID (1 to 64 letters, digits, '-' or '_')",
		op, ErrInvalidParameter, id[:min(len(id), 64)])
}

// ListImageMembers lists the projects the image imageID is shared with.
// It is called by the owner, in the owner's project.
//
// GET /v1/{project_id}/cloud-phone/images/{image_id}/members
//
// An image ID that is empty, or has "/", "..", white space or control
// characters, is refused before anything is sent, with an error wrapping
// ErrInvalidParameter. A non-2xx answer, or a 2xx one whose body carries
// an error_code, is an *APIError. Every member of the answer is returned;
// the marker and limit paging that newer reference pages add is not sent.
func (c *Client) ListImageMembers(ctx context.Context, imageID string) (*ListImageMembersOutput, error) {
	resp, err := c.do(ctx, call{
		op:         opListImageMembers,
		method:     http.MethodGet,
		path:       membersPath,
		params:     []param{{"image_id", imageID}},
		idempotent: true,
	})
	if err != nil {
		return nil, err
	}
	doc, requestID, err := decodeJSON[wire.MemberList](opListImageMembers, resp, nil)
	if err != nil {
		return nil, err
	}
	out := &ListImageMembersOutput{Members: make([]ImageMember, 0, len(doc.Members)), RequestID: requestID}
	for _, in := range doc.Members {
		m := ImageMember{ImageID: in.ImageID, ProjectID: in.MemberID}
		m.Created, m.CreatedRaw = parseWireTime(in.CreateTime)
		m.Updated, m.UpdatedRaw = parseWireTime(in.UpdateTime)
		out.Members = append(out.Members, m)
	}
	return out, nil
}

// AddImageMember shares the image imageID with the project
// memberProjectID, which can then accept it (UpdateImageMember). It is
// called by the owner, in the owner's project.
//
// POST /v1/{project_id}/cloud-phone/images/{image_id}/members
// with the body {"member": "<memberProjectID>"}
//
// An image ID that is empty, or has "/", "..", white space or control
// characters, and a member that is not a project ID (1 to 64 letters,
// digits, '-' or '_'), are refused before anything is sent, with an error
// wrapping ErrInvalidParameter.
//
// A POST is not idempotent, so it is resent only when it is certain the
// service never acted on it: a connection that was never made (refused),
// or the gateway's throttling answer; a 5xx or a connection cut after
// sending is returned at once. When it was resent and its final answer is
// a 4xx *APIError other than an authentication or throttling one, an
// earlier attempt may have shared the image already, and the service may
// be saying so (its pages show no code for "already a member", so the
// library does not guess one): AddImageMember then lists the image's
// members (ListImageMembers) and, if memberProjectID is among them,
// returns success, with the list's request ID. Otherwise it returns the
// answer's error, as it does a 4xx of the first attempt.
func (c *Client) AddImageMember(ctx context.Context, imageID, memberProjectID string) (*AddImageMemberOutput, error) {
	if err := checkMemberProjectID(opAddImageMember, memberProjectID); err != nil {
		return nil, err
	}
	body, err := json.Marshal(wire.AddMember{Member: memberProjectID})
	if err != nil { // a struct of one string always encodes
		return nil, fmt.Errorf("cph: %s: %w", opAddImageMember, err)
	}
	requestID, err := c.doDone(ctx, call{
		op:     opAddImageMember,
		method: http.MethodPost,
		path:   membersPath,
		params: []param{{"image_id", imageID}},
		body:   body,
	})
	if err != nil {
		// A 2xx answer's error (an error_code in the body, a body that
		// is not an acknowledgement) is never a resent call's 4xx.
		if out, ok := c.alreadyMember(ctx, imageID, memberProjectID, err); ok {
			return out, nil
		}
		return nil, err
	}
	return &AddImageMemberOutput{RequestID: requestID}, nil
}

// alreadyMember reports whether err, the failure of an AddImageMember of
// memberProjectID to imageID, is a resent call's 4xx answer (not an
// authentication or throttling one) while the project is in fact a member
// of the image, as ListImageMembers says; it then returns the success.
func (c *Client) alreadyMember(ctx context.Context, imageID, memberProjectID string, err error) (*AddImageMemberOutput, bool) {
	e, ok := asAPIError(err)
	if !ok || e.Attempts < 2 || e.StatusCode < 400 || e.StatusCode > 499 || IsAuthError(e) || IsThrottled(e) {
		return nil, false
	}
	list, lerr := c.ListImageMembers(ctx, imageID)
	if lerr != nil {
		return nil, false
	}
	for _, m := range list.Members {
		if m.ProjectID == memberProjectID {
			return &AddImageMemberOutput{RequestID: list.RequestID}, true
		}
	}
	return nil, false
}

// UpdateImageMember accepts (MemberAccepted) or rejects (MemberRejected)
// the image imageID shared with the project. It is called by the member,
// in its own project; an image shared but not accepted, or rejected,
// cannot be used.
//
// PUT /v1/{project_id}/cloud-phone/images/{image_id}/members
// with the body {"status": "accepted"} or {"status": "rejected"}
//
// An image ID that is empty, or has "/", "..", white space or control
// characters, and a status that is not one of MemberStatus.Values, are
// refused before anything is sent, with an error wrapping
// ErrInvalidParameter. A non-2xx answer, or a 2xx one whose body carries
// an error_code, is an *APIError. It is retried like ListPhoneImages:
// giving the same answer twice gives it once.
func (c *Client) UpdateImageMember(ctx context.Context, imageID string, status MemberStatus) (*UpdateImageMemberOutput, error) {
	if !status.IsKnown() {
		return nil, fmt.Errorf("cph: %s: %w: member status %q is not %q or %q",
			opUpdateImageMember, ErrInvalidParameter, string(status)[:min(len(status), 64)], MemberAccepted, MemberRejected)
	}
	body, err := json.Marshal(wire.UpdateMember{Status: string(status)})
	if err != nil { // a struct of one string always encodes
		return nil, fmt.Errorf("cph: %s: %w", opUpdateImageMember, err)
	}
	requestID, err := c.doDone(ctx, call{
		op:         opUpdateImageMember,
		method:     http.MethodPut,
		path:       membersPath,
		params:     []param{{"image_id", imageID}},
		body:       body,
		idempotent: true,
	})
	if err != nil {
		return nil, err
	}
	return &UpdateImageMemberOutput{RequestID: requestID}, nil
}

// DeleteImageMember stops sharing the image imageID with the project
// memberProjectID. It is called by the owner, in the owner's project.
//
// DELETE /v1/{project_id}/cloud-phone/images/{image_id}/members/{member_id}
//
// An image ID that is empty, or has "/", "..", white space or control
// characters, and a member that is not a project ID (1 to 64 letters,
// digits, '-' or '_'), are refused before anything is sent, with an error
// wrapping ErrInvalidParameter. A non-2xx answer, or a 2xx one whose body
// carries an error_code, is an *APIError. It is retried like
// ListPhoneImages: removing a member twice removes it once.
func (c *Client) DeleteImageMember(ctx context.Context, imageID, memberProjectID string) (*DeleteImageMemberOutput, error) {
	if err := checkMemberProjectID(opDeleteImageMember, memberProjectID); err != nil {
		return nil, err
	}
	requestID, err := c.doDone(ctx, call{
		op:         opDeleteImageMember,
		method:     http.MethodDelete,
		path:       membersPath + "/{member_id}",
		params:     []param{{"image_id", imageID}, {"member_id", memberProjectID}},
		idempotent: true,
	})
	if err != nil {
		return nil, err
	}
	return &DeleteImageMemberOutput{RequestID: requestID}, nil
}
