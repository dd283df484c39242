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

// An image ID longer than 255 bytes or not UTF-8 is refused: the rows
// "256 bytes" to "a lone surrog" of TestImageOperationsRefuseBadImageIDs.

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
