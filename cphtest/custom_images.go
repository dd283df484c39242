package cphtest

import (
	"cmp"
	"encoding/json"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"time"

	"github.com/cph-go/cph"
	"github.com/cph-go/cph/internal/wire"
)

// Paging of ListImages, as its page documents it.
const (
	// DefaultImagesLimit is the page size of ListImages without a limit.
	DefaultImagesLimit = 100
	// MaxImagesLimit is the largest limit ListImages takes.
	MaxImagesLimit = 100
)

// WithCustomImages seeds the server's custom images (those ListImages
// lists), as SetCustomImages does; without it there are none.
func WithCustomImages(imgs ...cph.Image) Option {
	return func(c *config) { c.custom = slices.Clone(imgs) }
}

// SetCustomImages replaces every custom image the server holds with imgs.
// Each image is a project's own: it belongs to the project its ProjectID
// names, the default project when ProjectID is "" (so that, without
// ProjectIDs, imgs are the default project's images), and the server
// stores it with that ProjectID, Type cph.ImageTypePrivate and no
// SourceProjectID, whatever imgs said. An image may name a project added
// with AddProject, before or after: it is that project's, served once the
// project is. Other projects see an image only when its owner shares it
// with them and they accept it (AddImageMember, UpdateImageMember); the
// shares of images imgs no longer hold are dropped, those of images that
// stay are kept.
//
// Like SetImages, SetCustomImages reports no errors and does not panic:
// imgs are listed as given, in order, so that a test can serve what a
// client must cope with. An image with an empty ID is listed but no path
// can name it; images of one project with the same ID are all listed, and
// a request naming that ID (DeleteImage, the member operations) acts on
// all of them. A Status the API does not document is listed as is.
func (s *Server) SetCustomImages(imgs ...cph.Image) {
	own := s.ownImages(imgs)
	s.mu.Lock()
	defer s.mu.Unlock()
	s.custom = own
	s.members = slices.DeleteFunc(s.members, func(m *membership) bool {
		return !s.ownsLocked(m.owner, m.imageID)
	})
}

// CustomImages returns every custom image the server holds, every
// project's own, in the order they were seeded, less those deleted since:
// what SetCustomImages was given, with the ProjectID and Type it stored.
// Shared views of them (ListImages' image_type "share") are not in it.
func (s *Server) CustomImages() []cph.Image {
	s.mu.Lock()
	defer s.mu.Unlock()
	return slices.Clone(s.custom)
}

// ownImages returns imgs as the server stores them: each one its
// project's own.
func (s *Server) ownImages(imgs []cph.Image) []cph.Image {
	out := make([]cph.Image, len(imgs))
	for i, img := range imgs {
		img.ProjectID = cmp.Or(img.ProjectID, s.projectID)
		img.Type = cph.ImageTypePrivate
		img.SourceProjectID = ""
		out[i] = img
	}
	return out
}

// ownsLocked reports whether project owns an image with ID id. s.mu is
// held.
func (s *Server) ownsLocked(project, id string) bool {
	return slices.ContainsFunc(s.custom, func(img cph.Image) bool {
		return img.ProjectID == project && img.ID == id
	})
}

// imagesForLocked returns the custom images project sees, in seed order:
// its own (Type private) and those shared with it that it accepted (Type
// share, SourceProjectID the owner's project, no ProjectID). s.mu is held.
func (s *Server) imagesForLocked(project string) []cph.Image {
	var out []cph.Image
	for _, img := range s.custom {
		switch {
		case img.ProjectID == project:
			out = append(out, img)
		case s.acceptedLocked(img.ProjectID, img.ID, project):
			img.SourceProjectID, img.ProjectID = img.ProjectID, ""
			img.Type = cph.ImageTypeShared
			out = append(out, img)
		}
	}
	return out
}

// imageFilter is ListImages' query.
type imageFilter struct {
	imageType     cph.ImageType
	status        *cph.ImageStatus
	offset, limit int
	id, name      string
	since, until  *int64 // epoch milliseconds, inclusive
	srcProject    string
}

// badQuery is why a query is refused: the answer's status, code and
// message.
type badQuery struct {
	status        int
	code, message string
}

// parseImageFilter reads ListImages' query. A parameter sent empty counts
// as not sent.
func parseImageFilter(q url.Values) (imageFilter, *badQuery) {
	f := imageFilter{limit: DefaultImagesLimit}
	paging := &badQuery{http.StatusBadRequest, CodeInvalidPaging, "Parameter: offset or limit is invalid."}
	if v := q.Get("offset"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 0 {
			return f, paging
		}
		f.offset = n
	}
	if v := q.Get("limit"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 || n > MaxImagesLimit {
			return f, paging
		}
		f.limit = n
	}
	switch t := cph.ImageType(q.Get("image_type")); t {
	case "", cph.ImageTypePrivate, cph.ImageTypeShared, cph.ImageTypePublic:
		f.imageType = t
	default:
		return f, &badQuery{http.StatusBadRequest, CodeInvalidImageType, "Parameter: image_type is invalid."}
	}
	if v := q.Get("status"); v != "" {
		n, err := strconv.Atoi(v)
		st := cph.ImageStatus(n)
		if err != nil || !st.IsKnown() {
			return f, &badQuery{http.StatusBadRequest, CodeInvalidStatus, "Parameter: status is invalid."}
		}
		f.status = &st
	}
	for _, p := range []struct {
		name string
		to   **int64
	}{{"create_since", &f.since}, {"create_until", &f.until}} {
		if v := q.Get(p.name); v != "" {
			n, err := strconv.ParseInt(v, 10, 64)
			if err != nil {
				return f, &badQuery{http.StatusBadRequest, CodeInvalidParameter, "Parameter: " + p.name + " is invalid."}
			}
			*p.to = &n
		}
	}
	f.id, f.name, f.srcProject = q.Get("image_id"), q.Get("image_name"), q.Get("src_project_id")
	return f, nil
}

// matches reports whether img passes every filter of f (paging aside).
func (f imageFilter) matches(img cph.Image) bool {
	switch {
	case f.imageType != "" && img.Type != f.imageType,
		f.status != nil && img.Status != *f.status,
		f.id != "" && img.ID != f.id,
		f.name != "" && img.Name != f.name,
		f.srcProject != "" && img.SourceProjectID != f.srcProject:
		return false
	}
	if f.since == nil && f.until == nil {
		return true
	}
	if img.Created.IsZero() {
		return false // no create time is within any bound
	}
	ms := img.Created.UnixMilli()
	return (f.since == nil || ms >= *f.since) && (f.until == nil || ms <= *f.until)
}

// listImages serves ListImages, GET /v1/{project_id}/cloud-phone/images.
func (s *Server) listImages(w http.ResponseWriter, r *http.Request) {
	f, bad := parseImageFilter(r.URL.Query())
	if bad != nil {
		s.writeError(w, bad.status, bad.code, bad.message)
		return
	}
	s.mu.Lock()
	var matched []cph.Image
	for _, img := range s.imagesForLocked(r.PathValue("project_id")) {
		if f.matches(img) {
			matched = append(matched, img)
		}
	}
	s.mu.Unlock()
	total := len(matched)
	page := matched[min(f.offset, total):min(f.offset+f.limit, total)]
	infos := make([]wire.ImageInfo, len(page))
	for i, img := range page {
		infos[i] = imageInfo(img)
	}
	writeJSON(w, http.StatusOK, wire.ImageList{
		RequestID: w.Header().Get("X-Request-Id"),
		Images:    infos,
		Total:     total,
	})
}

// imageInfo is img as an entry of image_infos.
func imageInfo(img cph.Image) wire.ImageInfo {
	return wire.ImageInfo{
		ID:              img.ID,
		Name:            img.Name,
		Version:         img.Version,
		Type:            string(img.Type),
		Status:          int(img.Status),
		Size:            img.SizeBytes,
		DomainID:        img.DomainID,
		ProjectID:       img.ProjectID,
		SourceProjectID: img.SourceProjectID,
		CreateTime:      millisString(img.Created, img.CreatedRaw),
		UpdateTime:      millisString(img.Updated, img.UpdatedRaw),
	}
}

// millisString is t as a JSON string of epoch milliseconds; for a zero t,
// raw as a JSON string, or nothing (nil, the field left out) if raw is "".
func millisString(t time.Time, raw string) json.RawMessage {
	if !t.IsZero() {
		return json.RawMessage(strconv.Quote(strconv.FormatInt(t.UnixMilli(), 10)))
	}
	if raw == "" {
		return nil
	}
	b, _ := json.Marshal(raw) // a string always marshals
	return b
}

// millisNumber is t as a JSON number of epoch milliseconds.
func millisNumber(t time.Time) json.RawMessage {
	return json.RawMessage(strconv.FormatInt(t.UnixMilli(), 10))
}

// deleteImage serves DeleteImage,
// DELETE /v1/{project_id}/cloud-phone/images/{image_id}: the project's own
// image goes, with every share of it.
func (s *Server) deleteImage(w http.ResponseWriter, r *http.Request) {
	project, id := r.PathValue("project_id"), r.PathValue("image_id")
	s.mu.Lock()
	if !s.ownerOrRefuseLocked(w, project, id) {
		s.mu.Unlock()
		return
	}
	s.custom = slices.DeleteFunc(s.custom, func(img cph.Image) bool {
		return img.ProjectID == project && img.ID == id
	})
	s.members = slices.DeleteFunc(s.members, func(m *membership) bool {
		return m.owner == project && m.imageID == id
	})
	s.mu.Unlock()
	writeJSON(w, http.StatusOK, wire.Done{RequestID: w.Header().Get("X-Request-Id")})
}

// ownerOrRefuseLocked reports whether project owns image id; when it
// does not, it writes the answer notOwnerLocked gives. s.mu is held.
func (s *Server) ownerOrRefuseLocked(w http.ResponseWriter, project, id string) bool {
	if s.ownsLocked(project, id) {
		return true
	}
	bad := s.notOwnerLocked(project, id)
	s.writeError(w, bad.status, bad.code, bad.message)
	return false
}

// notOwnerLocked is the answer to a request for an owner's operation on
// image id from project, which does not own it: 403 CPS.0001 when the
// image is shared with project (whatever its answer to the share), else
// 404 CPS.0030. s.mu is held.
func (s *Server) notOwnerLocked(project, id string) badQuery {
	if slices.ContainsFunc(s.members, func(m *membership) bool {
		return m.member == project && m.imageID == id
	}) {
		return badQuery{http.StatusForbidden, CodeNoPermission, "No permission to request resources."}
	}
	return badQuery{http.StatusNotFound, CodeImageNotFound, "Parameter: image_id is invalid."}
}
