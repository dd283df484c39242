package cphtest

import (
	"net/http"

	"github.com/cph-go/cph"
	"github.com/cph-go/cph/internal/wire"
)

// listPhoneImages serves GET /v1/{project_id}/cloud-phone/phone-images.
func (s *Server) listPhoneImages(w http.ResponseWriter, r *http.Request) {
	imageType := r.URL.Query().Get("image_type")
	images, ok := s.imagesOfType(imageType)
	if !ok {
		s.writeError(w, http.StatusBadRequest, CodeInvalidImageType, "Parameter: image_type is invalid.")
		return
	}
	writeJSON(w, http.StatusOK, wire.ListPhoneImages[cph.PhoneImage]{
		RequestID:   w.Header().Get("X-Request-Id"),
		PhoneImages: images,
	})
}

// imagesOfType returns the images the image_type query value t selects, and
// false if t is not a value the service accepts.
func (s *Server) imagesOfType(t string) ([]cph.PhoneImage, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	images := []cph.PhoneImage{}
	switch cph.ImageType(t) {
	case "", cph.ImageTypeAll:
		images = append(append(images, s.images...), s.shared...)
	case cph.ImageTypeShared:
		images = append(images, s.shared...)
	case cph.ImageTypePublic, cph.ImageTypePrivate:
		want := cph.VisibilityPublic
		if cph.ImageType(t) == cph.ImageTypePrivate {
			want = cph.VisibilityPrivate
		}
		for _, img := range s.images {
			if img.Visibility == want {
				images = append(images, img)
			}
		}
	default:
		return nil, false
	}
	return images, true
}
