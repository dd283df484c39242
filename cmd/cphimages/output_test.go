package main

import (
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/cph-go/cph"
)

func TestMatchesOS(t *testing.T) {
	tests := map[string]struct {
		osType, osName, filter string
		want                   bool
	}{
		"the OS type":                   {"aosp", "AOSP7.1.1", "AOSP", true},
		"the whole name":                {"", "AOSP1", "aosp1", true},
		"a version's start":             {"", "AOSP1.0", "AOSP1", true},
		"a longer version's start":      {"", "AOSP1.2.3", "AOSP1", true},
		"a start ending in a dot":       {"", "AOSP1.2.3", "AOSP1.", true},
		"a minor version":               {"", "AOSP7.1.1", "AOSP7.1", true},
		"not another major version":     {"", "AOSP10", "AOSP1", false},
		"not another major's version":   {"", "AOSP13.0.0", "AOSP1", false},
		"not another minor version":     {"", "AOSP7.10.0", "AOSP7.1", false},
		"a name's start without digits": {"", "AOSP11", "AOSP", true},
		"a longer filter":               {"", "AOSP7", "AOSP7.1", false},
		"another OS":                    {"aosp", "AOSP7.1.1", "android", false},
	}
	for name, tt := range tests {
		t.Run(name, func(t *testing.T) {
			img := cph.PhoneImage{OSType: tt.osType, OSName: tt.osName}
			assert.Equal(t, tt.want, matchesOS(img, tt.filter))
		})
	}
}

func TestUnknownLabelWarning(t *testing.T) {
	listed := []cph.PhoneImage{{Label: cph.LabelCloudPhone}, {Label: "cloud_future"}}
	tests := map[string]struct {
		label string
		warn  bool
	}{
		"no filter":                    {"", false},
		"a known label some image has": {"cloud_phone", false},
		"a known label no image has":   {"CLOUD_GAME", false},
		"a new label some image has":   {"Cloud_Future", false},
		"a label nobody knows":         {"cloud_phon", true},
	}
	for name, tt := range tests {
		t.Run(name, func(t *testing.T) {
			w := unknownLabelWarning(tt.label, listed)
			assert.Equal(t, tt.warn, w != "", w)
			if tt.warn {
				assert.Contains(t, w, "--label")
				for _, l := range cph.ImageLabel("").Values() {
					assert.Contains(t, w, string(l))
				}
			}
		})
	}
}
