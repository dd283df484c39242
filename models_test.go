package cph

import (
	"math"
	"testing"

	"github.com/stretchr/testify/assert"
)

// The enums of image management. (Visibility, ImageLabel and ImageType
// are pinned by TestEnums.)

func TestImageStatus(t *testing.T) {
	tests := map[string]struct {
		s     ImageStatus
		want  string
		known bool
	}{
		"creating":    {ImageStatusCreating, "creating", true},
		"available":   {ImageStatusAvailable, "available", true},
		"failed":      {ImageStatusFailed, "failed", true},
		"unknown 3":   {ImageStatus(3), "ImageStatus(3)", false},
		"negative":    {ImageStatus(-1), "ImageStatus(-1)", false},
		"large value": {ImageStatus(math.MaxInt32), "ImageStatus(2147483647)", false},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			assert.Equal(t, tc.want, tc.s.String())
			assert.Equal(t, tc.known, tc.s.IsKnown())
		})
	}
	assert.Equal(t, []ImageStatus{0, 1, 2}, ImageStatus(7).Values(), "the documented numbers, in order")
	for _, s := range ImageStatus(0).Values() {
		assert.True(t, s.IsKnown(), s.String())
	}
}

func TestMemberStatus(t *testing.T) {
	tests := map[string]struct {
		s     MemberStatus
		known bool
	}{
		"accepted":   {MemberAccepted, true},
		"rejected":   {MemberRejected, true},
		"empty":      {"", false},
		"pending":    {"pending", false},
		"upper case": {"ACCEPTED", false},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			assert.Equal(t, string(tc.s), tc.s.String(), "spelled as the API does")
			assert.Equal(t, tc.known, tc.s.IsKnown())
		})
	}
	assert.Equal(t, []MemberStatus{"accepted", "rejected"}, MemberStatus("").Values())
	for _, s := range MemberStatus("").Values() {
		assert.True(t, s.IsKnown(), s.String())
	}
}
