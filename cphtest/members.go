package cphtest

import (
	"encoding/json"
	"net/http"
	"slices"
	"time"

	"github.com/cph-go/cph"
	"github.com/cph-go/cph/internal/wire"
)

// MaxImageMembers is how many projects one image may be shared with
// (AddImageMember's page: "同一镜像最多只能共享给10个其他账号").
const MaxImageMembers = 10

// membership is one share of a custom image: owner's image imageID shared
// with project member, which has answered status.
type membership struct {
	owner, imageID, member string
	status                 memberStatus
	created, updated       time.Time
}

// memberStatus is a member's answer to a share.
type memberStatus int

const (
	memberPending memberStatus = iota // not answered yet
	memberAccepted
	memberRejected
)

// acceptedLocked reports whether owner's image id is shared with member
// and member accepted it. s.mu is held.
func (s *Server) acceptedLocked(owner, id, member string) bool {
	return slices.ContainsFunc(s.members, func(m *membership) bool {
		return m.owner == owner && m.imageID == id && m.member == member && m.status == memberAccepted
	})
}

// membersLocked returns the shares of owner's image id, oldest first.
// s.mu is held.
func (s *Server) membersLocked(owner, id string) []*membership {
	var out []*membership
	for _, m := range s.members {
		if m.owner == owner && m.imageID == id {
			out = append(out, m)
		}
	}
	return out
}

// listImageMembers serves ListImageMembers,
// GET /v1/{project_id}/cloud-phone/images/{image_id}/members, in the
// owner's project: every project the image is shared with, whatever its
// answer, oldest share first.
func (s *Server) listImageMembers(w http.ResponseWriter, r *http.Request) {
	project, id := r.PathValue("project_id"), r.PathValue("image_id")
	s.mu.Lock()
	if !s.ownerOrRefuseLocked(w, project, id) {
		s.mu.Unlock()
		return
	}
	members := []wire.MemberInfo{}
	for _, m := range s.membersLocked(project, id) {
		members = append(members, wire.MemberInfo{
			ImageID:    m.imageID,
			MemberID:   m.member,
			CreateTime: millisNumber(m.created),
			UpdateTime: millisNumber(m.updated),
		})
	}
	s.mu.Unlock()
	// The documented answer has no request_id: X-Request-Id carries it.
	writeJSON(w, http.StatusOK, wire.MemberList{Members: members})
}

// addImageMember serves AddImageMember,
// POST /v1/{project_id}/cloud-phone/images/{image_id}/members with
// {"member": "<project ID>"}, in the owner's project: the share starts
// pending, until the member answers it.
func (s *Server) addImageMember(w http.ResponseWriter, r *http.Request) {
	project, id := r.PathValue("project_id"), r.PathValue("image_id")
	var body wire.AddMember
	if !s.readBody(w, r, &body) {
		return
	}
	if body.Member == "" || body.Member == project {
		s.writeError(w, http.StatusBadRequest, CodeInvalidParameter, "Parameter: member is invalid.")
		return
	}
	now := s.now()
	s.mu.Lock()
	defer s.mu.Unlock()
	if !s.ownerOrRefuseLocked(w, project, id) {
		return
	}
	members := s.membersLocked(project, id)
	switch {
	case slices.ContainsFunc(members, func(m *membership) bool { return m.member == body.Member }):
		s.writeError(w, http.StatusConflict, CodeMemberExists, "The project is already a member of the image.")
		return
	case len(members) >= MaxImageMembers:
		s.writeError(w, http.StatusBadRequest, CodeMemberLimit, "The image is shared with 10 projects already.")
		return
	}
	s.members = append(s.members, &membership{
		owner: project, imageID: id, member: body.Member,
		status: memberPending, created: now, updated: now,
	})
	writeJSON(w, http.StatusOK, wire.Done{RequestID: w.Header().Get("X-Request-Id")})
}

// updateImageMember serves UpdateImageMember,
// PUT /v1/{project_id}/cloud-phone/images/{image_id}/members with
// {"status": "accepted"} or {"status": "rejected"}, in the member's
// project: its answer to every share of image_id with it. It may change
// its answer later.
func (s *Server) updateImageMember(w http.ResponseWriter, r *http.Request) {
	project, id := r.PathValue("project_id"), r.PathValue("image_id")
	var body wire.UpdateMember
	if !s.readBody(w, r, &body) {
		return
	}
	var status memberStatus
	switch cph.MemberStatus(body.Status) {
	case cph.MemberAccepted:
		status = memberAccepted
	case cph.MemberRejected:
		status = memberRejected
	default:
		s.writeError(w, http.StatusBadRequest, CodeInvalidStatus, "Parameter: status is invalid.")
		return
	}
	now := s.now()
	s.mu.Lock()
	found := false
	for _, m := range s.members {
		if m.member == project && m.imageID == id {
			m.status, m.updated, found = status, now, true
		}
	}
	s.mu.Unlock()
	if !found {
		s.writeError(w, http.StatusNotFound, CodeImageNotFound, "Parameter: image_id is invalid.")
		return
	}
	writeJSON(w, http.StatusOK, wire.Done{RequestID: w.Header().Get("X-Request-Id")})
}

// deleteImageMember serves DeleteImageMember,
// DELETE /v1/{project_id}/cloud-phone/images/{image_id}/members/{member_id},
// in the owner's project: the share ends, whatever the member's answer.
func (s *Server) deleteImageMember(w http.ResponseWriter, r *http.Request) {
	project, id, member := r.PathValue("project_id"), r.PathValue("image_id"), r.PathValue("member_id")
	s.mu.Lock()
	defer s.mu.Unlock()
	if !s.ownerOrRefuseLocked(w, project, id) {
		return
	}
	n := len(s.members)
	s.members = slices.DeleteFunc(s.members, func(m *membership) bool {
		return m.owner == project && m.imageID == id && m.member == member
	})
	if len(s.members) == n {
		s.writeError(w, http.StatusNotFound, CodeMemberNotFound, "The project is not a member of the image.")
		return
	}
	writeJSON(w, http.StatusOK, wire.Done{RequestID: w.Header().Get("X-Request-Id")})
}

// readBody decodes r's JSON body into v, or answers 400 CPHTEST.0001 and
// reports false when it is not a JSON object of v's shape.
func (s *Server) readBody(w http.ResponseWriter, r *http.Request, v any) bool {
	var raw json.RawMessage
	dec := json.NewDecoder(r.Body)
	if err := dec.Decode(&raw); err != nil || dec.More() || len(raw) == 0 || raw[0] != '{' || json.Unmarshal(raw, v) != nil {
		s.writeError(w, http.StatusBadRequest, CodeInvalidParameter, "The request body is not a valid JSON object.")
		return false
	}
	return true
}
