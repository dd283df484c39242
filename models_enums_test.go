package cph

import (
	"testing"

	"github.com/stretchr/testify/assert"
)

// TestEnums covers Visibility, ImageLabel and ImageType (models.go).
func TestEnums(t *testing.T) {
	t.Run("visibility", func(t *testing.T) {
		assert.Equal(t, "public", VisibilityPublic.String())
		assert.Equal(t, "private", VisibilityPrivate.String())
		assert.Equal(t, "Visibility(7)", Visibility(7).String())
		assert.Equal(t, "Visibility(0)", Visibility(0).String())
		assert.Equal(t, []Visibility{VisibilityPublic, VisibilityPrivate}, Visibility(0).Values())
		for _, v := range Visibility(0).Values() {
			assert.True(t, v.IsKnown(), v.String())
		}
		assert.False(t, Visibility(3).IsKnown())
		assert.True(t, PhoneImage{Visibility: VisibilityPublic}.IsPublic())
		assert.False(t, PhoneImage{Visibility: VisibilityPrivate}.IsPublic())
		assert.False(t, PhoneImage{Visibility: 9}.IsPublic())
	})
	t.Run("labels", func(t *testing.T) {
		want := map[ImageLabel]string{
			LabelCloudPhone:     "physical.rx1.xlarge",
			LabelCloudPhone1620: "physical.kg1.4xlarge.cp",
			LabelCloudGame:      "physical.rx1.xlarge.cg",
			LabelCloudGame1620:  "physical.kg1.4xlarge.cg",
			LabelQemuPhone:      "physical.rx1.xlarge",
		}
		assert.Len(t, ImageLabel("").Values(), len(want))
		for _, l := range ImageLabel("").Values() {
			assert.True(t, l.IsKnown(), l)
			assert.Equal(t, want[l], l.ServerFlavor(), l)
			assert.Equal(t, string(l), l.String())
		}
		assert.False(t, ImageLabel("cloud_tv").IsKnown())
		assert.Equal(t, "", ImageLabel("cloud_tv").ServerFlavor())
		assert.False(t, ImageLabel("").IsKnown())
	})
	t.Run("image types", func(t *testing.T) {
		assert.Equal(t, []ImageType{"public", "private", "share", "all"}, ImageType("").Values())
		for _, ty := range ImageType("").Values() {
			assert.True(t, ty.IsKnown(), ty)
			assert.Equal(t, string(ty), ty.String())
		}
		assert.False(t, ImageType("shared").IsKnown(), "the API spells it share")
		assert.False(t, ImageType("").IsKnown())
	})
}
