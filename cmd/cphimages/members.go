package main

import (
	"context"
	"fmt"
	"io"
	"text/tabwriter"

	"github.com/cph-go/cph"
)

var membersCommand = &subcommand{
	name:    "members",
	params:  []string{"IMAGE"},
	summary: "list the projects an image is shared with",
	about: `Lists the projects the image IMAGE, a custom image of the project, is
shared with, whether they have accepted it yet or not. Times are RFC 3339 in
UTC, or as the service sent them when that is another form.`,
	run: runMembers,
}

func runMembers(ctx context.Context, c *subCall) error {
	ctx, cancel := c.withTimeout(ctx)
	defer cancel()
	out, err := c.m.ListImageMembers(ctx, c.args[0])
	if err != nil {
		return &opError{op: "ListImageMembers", undone: "nothing listed", err: err}
	}
	if c.output == outputJSON {
		return writeMembersJSON(c.stdout, out)
	}
	return writeMembersTable(c.stdout, out.Members)
}

// memberJSON is a member in members' JSON: the API's field names, the
// times in RFC 3339 UTC (or as the service sent them, when the library did
// not read them; "" when it sent none).
type memberJSON struct {
	ImageID  string `json:"image_id"`
	MemberID string `json:"member_id"`
	Created  string `json:"create_time"`
	Updated  string `json:"update_time"`
}

// writeMembersJSON writes out as {"request_id": ..., "members": [...]}.
func writeMembersJSON(w io.Writer, out *cph.ListImageMembersOutput) error {
	doc := struct {
		RequestID string       `json:"request_id"`
		Members   []memberJSON `json:"members"`
	}{RequestID: out.RequestID, Members: make([]memberJSON, 0, len(out.Members))}
	for _, m := range out.Members {
		doc.Members = append(doc.Members, memberJSON{
			ImageID: m.ImageID, MemberID: m.ProjectID,
			Created: formatTime(m.Created, m.CreatedRaw), Updated: formatTime(m.Updated, m.UpdatedRaw),
		})
	}
	return encodeJSON(w, doc)
}

// writeMembersTable writes members as a table with aligned columns.
func writeMembersTable(w io.Writer, members []cph.ImageMember) error {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "IMAGE\tPROJECT\tCREATED\tUPDATED")
	for _, m := range members {
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\n", cell(m.ImageID), cell(m.ProjectID),
			cell(formatTime(m.Created, m.CreatedRaw)), cell(formatTime(m.Updated, m.UpdatedRaw)))
	}
	return tw.Flush()
}
