package main

import (
	"context"
	"flag"
	"fmt"
)

var deleteCommand = &subcommand{
	name:    "delete",
	params:  []string{"IMAGE"},
	summary: "delete a custom image of the project (asks first, unless --yes)",
	about: `Deletes the image IMAGE, a custom image of the project. Without --yes it
asks first, on stderr, when stdin is a terminal, and deletes only when the
answer is y or yes (exit status 1 otherwise); when stdin is not a terminal
it refuses (exit status 2).`,
	flags: func(fs *flag.FlagSet, s *subOptions) {
		fs.BoolVar(&s.yes, "yes", false, "delete without asking")
	},
	before: func(s *subOptions, env subEnv) error {
		if !s.yes && !env.stdinIsTerminal() {
			return usagef("stdin is not a terminal, so there is no one to ask: give --yes to delete image %s without asking", s.args[0])
		}
		return nil
	},
	run: runDelete,
}

func runDelete(ctx context.Context, c *subCall) error {
	image := c.args[0]
	if !c.yes {
		ok, err := confirm(ctx, c.env.stdin, c.stderr, fmt.Sprintf("Delete image %s? [y/N] ", image))
		if err != nil {
			return &opError{op: "DeleteImage", undone: "nothing deleted", err: err}
		}
		if !ok {
			return &notConfirmedError{imageID: image}
		}
	}
	ctx, cancel := c.withTimeout(ctx) // from the answer on
	defer cancel()
	out, err := c.m.DeleteImage(ctx, image)
	if err != nil {
		return &opError{op: "DeleteImage", err: err,
			undone: "the image may be deleted already: cphimages custom --id " + image + " tells"}
	}
	return c.done(doneJSON{Action: "delete", ImageID: image, RequestID: out.RequestID},
		fmt.Sprintf("deleted image %s", image))
}
