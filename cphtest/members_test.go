package cphtest_test

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/cph-go/cph"
	"github.com/cph-go/cph/cphtest"
)

const membersPath = customImagesPath + "/img/members"

// shareServer holds the default project's image "img", and project B.
func shareServer(t *testing.T) *cphtest.Server {
	t.Helper()
	srv := newServer(t, cphtest.WithCustomImages(cph.Image{ID: "img"}))
	srv.AddProject(projectB, credsB)
	return srv
}

func addBody(member string) string { return `{"member":"` + member + `"}` }

// Hostile requests, signed by hand: what a client library would refuse to
// send, and the answers the server gives.
func TestMembers_HostileRequests(t *testing.T) {
	bodyHashMismatch := addBody(projectB + "x")
	tests := map[string]struct {
		who        string // "owner" or "B"
		method     string
		path       string
		body       string
		sentBody   *string
		wantStatus int
		wantCode   string
	}{
		"add: body not JSON":           {"owner", "POST", membersPath, `{"member":`, nil, 400, cphtest.CodeInvalidParameter},
		"add: body an array":           {"owner", "POST", membersPath, `["` + projectB + `"]`, nil, 400, cphtest.CodeInvalidParameter},
		"add: trailing garbage":        {"owner", "POST", membersPath, addBody(projectB) + ` {}`, nil, 400, cphtest.CodeInvalidParameter},
		"add: no body":                 {"owner", "POST", membersPath, "", nil, 400, cphtest.CodeInvalidParameter},
		"add: member a number":         {"owner", "POST", membersPath, `{"member":42}`, nil, 400, cphtest.CodeInvalidParameter},
		"add: member empty":            {"owner", "POST", membersPath, addBody(""), nil, 400, cphtest.CodeInvalidParameter},
		"add: member missing":          {"owner", "POST", membersPath, `{}`, nil, 400, cphtest.CodeInvalidParameter},
		"add: the owner itself":        {"owner", "POST", membersPath, addBody(cphtest.DefaultProjectID), nil, 400, cphtest.CodeInvalidParameter},
		"add: body hash mismatch":      {"owner", "POST", membersPath, addBody(projectB), &bodyHashMismatch, 401, cphtest.CodeAuthFailed},
		"add: unknown image":           {"owner", "POST", customImagesPath + "/nope/members", addBody(projectB), nil, 404, cphtest.CodeImageNotFound},
		"update: unknown status":       {"B", "PUT", membersPath, `{"status":"maybe"}`, nil, 400, cphtest.CodeInvalidStatus},
		"update: status in upper case": {"B", "PUT", membersPath, `{"status":"ACCEPTED"}`, nil, 400, cphtest.CodeInvalidStatus},
		"update: status a number":      {"B", "PUT", membersPath, `{"status":1}`, nil, 400, cphtest.CodeInvalidParameter},
		"update: bad JSON":             {"B", "PUT", membersPath, `status=accepted`, nil, 400, cphtest.CodeInvalidParameter},
		"update: body hash mismatch":   {"B", "PUT", membersPath, `{"status":"accepted"}`, ptr(`{"status":"rejected"}`), 401, cphtest.CodeAuthFailed},
		"update: not shared with B":    {"B", "PUT", customImagesPath + "/other/members", `{"status":"accepted"}`, nil, 404, cphtest.CodeImageNotFound},
		"update: by the owner":         {"owner", "PUT", membersPath, `{"status":"accepted"}`, nil, 404, cphtest.CodeImageNotFound},
		"list: unknown image":          {"owner", "GET", customImagesPath + "/nope/members", "", nil, 404, cphtest.CodeImageNotFound},
		"list: not the owner":          {"B", "GET", membersPath, "", nil, 404, cphtest.CodeImageNotFound},
		"delete member: not a member":  {"owner", "DELETE", membersPath + "/" + projectB, "", nil, 404, cphtest.CodeMemberNotFound},
		"delete member: unknown image": {"owner", "DELETE", customImagesPath + "/nope/members/" + projectB, "", nil, 404, cphtest.CodeImageNotFound},
		"delete image: unknown":        {"owner", "DELETE", customImagesPath + "/nope", "", nil, 404, cphtest.CodeImageNotFound},
		"delete image: another's":      {"B", "DELETE", customImagesPath + "/img", "", nil, 404, cphtest.CodeImageNotFound},
		"GET of one image: not served": {"owner", "GET", customImagesPath + "/img", "", nil, 404, cphtest.CodeAPINotFound},
		"PATCH members: not served":    {"owner", "PATCH", membersPath, `{}`, nil, 404, cphtest.CodeAPINotFound},
	}
	for name, tt := range tests {
		t.Run(name, func(t *testing.T) {
			srv := shareServer(t)
			who := owner(srv)
			if tt.who == "B" {
				who = as{projectB, credsB}
			}
			status, h, body := rawRequest{method: tt.method, path: tt.path, creds: who.creds, project: who.project,
				body: tt.body, sentBody: tt.sentBody}.do(t, srv)
			assert.Equal(t, tt.wantStatus, status, "%s", body)
			assert.Equal(t, tt.wantCode, requireError(t, h, body).Code)
			assert.Empty(t, as{projectB, credsB}.list(t, srv, nil).Images, "nothing was shared")
			if tt.method != http.MethodGet {
				reqs := srv.Requests()
				require.NotEmpty(t, reqs)
				sent := tt.body
				if tt.sentBody != nil {
					sent = *tt.sentBody
				}
				first := reqs[0]
				assert.Equal(t, tt.method, first.Method)
				if sent == "" {
					assert.Nil(t, first.Body)
				} else {
					assert.Equal(t, sent, string(first.Body), "recorded as received")
				}
			}
		})
	}
}

// Adding a member twice is refused, whatever the member answered; an
// image has at most 10 members; the owner may add a project again after
// removing it.
func TestAddImageMember_ExistsAndLimit(t *testing.T) {
	srv := shareServer(t)
	a, b := owner(srv), as{projectB, credsB}
	status, _, body := a.do(t, srv, http.MethodPost, membersPath, nil, addBody(projectB))
	require.Equal(t, http.StatusOK, status, "%s", body)
	for _, answer := range []string{"", "accepted", "rejected"} {
		if answer != "" {
			status, _, body = b.do(t, srv, http.MethodPut, membersPath, nil, `{"status":"`+answer+`"}`)
			require.Equal(t, http.StatusOK, status, "%s", body)
		}
		status, h, body := a.do(t, srv, http.MethodPost, membersPath, nil, addBody(projectB))
		assert.Equal(t, http.StatusConflict, status, "after %q", answer)
		assert.Equal(t, cphtest.CodeMemberExists, requireError(t, h, body).Code)
	}

	for i := 2; i <= cphtest.MaxImageMembers; i++ {
		status, _, body := a.do(t, srv, http.MethodPost, membersPath, nil, addBody(fmt.Sprintf("%032d", i)))
		require.Equal(t, http.StatusOK, status, "member %d: %s", i, body)
	}
	status, h, body := a.do(t, srv, http.MethodPost, membersPath, nil, addBody(fmt.Sprintf("%032d", 11)))
	assert.Equal(t, http.StatusBadRequest, status)
	assert.Equal(t, cphtest.CodeMemberLimit, requireError(t, h, body).Code)
	status, h, body = a.do(t, srv, http.MethodPost, membersPath, nil, addBody(projectB))
	assert.Equal(t, http.StatusConflict, status, "a member already there is that, even on a full image")
	assert.Equal(t, cphtest.CodeMemberExists, requireError(t, h, body).Code)

	var members struct {
		Members []struct {
			ImageID    string          `json:"image_id"`
			MemberID   string          `json:"member_id"`
			CreateTime json.RawMessage `json:"create_time"`
		} `json:"members"`
		RequestID *string `json:"request_id"`
	}
	status, _, body = a.do(t, srv, http.MethodGet, membersPath, nil, "")
	require.Equal(t, http.StatusOK, status)
	require.NoError(t, json.Unmarshal(body, &members))
	require.Len(t, members.Members, cphtest.MaxImageMembers)
	assert.Equal(t, projectB, members.Members[0].MemberID, "oldest first")
	assert.Equal(t, fmt.Sprintf("%032d", 10), members.Members[9].MemberID)
	assert.NotEqual(t, byte('"'), members.Members[0].CreateTime[0], "member times are JSON numbers")
	assert.Nil(t, members.RequestID, "the documented answer has none")
	status, _, body = a.do(t, srv, http.MethodGet, membersPath, url.Values{"limit": {"1"}, "marker": {projectB}}, "")
	require.Equal(t, http.StatusOK, status)
	require.NoError(t, json.Unmarshal(body, &members))
	assert.Len(t, members.Members, cphtest.MaxImageMembers, "marker and limit are not served")

	status, _, _ = a.do(t, srv, http.MethodDelete, membersPath+"/"+projectB, nil, "")
	require.Equal(t, http.StatusOK, status)
	status, _, body = a.do(t, srv, http.MethodPost, membersPath, nil, addBody(projectB))
	assert.Equal(t, http.StatusOK, status, "room again, and B no longer a member: %s", body)
}

// A share answered "accepted" is visible to the member; answered again
// "rejected", it is not; a pending one never is. Every share of the image
// with the member is answered at once.
func TestUpdateImageMember_Answers(t *testing.T) {
	srv := shareServer(t)
	a, b := owner(srv), as{projectB, credsB}
	status, _, _ := a.do(t, srv, http.MethodPost, membersPath, nil, addBody(projectB))
	require.Equal(t, http.StatusOK, status)
	for _, step := range []struct {
		answer  string
		visible bool
	}{{"", false}, {"rejected", false}, {"accepted", true}, {"accepted", true}, {"rejected", false}, {"accepted", true}} {
		if step.answer != "" {
			status, h, body := b.do(t, srv, http.MethodPut, membersPath, nil, `{"status":"`+step.answer+`"}`)
			require.Equal(t, http.StatusOK, status, "%s", body)
			var done struct {
				RequestID string `json:"request_id"`
			}
			require.NoError(t, json.Unmarshal(body, &done))
			assert.Equal(t, h.Get("X-Request-Id"), done.RequestID)
		}
		ids := b.list(t, srv, nil).ids()
		phone, err := newClientFor(t, srv, projectB).ListPhoneImages(ctx(t), cph.WithImageType(cph.ImageTypeShared))
		require.NoError(t, err)
		if step.visible {
			assert.Equal(t, []string{"img"}, ids, "after %q", step.answer)
			assert.Equal(t, []string{"img"}, imageIDs(phone.Images))
		} else {
			assert.Empty(t, ids, "after %q", step.answer)
			assert.Empty(t, phone.Images)
		}
	}
}

// How an accepted share is listed among the member's phone images.
func TestListPhoneImages_AcceptedShare(t *testing.T) {
	srv := newServer(t,
		cphtest.WithImages(publicImage, privateImage),
		cphtest.WithSharedImages(sharedPub),
		cphtest.WithCustomImages(cph.Image{ID: "img", Name: "golden", Version: "AOSP10", Status: cph.ImageStatusAvailable}),
	)
	srv.AddProject(projectB, credsB)
	status, _, _ := owner(srv).do(t, srv, http.MethodPost, membersPath, nil, addBody(projectB))
	require.Equal(t, http.StatusOK, status)
	status, _, _ = as{projectB, credsB}.do(t, srv, http.MethodPut, membersPath, nil, `{"status":"accepted"}`)
	require.Equal(t, http.StatusOK, status)

	b := newClientFor(t, srv, projectB)
	want := cph.PhoneImage{ID: "img", Name: "golden", OSType: "aosp", OSName: "AOSP10",
		Visibility: cph.VisibilityPrivate, Label: cph.LabelCloudPhone}
	tests := map[cph.ImageType][]cph.PhoneImage{
		"":                   {publicImage, want},
		cph.ImageTypeAll:     {publicImage, want},
		cph.ImageTypeShared:  {want},
		cph.ImageTypePublic:  {publicImage},
		cph.ImageTypePrivate: {},
	}
	for imageType, wantImages := range tests {
		t.Run("B, "+string(imageType), func(t *testing.T) {
			out, err := b.ListPhoneImages(ctx(t), cph.WithImageType(imageType))
			require.NoError(t, err)
			assert.Equal(t, wantImages, out.Images, "B sees the public images, and the accepted share as shared")
		})
	}
	out, err := newClient(t, srv).ListPhoneImages(ctx(t))
	require.NoError(t, err)
	assert.Equal(t, []string{"pub", "priv", "shared-pub"}, imageIDs(out.Images), "the owner's list is unchanged")
	assert.Equal(t, []cph.PhoneImage{publicImage, privateImage, sharedPub}, srv.Images(), "Images is the default project's seed")
}

// newClientFor returns a cph client of project of srv.
func newClientFor(t *testing.T, srv *cphtest.Server, project string) *cph.Client {
	t.Helper()
	c, err := cph.NewClient(srv.ClientOptionsFor(project)...)
	require.NoError(t, err)
	return c
}

// Every new operation is recorded under its path, with its body.
func TestRequests_RecordTheCustomImageOperations(t *testing.T) {
	srv := shareServer(t)
	a, b := owner(srv), as{projectB, credsB}
	calls := []struct {
		who          as
		method, path string
		body         string
	}{
		{a, "GET", customImagesPath, ""},
		{a, "POST", membersPath, addBody(projectB)},
		{b, "PUT", membersPath, `{"status":"accepted"}`},
		{a, "GET", membersPath, ""},
		{a, "DELETE", membersPath + "/" + projectB, ""},
		{a, "DELETE", customImagesPath + "/img", ""},
	}
	for _, c := range calls {
		status, _, body := c.who.do(t, srv, c.method, c.path, nil, c.body)
		require.Equal(t, http.StatusOK, status, "%s %s: %s", c.method, c.path, body)
	}
	reqs := srv.Requests()
	require.Len(t, reqs, len(calls))
	for i, c := range calls {
		assert.Equal(t, c.method, reqs[i].Method)
		assert.Equal(t, strings.ReplaceAll(c.path, "{project_id}", c.who.project), reqs[i].Path)
		if c.body == "" {
			assert.Nil(t, reqs[i].Body)
		} else {
			assert.JSONEq(t, c.body, string(reqs[i].Body))
			assert.Equal(t, "application/json", reqs[i].Header.Get("Content-Type"))
		}
	}
}
