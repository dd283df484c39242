package cph

import (
	"context"
	"net/http"
	"syscall"
	"testing"

	"github.com/cph-go/cph/internal/fakegw"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// The retries of the image-management operations: GET, PUT and DELETE
// are retried as ListPhoneImages is; AddImageMember, a POST, only when it
// is certain the service never acted on it; and a resent AddImageMember
// that meets "already a member" succeeds.

// imageOperations call each image-management operation once on the
// documented image (AllImages through its first page).
var imageOperations = map[string]func(c *Client) error{
	opListImages: func(c *Client) error { _, err := c.ListImages(context.Background()); return err },
	opDeleteImage: func(c *Client) error {
		_, err := c.DeleteImage(context.Background(), docImageID)
		return err
	},
	opListImageMembers: func(c *Client) error {
		_, err := c.ListImageMembers(context.Background(), docImageID)
		return err
	},
	opAddImageMember: func(c *Client) error {
		_, err := c.AddImageMember(context.Background(), docImageID, docMemberID)
		return err
	},
	opUpdateImageMember: func(c *Client) error {
		_, err := c.UpdateImageMember(context.Background(), docImageID, MemberRejected)
		return err
	},
	opDeleteImageMember: func(c *Client) error {
		_, err := c.DeleteImageMember(context.Background(), docImageID, docMemberID)
		return err
	},
}

func TestImageOperationsRetries(t *testing.T) {
	faults := map[string]struct {
		fault    fakegw.Fault
		wantPost int // requests of AddImageMember, whose success is then decided by whether the last is the good one
	}{
		"503":                    {fakegw.Fault{Status: 503, Code: "CPS.0001", Message: "busy"}, 1},
		"500 HTML":               {fakegw.Fault{Status: 500, Body: "<html>oops</html>"}, 1},
		"reset after sending":    {fakegw.Fault{Reset: true}, 1},
		"answer cut off":         {fakegw.Fault{Truncate: true}, 1},
		"429 throttled":          {fakegw.Fault{Status: 429, Code: "APIGW.0308", Message: "throttled"}, 3},
		"throttling code on 400": {fakegw.Fault{Status: 400, Code: "APIG.0308", Message: "throttled"}, 3},
	}
	for op, call := range imageOperations {
		for name, tc := range faults {
			t.Run(op+", "+name, func(t *testing.T) {
				g := newImageGateway(t)
				c := g.client(t)
				f := tc.fault
				f.Operation = op
				g.InjectFault(2, f) // two failures, then the documented answer

				err := call(c)

				if op != opAddImageMember {
					require.NoError(t, err, "retried past two failures")
					assert.Equal(t, 3, g.Served())
					return
				}
				assert.Equal(t, tc.wantPost, g.Served(), "%v", err)
				if tc.wantPost == 1 {
					require.Error(t, err, "a POST that may have reached the service is not resent")
				} else {
					require.NoError(t, err, "the gateway did not pass a throttled POST on: resent")
				}
			})
		}
		t.Run(op+", 400 not retried", func(t *testing.T) {
			g := newImageGateway(t)
			c := g.client(t)
			g.InjectFault(1, fakegw.Fault{Operation: op, Status: 400, Code: "CPS.0005", Message: "bad"})

			err := call(c)

			var e *APIError
			require.ErrorAs(t, err, &e)
			assert.Equal(t, op, e.Operation)
			assert.Equal(t, 1, e.Attempts)
			assert.Equal(t, 1, g.Served())
		})
	}
}

// TestAddImageMemberResentOnRefusedConnection: a refused connection is
// certain not to have reached the service, so the POST is resent.
func TestAddImageMemberResentOnRefusedConnection(t *testing.T) {
	c, dials := newClosedPortClient(t)

	_, err := c.AddImageMember(context.Background(), docImageID, docMemberID)

	require.ErrorIs(t, err, syscall.ECONNREFUSED)
	assert.Contains(t, err.Error(), "cph: AddImageMember: after 3 attempts")
	assert.Equal(t, 3, dials(), "each attempt dialled")
}

// TestAddImageMemberAlreadyAMember: when a resent AddImageMember gets a
// 4xx, the members are listed; the call succeeds if the project is one,
// with the list's request ID. A 4xx of the first attempt, an
// authentication or throttling failure, a 2xx answer's error_code, or a
// member that is not listed, is returned as it is.
func TestAddImageMemberAlreadyAMember(t *testing.T) {
	tests := map[string]struct {
		faults      []fakegw.Fault // the AddImageMember answers, in order
		members     string         // ListImageMembers' answer; "" for the documented one
		wantOK      bool
		wantMethods []string
		wantCode    string
	}{
		"resent, member listed": {
			faults:      []fakegw.Fault{{Status: 429, Code: "APIGW.0308"}, {Status: 400, Code: "CPS.0209", Message: "already shared"}},
			wantOK:      true,
			wantMethods: []string{"POST", "POST", "GET"},
		},
		"resent after a refusal of the gateway, 409": {
			faults:      []fakegw.Fault{{Status: 429, Code: "APIGW.0308"}, {Status: 409, Code: "CPS.0409", Message: "exists"}},
			wantOK:      true,
			wantMethods: []string{"POST", "POST", "GET"},
		},
		"resent, member not listed": {
			faults:      []fakegw.Fault{{Status: 429, Code: "APIGW.0308"}, {Status: 400, Code: "CPS.0209", Message: "already shared"}},
			members:     `{"members":[{"image_id":"` + docImageID + `","member_id":"someoneelse"}]}`,
			wantMethods: []string{"POST", "POST", "GET"},
			wantCode:    "CPS.0209",
		},
		"resent, the list fails": {
			faults:      []fakegw.Fault{{Status: 429, Code: "APIGW.0308"}, {Status: 400, Code: "CPS.0209", Message: "already shared"}},
			members:     "fail",
			wantMethods: []string{"POST", "POST", "GET"},
			wantCode:    "CPS.0209",
		},
		"first attempt 400": {
			faults:      []fakegw.Fault{{Status: 400, Code: "CPS.0209", Message: "already shared"}},
			wantMethods: []string{"POST"},
			wantCode:    "CPS.0209",
		},
		"resent, then an auth failure": {
			faults:      []fakegw.Fault{{Status: 429, Code: "APIGW.0308"}, {Status: 403, Code: "APIGW.0302", Message: "denied"}},
			wantMethods: []string{"POST", "POST"},
			wantCode:    "APIGW.0302",
		},
		"throttled to the end": {
			faults:      []fakegw.Fault{{Status: 429, Code: "APIGW.0308"}, {Status: 429, Code: "APIGW.0308"}, {Status: 429, Code: "APIGW.0308"}},
			wantMethods: []string{"POST", "POST", "POST"},
			wantCode:    "APIGW.0308",
		},
		"resent, then a 2xx with an error_code": {
			faults:      []fakegw.Fault{{Status: 429, Code: "APIGW.0308"}, {Status: 200, Body: `{"error_code":"CPS.0209","error_msg":"already shared"}`}},
			wantMethods: []string{"POST", "POST"},
			wantCode:    "CPS.0209",
		},
		"resent, then a 5xx": {
			faults:      []fakegw.Fault{{Status: 429, Code: "APIGW.0308"}, {Status: 503, Code: "CPS.0001", Message: "busy"}},
			wantMethods: []string{"POST", "POST"},
			wantCode:    "CPS.0001",
		},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			g := newImageGateway(t)
			for _, f := range tc.faults {
				f.Operation = opAddImageMember
				g.InjectFault(1, f)
			}
			switch tc.members {
			case "":
			case "fail":
				g.InjectFault(3, fakegw.Fault{Operation: opListImageMembers, Status: 500})
			default:
				g.answer(opListImageMembers, func(w http.ResponseWriter, _ *http.Request) { writeJSON(w, 200, tc.members) })
			}
			c := g.client(t)

			out, err := c.AddImageMember(context.Background(), docImageID, docMemberID)

			if tc.wantOK {
				require.NoError(t, err)
				assert.Equal(t, "gw-3", out.RequestID, "the list call's request ID")
			} else {
				assert.Nil(t, out)
				var e *APIError
				require.ErrorAs(t, err, &e)
				assert.Equal(t, opAddImageMember, e.Operation)
				assert.Equal(t, tc.wantCode, e.Code)
			}
			methods := g.methods()
			if tc.members == "fail" {
				methods = methods[:3] // the list is retried: its first request is the one that counts here
			}
			assert.Equal(t, tc.wantMethods, methods)
		})
	}
}
