package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"strconv"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/cph-go/cph"
)

var customCommand = &subcommand{
	name:    "custom",
	summary: "list the custom images: those the project made and those shared with it",
	about: `Lists every custom image of the project, page after page: the images it
made (type private) and those other projects share with it (type share).
The filters are the service's own; give several and an image must match all.
Sizes are in binary units in the table (1.5 GiB) and in bytes in JSON; times
are RFC 3339 in UTC, or as the service sent them when that is another form.`,
	flags: customFlags,
	check: checkCustom,
	run:   runCustom,
}

// customFilter is custom's filters, as the flags gave them.
type customFilter struct {
	status        cph.ImageStatus
	hasStatus     bool          // --status was given
	name          string        // --name
	id            string        // --id
	imageType     cph.ImageType // --type: "", private or share
	since, until  time.Time     // --since, --until; zero leaves that end open
	sourceProject string        // --source-project
	pageSize      int           // --page-size; 0 is the library's default, 100
}

// options returns the filter as the library's list options, one for each
// filter given: --status, --name, --id, --type, --since and --until
// together, --source-project, --page-size.
func (f customFilter) options() []cph.ListOption {
	var opts []cph.ListOption
	if f.hasStatus {
		opts = append(opts, cph.WithImageStatus(f.status))
	}
	if f.name != "" {
		opts = append(opts, cph.WithImageName(f.name))
	}
	if f.id != "" {
		opts = append(opts, cph.WithImageID(f.id))
	}
	if f.imageType != "" {
		opts = append(opts, cph.WithImageType(f.imageType))
	}
	if !f.since.IsZero() || !f.until.IsZero() {
		opts = append(opts, cph.WithCreatedBetween(f.since, f.until))
	}
	if f.sourceProject != "" {
		opts = append(opts, cph.WithSourceProject(f.sourceProject))
	}
	if f.pageSize != 0 {
		opts = append(opts, cph.WithLimit(f.pageSize))
	}
	return opts
}

// customTypes are the image types custom lists.
var customTypes = []cph.ImageType{cph.ImageTypePrivate, cph.ImageTypeShared}

func customFlags(fs *flag.FlagSet, s *subOptions) {
	f := &s.filter
	fs.Func("status", "list only images in this `status`: "+joinStatuses()+" (default any)", func(v string) error {
		for _, st := range cph.ImageStatus(0).Values() {
			if v == st.String() {
				f.status, f.hasStatus = st, true
				return nil
			}
		}
		return fmt.Errorf("must be one of %s", joinStatuses())
	})
	fs.StringVar(&f.name, "name", "", "list only images with this `name`")
	fs.StringVar(&f.id, "id", "", "list only the image with this image `ID`")
	fs.Func("type", "list only images of this `type`: private (made by the project) or share (shared with it) (default both)", func(v string) error {
		for _, t := range customTypes {
			if v == string(t) {
				f.imageType = t
				return nil
			}
		}
		return fmt.Errorf("must be private or share")
	})
	fs.Func("since", "list only images created at or after this `time`: RFC 3339 (2026-05-01T08:00:00Z) or a date (2026-05-01, midnight UTC)", func(v string) error {
		t, err := parseTimeFlag(v, false)
		f.since = t
		return err
	})
	fs.Func("until", "list only images created at or before this `time`: RFC 3339, or a date for the whole of that day (UTC)", func(v string) error {
		t, err := parseTimeFlag(v, true)
		f.until = t
		return err
	})
	fs.StringVar(&f.sourceProject, "source-project", "", "list only images shared by the project with this `ID`")
	fs.Func("page-size", "ask for `count` images per request, 1 to 100 (default 100)", func(v string) error {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 || n > 100 {
			return fmt.Errorf("must be a whole number from 1 to 100")
		}
		f.pageSize = n
		return nil
	})
}

func joinStatuses() string {
	var names []string
	for _, st := range cph.ImageStatus(0).Values() {
		names = append(names, st.String())
	}
	return strings.Join(names, ", ")
}

// parseTimeFlag parses v, RFC 3339 or a date. A date is midnight UTC at the
// start of that day, or with endOfDay its last millisecond (the service
// counts in milliseconds), so that --since D --until D is the whole day.
func parseTimeFlag(v string, endOfDay bool) (time.Time, error) {
	if t, err := time.Parse(time.RFC3339, v); err == nil {
		return t, nil
	}
	t, err := time.Parse(time.DateOnly, v)
	if err != nil {
		return time.Time{}, fmt.Errorf("must be a time in RFC 3339 (2026-05-01T08:00:00Z) or a date (2026-05-01)")
	}
	if endOfDay {
		t = t.Add(24*time.Hour - time.Millisecond)
	}
	return t, nil
}

func checkCustom(s *subOptions) error {
	f := s.filter
	if !f.since.IsZero() && !f.until.IsZero() && f.since.After(f.until) {
		return usagef("--since %s is after --until %s", f.since.UTC().Format(time.RFC3339), f.until.UTC().Format(time.RFC3339))
	}
	return nil
}

func runCustom(ctx context.Context, c *subCall) error {
	ctx, cancel := c.withTimeout(ctx)
	defer cancel()
	images := []cph.Image{}
	for img, err := range c.m.AllImages(ctx, c.filter.options()...) {
		if err != nil {
			return &opError{op: "ListImages", after: len(images), unit: "image", undone: "nothing listed", err: err}
		}
		images = append(images, img)
	}
	if c.output == outputJSON {
		return writeCustomJSON(c.stdout, images)
	}
	return writeCustomTable(c.stdout, images)
}

// customImageJSON is an image in custom's JSON: the API's field names,
// the status both as the API's number and by name, the size in bytes, and
// the times in RFC 3339 UTC (or as the service sent them, when the
// library did not read them; "" when it sent none).
type customImageJSON struct {
	ID              string `json:"image_id"`
	Name            string `json:"image_name"`
	Version         string `json:"image_version"`
	Type            string `json:"image_type"`
	Status          int    `json:"status"`
	StatusName      string `json:"status_name"`
	SizeBytes       int64  `json:"image_size"`
	DomainID        string `json:"domain_id"`
	ProjectID       string `json:"project_id"`
	SourceProjectID string `json:"src_project_id"`
	Created         string `json:"create_time"`
	Updated         string `json:"update_time"`
}

// writeCustomJSON writes images as {"images": [...]}.
func writeCustomJSON(w io.Writer, images []cph.Image) error {
	doc := struct {
		Images []customImageJSON `json:"images"`
	}{Images: make([]customImageJSON, 0, len(images))}
	for _, img := range images {
		doc.Images = append(doc.Images, customImageJSON{
			ID: img.ID, Name: img.Name, Version: img.Version, Type: string(img.Type),
			Status: int(img.Status), StatusName: img.Status.String(), SizeBytes: img.SizeBytes,
			DomainID: img.DomainID, ProjectID: img.ProjectID, SourceProjectID: img.SourceProjectID,
			Created: formatTime(img.Created, img.CreatedRaw), Updated: formatTime(img.Updated, img.UpdatedRaw),
		})
	}
	return encodeJSON(w, doc)
}

// writeCustomTable writes images as a table with aligned columns.
func writeCustomTable(w io.Writer, images []cph.Image) error {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "ID\tNAME\tVERSION\tTYPE\tSTATUS\tSIZE\tCREATED")
	for _, img := range images {
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\t%s\n",
			cell(img.ID), cell(img.Name), cell(img.Version), cell(string(img.Type)),
			cell(img.Status.String()), humanSize(img.SizeBytes), cell(formatTime(img.Created, img.CreatedRaw)))
	}
	return tw.Flush()
}
