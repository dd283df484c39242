package cphtest

import (
	"net/http"

	"github.com/cph-go/cph"
	"github.com/cph-go/cph/internal/wire"
)

// listPhoneImages serves GET /v1/{project_id}/cloud-phone/phone-images.
func (s *Server) listPhoneImages(w http.ResponseWriter, r *http.Request) {
	imageType := r.URL.Query().Get("image_type")
	images, ok := s.imagesOfType(r.PathValue("project_id"), imageType)
	if !ok {
		s.writeError(w, http.StatusBadRequest, CodeInvalidImageType, "Parameter: image_type is invalid.")
		return
	}
	writeJSON(w, http.StatusOK, wire.ListPhoneImages[cph.PhoneImage]{
		RequestID:   w.Header().Get("X-Request-Id"),
		PhoneImages: images,
	})
}

// imagesOfType returns the phone images project sees that the image_type
// query value t selects, and false if t is not a value the service
// accepts. The default project sees the images of SetImages and
// SetSharedImages; another project the public ones of SetImages only.
// Every project sees, as shared images, the custom images shared with it
// that it accepted (sharedPhoneImage).
func (s *Server) imagesOfType(project, t string) ([]cph.PhoneImage, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	own, shared := s.images, s.shared
	if project != s.projectID {
		own, shared = nil, nil
		for _, img := range s.images {
			if img.Visibility == cph.VisibilityPublic {
				own = append(own, img)
			}
		}
	}
	for _, img := range s.imagesForLocked(project) {
		if img.Type == cph.ImageTypeShared {
			shared = append(shared[:len(shared):len(shared)], sharedPhoneImage(img))
		}
	}
	images := []cph.PhoneImage{}
	switch cph.ImageType(t) {
	case "", cph.ImageTypeAll:
		images = append(append(images, own...), shared...)
	case cph.ImageTypeShared:
		images = append(images, shared...)
	case cph.ImageTypePublic, cph.ImageTypePrivate:
		want := cph.VisibilityPublic
		if cph.ImageType(t) == cph.ImageTypePrivate {
			want = cph.VisibilityPrivate
		}
		for _, img := range own {
			if img.Visibility == want {
				images = append(images, img)
			}
		}
	default:
		return nil, false
	}
	return images, true
}

// sharedPhoneImage is how ListPhoneImages lists a custom image shared with
// the project and accepted (cphtest's choice, the pages say nothing of
// it): its ID and name, OS type "aosp", its AOSP version as OS name,
// private (is_public 2), labelled cloud_phone, without encryption.
func sharedPhoneImage(img cph.Image) cph.PhoneImage {
	return cph.PhoneImage{
		ID:         img.ID,
		Name:       img.Name,
		OSType:     "aosp",
		OSName:     img.Version,
		Visibility: cph.VisibilityPrivate,
		Label:      cph.LabelCloudPhone,
	}
}
