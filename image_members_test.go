package cph

import (
	"context"
	"encoding/json"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/jarcoal/httpmock"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// The documented examples of the member operations (cph_api_0561,
// cph_api_0562, and the pages of UpdateImageMember and DeleteImageMember).
const (
	docImageID  = "23030320230421e300221a2000004167"
	docMemberID = "87dc6af96095488d9205b6f31f314b16"
	docDoneID   = "95f25ae6120643ac9e0effd633b37b98"
)

// documentedMembers are the members of testdata/list_image_members.json.
var documentedMembers = []ImageMember{
	{
		ImageID: docImageID, ProjectID: docMemberID,
		Created: time.UnixMilli(1713320018058).UTC(), Updated: time.UnixMilli(1713320018058).UTC(),
		CreatedRaw: "1713320018058", UpdatedRaw: "1713320018058",
	},
	{
		ImageID: docImageID, ProjectID: "6733a7ad58694af18c7ee4820052d63f",
		Created: time.UnixMilli(1713083265307).UTC(), Updated: time.UnixMilli(1713083265307).UTC(),
		CreatedRaw: "1713083265307", UpdatedRaw: "1713083265307",
	},
}

// membersURLPath is the escaped path of the documented image's members.
const membersURLPath = "/v1/" + testProjectID + "/cloud-phone/images/" + docImageID + "/members"

func TestListImageMembersDocumentedSample(t *testing.T) {
	g := newImageGateway(t)
	c := g.client(t)

	out, err := c.ListImageMembers(context.Background(), docImageID)

	require.NoError(t, err, "the gateway verified the signature")
	assert.Equal(t, documentedMembers, out.Members)
	assert.Equal(t, "2024-04-17T02:13:38.058Z", out.Members[0].Created.Format(time.RFC3339Nano), "epoch milliseconds")
	assert.Equal(t, "gw-1", out.RequestID, "the documented answer has no request_id: the header's")
	g.onlyRequest(t, http.MethodGet, membersURLPath, "") // no query: no paging is sent
}

func TestListImageMembersDecoding(t *testing.T) {
	tests := map[string]struct {
		body string
		want []ImageMember
	}{
		"no members field": {`{}`, []ImageMember{}},
		"empty members":    {`{"members":[]}`, []ImageMember{}},
		"many members, all decoded": {
			`{"members":[` + strings.Repeat(`{"image_id":"i","member_id":"m"},`, 149) + `{"image_id":"i","member_id":"last"}]}`,
			append(repeatMember(ImageMember{ImageID: "i", ProjectID: "m"}, 149), ImageMember{ImageID: "i", ProjectID: "last"}),
		},
		"times as strings and garbage": {
			`{"members":[{"image_id":"i","member_id":"m","create_time":"2024-04-17 02:13:38","update_time":"soon"}]}`,
			[]ImageMember{{ImageID: "i", ProjectID: "m", Created: time.Date(2024, 4, 17, 2, 13, 38, 0, time.UTC),
				CreatedRaw: "2024-04-17 02:13:38", UpdatedRaw: "soon"}},
		},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			c := newMockedClient(t)
			httpmock.RegisterResponder(http.MethodGet, testEndpoint+membersURLPath, httpmock.NewStringResponder(200, tc.body))

			out, err := c.ListImageMembers(context.Background(), docImageID)

			require.NoError(t, err)
			assert.Equal(t, tc.want, out.Members)
		})
	}
}

func repeatMember(m ImageMember, n int) []ImageMember {
	out := make([]ImageMember, n)
	for i := range out {
		out[i] = m
	}
	return out
}

func TestAddImageMemberDocumentedSample(t *testing.T) {
	g := newImageGateway(t)
	c := g.client(t)

	out, err := c.AddImageMember(context.Background(), docImageID, docMemberID)

	require.NoError(t, err, "the gateway verified the signature, the body's hash included")
	assert.Equal(t, docDoneID, out.RequestID)
	r := g.onlyRequest(t, http.MethodPost, membersURLPath, `{"member":"`+docMemberID+`"}`)
	assert.JSONEq(t, string(fixture(t, "add_image_member_request.json")), string(r.Body), "the documented request")
}

func TestUpdateImageMemberDocumentedSample(t *testing.T) {
	for _, status := range MemberStatus("").Values() {
		t.Run(string(status), func(t *testing.T) {
			g := newImageGateway(t)
			c := g.client(t)

			out, err := c.UpdateImageMember(context.Background(), docImageID, status)

			require.NoError(t, err, "the gateway verified the signature, the body's hash included")
			assert.Equal(t, docDoneID, out.RequestID)
			r := g.onlyRequest(t, http.MethodPut, membersURLPath, `{"status":"`+string(status)+`"}`)
			if status == MemberAccepted {
				assert.JSONEq(t, string(fixture(t, "update_image_member_request.json")), string(r.Body), "the documented request")
			}
		})
	}
}

func TestDeleteImageMemberDocumentedSample(t *testing.T) {
	g := newImageGateway(t)
	c := g.client(t)

	out, err := c.DeleteImageMember(context.Background(), docImageID, docMemberID)

	require.NoError(t, err, "the gateway verified the signature")
	assert.Equal(t, docDoneID, out.RequestID)
	g.onlyRequest(t, http.MethodDelete, membersURLPath+"/"+docMemberID, "")
}

// TestMemberOperationsRefuseBadMembersAndStatuses: a member that is not a
// project ID and a status the API does not take are refused before
// anything is sent.
func TestMemberOperationsRefuseBadMembersAndStatuses(t *testing.T) {
	bad := map[string]string{
		"empty": "", "slash": "a/b", "dot dot": "..", "space": "a b", "quote": `a"b`,
		"65 bytes": strings.Repeat("p", 65), "10 KiB": strings.Repeat("p", 10<<10), "unicode": "é", "newline": "a\nb",
	}
	for name, member := range bad {
		t.Run("add, "+name, func(t *testing.T) {
			c := newMockedClient(t)
			out, err := c.AddImageMember(context.Background(), docImageID, member)
			assert.Nil(t, out)
			require.ErrorIs(t, err, ErrInvalidParameter)
			assert.True(t, strings.HasPrefix(err.Error(), "cph: AddImageMember: invalid parameter: member project ID "), err.Error())
			assert.Zero(t, httpmock.GetTotalCallCount())
		})
		t.Run("delete, "+name, func(t *testing.T) {
			c := newMockedClient(t)
			out, err := c.DeleteImageMember(context.Background(), docImageID, member)
			assert.Nil(t, out)
			require.ErrorIs(t, err, ErrInvalidParameter)
			assert.True(t, strings.HasPrefix(err.Error(), "cph: DeleteImageMember: invalid parameter: member project ID "), err.Error())
			assert.Zero(t, httpmock.GetTotalCallCount())
		})
	}
	for _, status := range []MemberStatus{"", "pending", "Accepted", MemberStatus(strings.Repeat("x", 10<<10))} {
		t.Run("update, "+string(status)[:min(len(status), 10)], func(t *testing.T) {
			c := newMockedClient(t)
			out, err := c.UpdateImageMember(context.Background(), docImageID, status)
			assert.Nil(t, out)
			require.ErrorIs(t, err, ErrInvalidParameter)
			assert.True(t, strings.HasPrefix(err.Error(), "cph: UpdateImageMember: invalid parameter: member status "), err.Error())
			assert.Less(t, len(err.Error()), 200)
			assert.Zero(t, httpmock.GetTotalCallCount())
		})
	}
}

// imageIDOperations call each operation that takes an image ID with id.
var imageIDOperations = map[string]func(c *Client, ctx context.Context, id string) (any, error){
	opDeleteImage: func(c *Client, ctx context.Context, id string) (any, error) { return c.DeleteImage(ctx, id) },
	opListImageMembers: func(c *Client, ctx context.Context, id string) (any, error) {
		return c.ListImageMembers(ctx, id)
	},
	opAddImageMember: func(c *Client, ctx context.Context, id string) (any, error) {
		return c.AddImageMember(ctx, id, docMemberID)
	},
	opUpdateImageMember: func(c *Client, ctx context.Context, id string) (any, error) {
		return c.UpdateImageMember(ctx, id, MemberAccepted)
	},
	opDeleteImageMember: func(c *Client, ctx context.Context, id string) (any, error) {
		return c.DeleteImageMember(ctx, id, docMemberID)
	},
}

// TestImageOperationsRefuseBadImageIDs: an image ID that could leave its
// path segment, or names nothing, or is longer than 255 bytes (the longest
// WithImageID takes) or not UTF-8, is refused by every operation before
// anything is sent, with an error that quotes at most the ID's first 64
// bytes.
func TestImageOperationsRefuseBadImageIDs(t *testing.T) {
	for op, call := range imageIDOperations {
		for name, id := range map[string]string{
			"empty": "", "slash": "a/b", "dot dot": "..", "dot": ".", "dot dot inside": "a..b",
			"space": "a b", "tab": "a\tb", "backslash": `a\b`, "NUL": "a\x00b",
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

// TestImageOperationsAnswerErrorIn2xx: a 2xx answer whose body carries an
// error_code is the *APIError it says, for every operation.
func TestImageOperationsAnswerErrorIn2xx(t *testing.T) {
	calls := map[string]func(c *Client) (any, error){
		opListImages: func(c *Client) (any, error) { return c.ListImages(context.Background()) },
		opAllImages: func(c *Client) (any, error) {
			for _, err := range c.AllImages(context.Background()) {
				return nil, err
			}
			return nil, nil
		},
	}
	for op, call := range imageIDOperations {
		calls[op] = func(c *Client) (any, error) { return call(c, context.Background(), docImageID) }
	}
	for op, call := range calls {
		for name, body := range map[string]string{
			"error_code shape": `{"error_code":"CPS.0005","error_msg":"bad image","request_id":"r1"}`,
			"nested shape":     `{"error":{"code":"CPS.0005","message":"bad image"},"request_id":"r1"}`,
		} {
			t.Run(op+", "+name, func(t *testing.T) {
				g := newImageGateway(t)
				for route := range imageRoutes {
					g.answer(route, func(w http.ResponseWriter, _ *http.Request) { writeJSON(w, http.StatusOK, body) })
				}
				c := g.client(t)

				out, err := call(c)

				assert.Nil(t, out)
				var e *APIError
				require.ErrorAs(t, err, &e)
				wantOp := op
				if op == opAllImages {
					wantOp = opListImages // the operation whose answer it was
				}
				assert.Equal(t, wantOp, e.Operation)
				assert.Equal(t, http.StatusOK, e.StatusCode)
				assert.Equal(t, "CPS.0005", e.Code)
				assert.Equal(t, "bad image", e.Message)
				assert.Equal(t, "r1", e.RequestID)
				assert.Equal(t, 1, g.Served(), "not retried")
			})
		}
	}
}

// TestAddImageMemberBodyIsJSON: the body is the JSON encoding of the
// member, whatever ID it is (only project IDs get that far).
func TestAddImageMemberBodyIsJSON(t *testing.T) {
	g := newImageGateway(t)
	c := g.client(t)
	id := "Ab-_" + strings.Repeat("9", 60)

	_, err := c.AddImageMember(context.Background(), docImageID, id)

	require.NoError(t, err)
	var body struct{ Member string }
	require.NoError(t, json.Unmarshal(g.Requests()[0].Body, &body))
	assert.Equal(t, id, body.Member)
}
