package main

import (
	"encoding/json"
	"fmt"
	"io"
	"strings"
	"text/tabwriter"
	"unicode"

	"github.com/cph-go/cph"
	"github.com/cph-go/cph/internal/wire"
)

// filterImages keeps the images with the given label and OS; an empty
// filter keeps every image. Both compare case-insensitively; the OS matches
// as matchesOS says.
func filterImages(images []cph.PhoneImage, label, os string) []cph.PhoneImage {
	out := make([]cph.PhoneImage, 0, len(images))
	for _, img := range images {
		if label != "" && !strings.EqualFold(string(img.Label), label) {
			continue
		}
		if os != "" && !matchesOS(img, os) {
			continue
		}
		out = append(out, img)
	}
	return out
}

// matchesOS reports whether the image is of the OS os: its OS type (aosp),
// or its OS name or a start of it that ends at a version boundary, so that
// a version number is never cut: AOSP7, AOSP7.1 and AOSP7.1.1 match
// AOSP7.1.1, AOSP1 matches AOSP1 and AOSP1.2.3 but not AOSP10, and AOSP,
// ending in no digit, matches every AOSP name.
func matchesOS(img cph.PhoneImage, os string) bool {
	if strings.EqualFold(img.OSType, os) {
		return true
	}
	name, want := strings.ToLower(img.OSName), strings.ToLower(os)
	if !strings.HasPrefix(name, want) {
		return false
	}
	if len(name) == len(want) {
		return true
	}
	return !isDigit(want[len(want)-1]) || !isDigit(name[len(want)])
}

func isDigit(c byte) bool { return '0' <= c && c <= '9' }

// unknownLabelWarning returns the warning for a --label that matched none
// of the listed images and is not one of the library's labels (a likely
// typo), or "" when there is nothing to say. A label no image had but the
// library knows is an answer, not a mistake, and gets no word; nor does an
// unknown one that some image had (a label newer than the library).
func unknownLabelWarning(label string, listed []cph.PhoneImage) string {
	if label == "" || cph.ImageLabel(strings.ToLower(label)).IsKnown() {
		return ""
	}
	for _, img := range listed {
		if strings.EqualFold(string(img.Label), label) {
			return ""
		}
	}
	return fmt.Sprintf("warning: no image has --label %q, and it is none of the known labels: %s", label, joinLabels())
}

// writeJSON writes the images as the API's JSON document
// (wire.ListPhoneImages), indented.
func writeJSON(w io.Writer, requestID string, images []cph.PhoneImage) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	return enc.Encode(wire.ListPhoneImages[cph.PhoneImage]{RequestID: requestID, PhoneImages: images})
}

// writeTable writes the images as a table with aligned columns.
func writeTable(w io.Writer, images []cph.PhoneImage) error {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "ID\tNAME\tOS\tLABEL\tSERVER FLAVOR\tVISIBILITY")
	for _, img := range images {
		os := img.OSName
		if os == "" {
			os = img.OSType
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\n",
			cell(img.ID), cell(img.Name), cell(os), cell(string(img.Label)),
			cell(img.Label.ServerFlavor()), cell(img.Visibility.String()))
	}
	return tw.Flush()
}

// cell makes a value safe for one table cell on a terminal: control
// characters (tabs, newlines, escape sequences) become '?', and an empty
// value "-".
func cell(s string) string {
	if s == "" {
		return "-"
	}
	return strings.Map(func(r rune) rune {
		if unicode.IsControl(r) || r == unicode.ReplacementChar {
			return '?'
		}
		return r
	}, s)
}
