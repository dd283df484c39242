package cph

import (
	"fmt"
	"math"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
)

// TestImageModelsPrint: every value of image management prints under
// every fmt verb and slog handler without a panic, zero or full, and the
// enums print their names.
func TestImageModelsPrint(t *testing.T) {
	now := time.Date(2024, 4, 17, 2, 13, 38, 0, time.UTC)
	img := Image{ID: "i", Name: "n", Version: "AOSP 11", Type: ImageTypeShared, Status: ImageStatusFailed,
		SizeBytes: 1 << 40, SourceProjectID: "p", Created: now, Updated: now, CreatedRaw: "x", UpdatedRaw: "y"}
	member := ImageMember{ImageID: "i", ProjectID: "p", Created: now, CreatedRaw: "1713320018058"}
	values := map[string]any{
		"Image":                    img,
		"zero Image":               Image{},
		"*Image":                   &img,
		"nil *Image":               (*Image)(nil),
		"ImageMember":              member,
		"zero ImageMember":         ImageMember{},
		"ListImagesOutput":         &ListImagesOutput{Images: []Image{img}, Total: 1, RequestID: "r"},
		"nil ListImagesOutput":     (*ListImagesOutput)(nil),
		"ListImageMembersOutput":   &ListImageMembersOutput{Members: []ImageMember{member}, RequestID: "r"},
		"DeleteImageOutput":        &DeleteImageOutput{RequestID: "r"},
		"AddImageMemberOutput":     &AddImageMemberOutput{RequestID: "r"},
		"UpdateImageMemberOutput":  &UpdateImageMemberOutput{RequestID: "r"},
		"DeleteImageMemberOutput":  &DeleteImageMemberOutput{RequestID: "r"},
		"nil DeleteImageOutput":    (*DeleteImageOutput)(nil),
		"ImageStatus":              ImageStatusAvailable,
		"unknown ImageStatus":      ImageStatus(-7),
		"MemberStatus":             MemberRejected,
		"unknown MemberStatus":     MemberStatus("\x00odd"),
		"ListOption":               WithLimit(3),
		"nil ListOption":           ListOption(nil),
		"Image with a huge status": Image{Status: ImageStatus(math.MaxInt)},
	}
	for name, v := range values {
		t.Run(name, func(t *testing.T) {
			for how, text := range printedEverywhere(v) {
				assert.NotContains(t, text, "PANIC", how)
			}
		})
	}
	for _, verb := range []string{"%v", "%s", "%+v"} {
		assert.Equal(t, "available", fmt.Sprintf(verb, ImageStatusAvailable), verb)
		assert.Equal(t, "ImageStatus(-7)", fmt.Sprintf(verb, ImageStatus(-7)), verb)
		assert.Equal(t, "accepted", fmt.Sprintf(verb, MemberAccepted), verb)
		assert.True(t, strings.Contains(fmt.Sprintf(verb, img), "failed"), "%s of an Image names its status: %s", verb, fmt.Sprintf(verb, img))
	}
	assert.Equal(t, `"creating"`, fmt.Sprintf("%q", ImageStatusCreating))
	assert.Equal(t, "1", fmt.Sprintf("%d", ImageStatusAvailable), "%d gives the API's number")
	assert.Equal(t, `"rejected"`, fmt.Sprintf("%q", MemberRejected))
}
