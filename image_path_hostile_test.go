package cph

import (
	"context"
	"net/url"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// The findings of probing the image operations' path parameters as an
// outsider would: each test failed before its fix.

// TestImageIDPlaceholderIsNotSubstituted: an image ID that spells another
// placeholder of the path ("{member_id}") is sent as that text, escaped,
// and does not make the call act on another image.
func TestImageIDPlaceholderIsNotSubstituted(t *testing.T) {
	for _, id := range []string{"{member_id}", "{image_id}", "{project_id}", "x{member_id}y"} {
		t.Run(id, func(t *testing.T) {
			g := newImageGateway(t)
			c := g.client(t)

			_, err := c.DeleteImageMember(context.Background(), id, docMemberID)

			require.NoError(t, err)
			want := "/v1/" + testProjectID + "/cloud-phone/images/" + url.PathEscape(id) + "/members/" + docMemberID
			assert.Equal(t, []string{want}, g.escapedPaths())
		})
	}
}

// TestImageOperationsRefuseHugeOrInvalidImageIDs: an image ID longer than
// 255 bytes (the longest WithImageID takes) or not UTF-8 is refused by
// every operation before anything is sent, with an error that quotes at
// most the ID's first 64 bytes.
func TestImageOperationsRefuseHugeOrInvalidImageIDs(t *testing.T) {
	for op, call := range imageIDOperations {
		for name, id := range map[string]string{
			"256 bytes":     strings.Repeat("a", 256),
			"1 MiB":         strings.Repeat("a", 1<<20),
			"not UTF-8":     "a\xffb",
			"a cut rune":    "a\xe2\x82",
			"a lone surrog": "a\xed\xa0\x80b",
		} {
			t.Run(op+", "+name, func(t *testing.T) {
				g := newImageGateway(t)
				c := g.client(t)

				out, err := call(c, context.Background(), id)

				assert.Nil(t, out)
				require.ErrorIs(t, err, ErrInvalidParameter)
				assert.True(t, strings.HasPrefix(err.Error(), "cph: "+op+": invalid parameter: image_id "), err.Error())
				assert.Less(t, len(err.Error()), 400)
				assert.Zero(t, g.Served(), "nothing was sent")
			})
		}
	}
}

// TestImageOperationsTakeTheLongestImageID: 255 bytes, the longest
// WithImageID takes, is sent.
func TestImageOperationsTakeTheLongestImageID(t *testing.T) {
	g := newImageGateway(t)
	c := g.client(t)
	id := strings.Repeat("a", maxFilterBytes)

	_, err := c.DeleteImage(context.Background(), id)

	require.NoError(t, err)
	assert.Equal(t, []string{"/v1/" + testProjectID + "/cloud-phone/images/" + id}, g.escapedPaths())
}
