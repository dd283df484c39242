package main

import (
	"encoding/json"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// The README's promises about the command, pinned where no other test
// pins them with the README's own words.

// README: "Each subcommand takes the connection flags, --demo, --output and
// --timeout."
func TestREADME_EachSubcommandTakesTheCommonFlags(t *testing.T) {
	require.Len(t, subcommands, 7, "custom, members, share, unshare, accept, reject, delete")
	positional := func(sub *subcommand) []string {
		var args []string
		for range sub.params {
			args = append(args, "0123456789abcdef0123456789abcdef")
		}
		return args
	}
	for _, sub := range subcommands {
		t.Run(sub.name, func(t *testing.T) {
			s, err := parseSubcommand(sub, append([]string{
				"--region", "cn-north-4", "--endpoint", "https://cph.example.com", "--project-id", "p",
				"--output", "json", "--timeout", "7s",
			}, positional(sub)...))
			require.NoError(t, err)
			assert.Equal(t, options{
				region: "cn-north-4", endpoint: "https://cph.example.com", projectID: "p",
				output: outputJSON, timeout: 7 * time.Second,
			}, s.options)

			s, err = parseSubcommand(sub, append([]string{"--demo", "--output", "json", "--timeout", "7s"}, positional(sub)...))
			require.NoError(t, err)
			assert.Equal(t, options{demo: true, output: outputJSON, timeout: 7 * time.Second}, s.options)
		})
	}
}

// README: "cphimages --region cn-north-4 --output json | jq -r
// '.phone_images[].image_id'", and --demo lists "the three images of the
// documented sample, then a private and a shared image".
func TestREADME_JSONOutputForJQ(t *testing.T) {
	r := runCLI(t, nil, "--demo", "--output", "json")
	require.Equal(t, exitOK, r.code, r.stderr)
	var doc struct {
		PhoneImages []struct {
			ImageID  string `json:"image_id"`
			IsPublic int    `json:"is_public"`
		} `json:"phone_images"`
	}
	require.NoError(t, json.Unmarshal([]byte(r.stdout), &doc))
	var ids []string
	for _, img := range doc.PhoneImages {
		ids = append(ids, img.ImageID)
	}
	assert.Equal(t, []string{
		"20032420200401a60b0003a99684b8ea", "20032120200330a20b000eae5b8c01e6", "be4d231e44d2a4ccf612660a473fe1e3", // the documented sample
		demoPrivateImage.ID, demoSharedImage.ID,
	}, ids)

	shared := runCLI(t, nil, "--demo", "--type", "share", "--output", "json")
	require.Equal(t, exitOK, shared.code, shared.stderr)
	assert.Contains(t, shared.stdout, `"image_id": "`+demoSharedImage.ID+`"`, "the fifth is the shared one")
}
