package main

import (
	"context"
	"fmt"
	"io"

	"github.com/cph-go/cph"
)

var shareCommand = &subcommand{
	name:    "share",
	params:  []string{"IMAGE", "PROJECT"},
	summary: "share an image with another project",
	about: `Shares the image IMAGE, a custom image of the project, with the project
whose ID is PROJECT (of this account or another). That project can use it
once it accepts it (cphimages accept IMAGE, run with that project's
credentials and --project-id).`,
	run: func(ctx context.Context, c *subCall) error {
		image, project := c.args[0], c.args[1]
		ctx, cancel := c.withTimeout(ctx)
		defer cancel()
		out, err := c.m.AddImageMember(ctx, image, project)
		if err != nil {
			return &opError{op: "AddImageMember", err: err,
				undone: "the image may be shared already: cphimages members " + image + " tells"}
		}
		return c.done(doneJSON{Action: "share", ImageID: image, MemberID: project, RequestID: out.RequestID},
			fmt.Sprintf("shared image %s with project %s, which can use it once it accepts it", cell(image), cell(project)))
	},
}

var unshareCommand = &subcommand{
	name:    "unshare",
	params:  []string{"IMAGE", "PROJECT"},
	summary: "stop sharing an image with a project",
	about: `Stops sharing the image IMAGE, a custom image of the project, with the
project whose ID is PROJECT.`,
	run: func(ctx context.Context, c *subCall) error {
		image, project := c.args[0], c.args[1]
		ctx, cancel := c.withTimeout(ctx)
		defer cancel()
		out, err := c.m.DeleteImageMember(ctx, image, project)
		if err != nil {
			return &opError{op: "DeleteImageMember", err: err,
				undone: "the share may have ended already: cphimages members " + image + " tells"}
		}
		return c.done(doneJSON{Action: "unshare", ImageID: image, MemberID: project, RequestID: out.RequestID},
			fmt.Sprintf("stopped sharing image %s with project %s", cell(image), cell(project)))
	},
}

var acceptCommand = &subcommand{
	name:    "accept",
	params:  []string{"IMAGE"},
	summary: "accept an image another project shares with this one",
	about: `Accepts the image IMAGE, which another project shares with this one, so
that this project can use it. Run it with the credentials and the project ID
(--project-id) of the project the image is shared with.`,
	run: func(ctx context.Context, c *subCall) error {
		return answerShare(ctx, c, cph.MemberAccepted, "accept", "accepted")
	},
}

var rejectCommand = &subcommand{
	name:    "reject",
	params:  []string{"IMAGE"},
	summary: "reject an image another project shares with this one",
	about: `Rejects the image IMAGE, which another project shares with this one; this
project cannot use it then. Run it with the credentials and the project ID
(--project-id) of the project the image is shared with.`,
	run: func(ctx context.Context, c *subCall) error {
		return answerShare(ctx, c, cph.MemberRejected, "reject", "rejected")
	},
}

// answerShare sends the project's answer to an image shared with it.
func answerShare(ctx context.Context, c *subCall, status cph.MemberStatus, action, done string) error {
	image := c.args[0]
	ctx, cancel := c.withTimeout(ctx)
	defer cancel()
	out, err := c.m.UpdateImageMember(ctx, image, status)
	if err != nil {
		return &opError{op: "UpdateImageMember", err: err,
			undone: "the answer may have reached the service already: " + action + " again to be sure"}
	}
	return c.done(doneJSON{Action: action, ImageID: image, Status: string(status), RequestID: out.RequestID},
		fmt.Sprintf("%s image %s", done, cell(image)))
}

// doneJSON is what a subcommand that changes something writes in JSON.
type doneJSON struct {
	Action    string `json:"action"` // the subcommand: share, unshare, accept, reject or delete
	ImageID   string `json:"image_id"`
	MemberID  string `json:"member_id,omitempty"` // share and unshare: the PROJECT
	Status    string `json:"status,omitempty"`    // accept and reject: accepted or rejected
	RequestID string `json:"request_id"`
}

// done writes what was done: d in JSON, else the line text and the
// request ID.
func (c *subCall) done(d doneJSON, text string) error {
	if c.output == outputJSON {
		return encodeJSON(c.stdout, d)
	}
	return writeLine(c.stdout, text+" (request ID "+orDash(d.RequestID)+")")
}

func writeLine(w io.Writer, line string) error {
	_, err := fmt.Fprintln(w, line)
	return err
}
