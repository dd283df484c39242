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
// an image's OS type, or its OS name or the start of it.
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

func matchesOS(img cph.PhoneImage, os string) bool {
	name := strings.ToLower(img.OSName)
	return strings.EqualFold(img.OSType, os) || strings.HasPrefix(name, strings.ToLower(os))
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
