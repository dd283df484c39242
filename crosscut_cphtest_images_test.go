package cph_test

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/cph-go/cph"
	"github.com/cph-go/cph/cphtest"
)

// The image-management operations of the library against cphtest: what a
// user of both sees, signing (body hash included) verified by cphtest on
// every request.

// projectB is a second project, with its own account's keys.
const projectB = "0b2c3d4e5f60718293a4b5c6d7e8f901"

var credsB = cph.Credentials{AccessKey: "PROJECTBACCESSKEY000", SecretKey: "project-b-secret-key-not-a-real-secret-0"}

// day returns midnight UTC of the given date.
func day(y int, m time.Month, d int) time.Time { return time.Date(y, m, d, 0, 0, 0, 0, time.UTC) }

// newCphtestClientFor returns a client of srv acting as project, with fast
// retries.
func newCphtestClientFor(t *testing.T, srv *cphtest.Server, project string, opts ...cph.Option) *cph.Client {
	t.Helper()
	c, err := cph.NewClient(append(append(srv.ClientOptionsFor(project), cph.WithBackoff(time.Millisecond, 5*time.Millisecond)), opts...)...)
	require.NoError(t, err)
	return c
}

// ids returns the IDs of imgs, in order.
func ids(imgs []cph.Image) []string {
	out := make([]string, 0, len(imgs))
	for _, img := range imgs {
		out = append(out, img.ID)
	}
	return out
}

// numberedImages returns n images of the default project, img-000 on.
func numberedImages(n int) []cph.Image {
	imgs := make([]cph.Image, n)
	for i := range imgs {
		imgs[i] = cph.Image{ID: fmt.Sprintf("img-%03d", i), Name: fmt.Sprintf("n%03d", i), Status: cph.ImageStatusAvailable}
	}
	return imgs
}

// listRequests returns the query of every ListImages request srv received.
func listRequests(srv *cphtest.Server) []url.Values {
	var out []url.Values
	for _, r := range srv.Requests() {
		if r.Method == http.MethodGet && r.Path == "/v1/"+srv.ProjectID()+"/cloud-phone/images" {
			out = append(out, r.Query)
		}
	}
	return out
}

// newImagesServer serves four images of the default project (A) and one
// of projectB that B shares with A and A accepted.
func newImagesServer(t *testing.T) (*cphtest.Server, *cph.Client) {
	t.Helper()
	srv := cphtest.NewServer(cphtest.WithCustomImages(
		cph.Image{ID: "img-a1", Name: "alpha", Version: "AOSP10", Status: cph.ImageStatusAvailable, SizeBytes: 1 << 30,
			DomainID: "domain-a", Created: day(2024, 1, 1), Updated: day(2024, 1, 2)},
		cph.Image{ID: "img-a2", Name: "beta", Status: cph.ImageStatusCreating, Created: day(2024, 2, 1)},
		cph.Image{ID: "img-a3", Name: "gamma", Status: cph.ImageStatusFailed, Created: day(2024, 3, 1)},
		cph.Image{ID: "img-a4", Name: "delta", Status: cph.ImageStatusAvailable, CreatedRaw: "yesterday", UpdatedRaw: "2024-04-17T10:13:38.058+08:00"},
		cph.Image{ID: "img-b1", Name: "bravo", Status: cph.ImageStatusAvailable, ProjectID: projectB, Created: day(2023, 12, 1)},
	))
	t.Cleanup(srv.Close)
	srv.AddProject(projectB, credsB)
	a := newCphtestClient(t, srv)
	b := newCphtestClientFor(t, srv, projectB)
	_, err := b.AddImageMember(context.Background(), "img-b1", srv.ProjectID())
	require.NoError(t, err)
	_, err = a.UpdateImageMember(context.Background(), "img-b1", cph.MemberAccepted)
	require.NoError(t, err)
	return srv, a
}

// TestCphtestListImagesFilters: each filter of ListImages, and paging,
// against cphtest: the images that match, and Total on every page.
func TestCphtestListImagesFilters(t *testing.T) {
	_, a := newImagesServer(t)
	tests := map[string]struct {
		opts      []cph.ListOption
		want      []string
		wantTotal int
	}{
		"no filter":               {want: []string{"img-a1", "img-a2", "img-a3", "img-a4", "img-b1"}, wantTotal: 5},
		"private":                 {opts: []cph.ListOption{cph.WithImageType(cph.ImageTypePrivate)}, want: []string{"img-a1", "img-a2", "img-a3", "img-a4"}, wantTotal: 4},
		"share":                   {opts: []cph.ListOption{cph.WithImageType(cph.ImageTypeShared)}, want: []string{"img-b1"}, wantTotal: 1},
		"available":               {opts: []cph.ListOption{cph.WithImageStatus(cph.ImageStatusAvailable)}, want: []string{"img-a1", "img-a4", "img-b1"}, wantTotal: 3},
		"creating":                {opts: []cph.ListOption{cph.WithImageStatus(cph.ImageStatusCreating)}, want: []string{"img-a2"}, wantTotal: 1},
		"failed":                  {opts: []cph.ListOption{cph.WithImageStatus(cph.ImageStatusFailed)}, want: []string{"img-a3"}, wantTotal: 1},
		"name":                    {opts: []cph.ListOption{cph.WithImageName("beta")}, want: []string{"img-a2"}, wantTotal: 1},
		"id":                      {opts: []cph.ListOption{cph.WithImageID("img-a3")}, want: []string{"img-a3"}, wantTotal: 1},
		"unknown id":              {opts: []cph.ListOption{cph.WithImageID("img-zz")}, want: []string{}, wantTotal: 0},
		"created between":         {opts: []cph.ListOption{cph.WithCreatedBetween(day(2024, 1, 15), day(2024, 3, 1))}, want: []string{"img-a2", "img-a3"}, wantTotal: 2},
		"created since":           {opts: []cph.ListOption{cph.WithCreatedBetween(day(2024, 2, 1), time.Time{})}, want: []string{"img-a2", "img-a3"}, wantTotal: 2},
		"created until":           {opts: []cph.ListOption{cph.WithCreatedBetween(time.Time{}, day(2024, 1, 1))}, want: []string{"img-a1", "img-b1"}, wantTotal: 2},
		"source project":          {opts: []cph.ListOption{cph.WithSourceProject(projectB)}, want: []string{"img-b1"}, wantTotal: 1},
		"filters combined":        {opts: []cph.ListOption{cph.WithImageType(cph.ImageTypePrivate), cph.WithImageStatus(cph.ImageStatusAvailable)}, want: []string{"img-a1", "img-a4"}, wantTotal: 2},
		"first page":              {opts: []cph.ListOption{cph.WithLimit(2)}, want: []string{"img-a1", "img-a2"}, wantTotal: 5},
		"second page":             {opts: []cph.ListOption{cph.WithLimit(2), cph.WithOffset(2)}, want: []string{"img-a3", "img-a4"}, wantTotal: 5},
		"last page, short":        {opts: []cph.ListOption{cph.WithLimit(2), cph.WithOffset(4)}, want: []string{"img-b1"}, wantTotal: 5},
		"past the end":            {opts: []cph.ListOption{cph.WithOffset(10)}, want: []string{}, wantTotal: 5},
		"filtered page":           {opts: []cph.ListOption{cph.WithImageType(cph.ImageTypePrivate), cph.WithLimit(3), cph.WithOffset(1)}, want: []string{"img-a2", "img-a3", "img-a4"}, wantTotal: 4},
		"limit 100, offset 0 set": {opts: []cph.ListOption{cph.WithLimit(100), cph.WithOffset(0)}, want: []string{"img-a1", "img-a2", "img-a3", "img-a4", "img-b1"}, wantTotal: 5},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			out, err := a.ListImages(context.Background(), tc.opts...)

			require.NoError(t, err)
			assert.Equal(t, tc.want, ids(out.Images))
			assert.Equal(t, tc.wantTotal, out.Total)
			assert.NotEmpty(t, out.RequestID)
		})
	}
}

// TestCphtestListImagesFields: every field of an image as the library
// reads cphtest's answer; a time in a form the library does not read is
// zero, its text in the Raw field, and the call succeeds.
func TestCphtestListImagesFields(t *testing.T) {
	srv, a := newImagesServer(t)

	out, err := a.ListImages(context.Background())

	require.NoError(t, err)
	require.Len(t, out.Images, 5)
	assert.Equal(t, cph.Image{
		ID: "img-a1", Name: "alpha", Version: "AOSP10", Type: cph.ImageTypePrivate, Status: cph.ImageStatusAvailable,
		SizeBytes: 1 << 30, DomainID: "domain-a", ProjectID: srv.ProjectID(),
		Created: day(2024, 1, 1), Updated: day(2024, 1, 2), CreatedRaw: "1704067200000", UpdatedRaw: "1704153600000",
	}, out.Images[0])
	unread := out.Images[3]
	assert.True(t, unread.Created.IsZero(), "a form the library does not read")
	assert.Equal(t, "yesterday", unread.CreatedRaw, "kept as it came")
	assert.Equal(t, time.Date(2024, 4, 17, 2, 13, 38, 58e6, time.UTC), unread.Updated, "RFC 3339 read, in UTC")
	assert.Equal(t, "2024-04-17T10:13:38.058+08:00", unread.UpdatedRaw)
	shared := out.Images[4]
	assert.Equal(t, cph.ImageTypeShared, shared.Type)
	assert.Equal(t, projectB, shared.SourceProjectID)
	assert.Empty(t, shared.ProjectID)
}

// TestCphtestListImagesRefusedBeforeSending: bad options never reach the
// server.
func TestCphtestListImagesRefusedBeforeSending(t *testing.T) {
	srv := cphtest.NewServer()
	defer srv.Close()
	c := newCphtestClient(t, srv)
	for name, opt := range map[string]cph.ListOption{
		"limit 0":        cph.WithLimit(0),
		"limit 101":      cph.WithLimit(101),
		"negative":       cph.WithOffset(-1),
		"inverted range": cph.WithCreatedBetween(day(2024, 2, 1), day(2024, 1, 1)),
		"public":         cph.WithImageType(cph.ImageTypePublic),
	} {
		t.Run(name, func(t *testing.T) {
			_, err := c.ListImages(context.Background(), opt)
			assert.ErrorIs(t, err, cph.ErrInvalidParameter)
			for _, err := range c.AllImages(context.Background(), opt) {
				assert.ErrorIs(t, err, cph.ErrInvalidParameter)
			}
		})
	}
	assert.Empty(t, srv.Requests())
}

// TestCphtestAllImagesPages: 250 images in pages of 100 are three
// requests, at offsets 0, 100 and 200, and every image once, in order.
func TestCphtestAllImagesPages(t *testing.T) {
	seeded := numberedImages(250)
	srv := cphtest.NewServer(cphtest.WithCustomImages(seeded...))
	defer srv.Close()
	c := newCphtestClient(t, srv)

	var got []cph.Image
	for img, err := range c.AllImages(context.Background(), cph.WithLimit(100)) {
		require.NoError(t, err)
		got = append(got, img)
	}

	assert.Equal(t, ids(seeded), ids(got), "all 250, each once, in order")
	queries := listRequests(srv)
	require.Len(t, queries, 3)
	assert.Len(t, srv.Requests(), 3, "no other request")
	for i, wantOffset := range []string{"", "100", "200"} { // offset 0 is the default: not sent
		assert.Equal(t, wantOffset, queries[i].Get("offset"), "page %d", i)
		assert.Equal(t, "100", queries[i].Get("limit"), "page %d", i)
	}
}

// TestCphtestAllImagesEarlyBreak: breaking out of the loop sends no
// further request.
func TestCphtestAllImagesEarlyBreak(t *testing.T) {
	for name, tc := range map[string]struct{ stopAfter, wantRequests int }{
		"after the first image":      {stopAfter: 1, wantRequests: 1},
		"at the end of page 1":       {stopAfter: 100, wantRequests: 1},
		"in page 2":                  {stopAfter: 150, wantRequests: 2},
		"at the first image of page": {stopAfter: 101, wantRequests: 2},
	} {
		t.Run(name, func(t *testing.T) {
			srv := cphtest.NewServer(cphtest.WithCustomImages(numberedImages(250)...))
			defer srv.Close()
			c := newCphtestClient(t, srv)

			n := 0
			for _, err := range c.AllImages(context.Background(), cph.WithLimit(100)) {
				require.NoError(t, err)
				n++
				if n == tc.stopAfter {
					break
				}
			}

			assert.Equal(t, tc.stopAfter, n)
			assert.Len(t, srv.Requests(), tc.wantRequests)
		})
	}
}

// TestCphtestAllImagesFailingPage: a page that fails (retries spent)
// yields its error once, and the listing stops there.
func TestCphtestAllImagesFailingPage(t *testing.T) {
	srv := cphtest.NewServer(cphtest.WithCustomImages(numberedImages(250)...))
	defer srv.Close()
	c := newCphtestClient(t, srv)

	var images int
	var errs []error
	for img, err := range c.AllImages(context.Background(), cph.WithLimit(100)) {
		if err != nil {
			errs = append(errs, err)
			assert.Zero(t, img)
			continue
		}
		images++
		if images == 1 { // page 1 is in: fail every attempt of page 2
			srv.InjectFault(3, cphtest.Fault{Operation: "ListImages", Status: 503, Code: "CPS.0503", Message: "busy"})
		}
	}

	assert.Equal(t, 100, images, "page 1 only")
	require.Len(t, errs, 1, "the error once")
	e := requireAPIError(t, errs[0])
	assert.Equal(t, 503, e.StatusCode)
	assert.Equal(t, "CPS.0503", e.Code)
	assert.Equal(t, "ListImages", e.Operation)
	assert.Equal(t, 3, e.Attempts)
	assert.Len(t, srv.Requests(), 4, "page 1, three attempts at page 2, nothing after")
}

// TestCphtestAllImagesListChanges: images added at the front while the
// list is read shift it; AllImages yields no image twice and ends.
func TestCphtestAllImagesListChanges(t *testing.T) {
	seeded := numberedImages(250)
	srv := cphtest.NewServer(cphtest.WithCustomImages(seeded...))
	defer srv.Close()
	c := newCphtestClient(t, srv)
	front := make([]cph.Image, 50)
	for i := range front {
		front[i] = cph.Image{ID: fmt.Sprintf("new-%02d", i)}
	}

	var got []string
	for img, err := range c.AllImages(context.Background(), cph.WithLimit(100)) {
		require.NoError(t, err)
		got = append(got, img.ID)
		if len(got) == 1 {
			srv.SetCustomImages(append(front, seeded...)...)
		}
	}

	assert.Equal(t, ids(seeded), got, "the shifted images once each; those added in front missed")
	assert.Len(t, listRequests(srv), 3, "offsets 0, 100, 200; offset 300 reaches the total")
}

// TestCphtestDeleteImage: a deleted image is gone; deleting it again, or
// an image the project never had, is cphtest's 404 CPS.0030.
func TestCphtestDeleteImage(t *testing.T) {
	srv, a := newImagesServer(t)

	out, err := a.DeleteImage(context.Background(), "img-a2")

	require.NoError(t, err)
	assert.NotEmpty(t, out.RequestID)
	list, err := a.ListImages(context.Background(), cph.WithImageID("img-a2"))
	require.NoError(t, err)
	assert.Empty(t, list.Images)
	assert.Zero(t, list.Total)
	assert.NotContains(t, ids(srv.CustomImages()), "img-a2")
	assert.Contains(t, ids(srv.CustomImages()), "img-a1", "only that one")

	for _, id := range []string{"img-a2", "img-never"} {
		_, err = a.DeleteImage(context.Background(), id)
		var e *cph.APIError
		require.True(t, errors.As(err, &e), "%v", err)
		assert.Equal(t, http.StatusNotFound, e.StatusCode)
		assert.Equal(t, cphtest.CodeImageNotFound, e.Code)
		assert.Equal(t, "DeleteImage", e.Operation)
		assert.Equal(t, 1, e.Attempts, "a 404 is not retried")
		assert.True(t, cph.IsNotFound(err))
	}
}

// requireCode checks that err is an *APIError with status and code.
func requireCode(t *testing.T, err error, status int, code string) *cph.APIError {
	t.Helper()
	e := requireAPIError(t, err)
	assert.Equal(t, status, e.StatusCode, "%v", err)
	assert.Equal(t, code, e.Code, "%v", err)
	return e
}

// sharedPhoneImageIDs returns the IDs of c's phone images of type share.
func sharedPhoneImageIDs(t *testing.T, c *cph.Client) []string {
	t.Helper()
	out, err := c.ListPhoneImages(context.Background(), cph.WithImageType(cph.ImageTypeShared))
	require.NoError(t, err)
	list := []string{}
	for _, img := range out.Images {
		list = append(list, img.ID)
	}
	return list
}

// visibleIDs returns the IDs of c's custom images.
func visibleIDs(t *testing.T, c *cph.Client) []string {
	t.Helper()
	out, err := c.ListImages(context.Background())
	require.NoError(t, err)
	return ids(out.Images)
}

// TestCphtestSharingBetweenProjects: project A shares an image with
// project B; B sees it only once it accepts, and not after it rejects, the
// share ends, or A deletes the image; B can never delete A's image or
// manage its members.
func TestCphtestSharingBetweenProjects(t *testing.T) {
	start := time.Now().Truncate(time.Millisecond)
	srv := cphtest.NewServer(cphtest.WithCustomImages(
		cph.Image{ID: "img-game", Name: "game", Version: "AOSP10", Status: cph.ImageStatusAvailable},
	))
	defer srv.Close()
	srv.AddProject(projectB, credsB)
	a := newCphtestClient(t, srv)
	b := newCphtestClientFor(t, srv, projectB)
	ctx := context.Background()

	_, err := b.DeleteImage(ctx, "img-game")
	requireCode(t, err, http.StatusNotFound, cphtest.CodeImageNotFound) // not offered: B does not know it

	// A shares: pending, invisible to B.
	added, err := a.AddImageMember(ctx, "img-game", projectB)
	require.NoError(t, err)
	assert.NotEmpty(t, added.RequestID)
	assert.Empty(t, visibleIDs(t, b), "pending")
	assert.Empty(t, sharedPhoneImageIDs(t, b), "pending")
	_, err = a.AddImageMember(ctx, "img-game", projectB)
	e := requireCode(t, err, http.StatusConflict, cphtest.CodeMemberExists)
	assert.Equal(t, 1, e.Attempts, "a first attempt's 4xx is the answer: no members listed")

	members, err := a.ListImageMembers(ctx, "img-game")
	require.NoError(t, err)
	require.Len(t, members.Members, 1)
	m := members.Members[0]
	assert.Equal(t, "img-game", m.ImageID)
	assert.Equal(t, projectB, m.ProjectID)
	assert.False(t, m.Created.IsZero(), "create_time parsed")
	assert.False(t, m.Created.Before(start), "by the server's clock: %v", m.Created)
	assert.Equal(t, fmt.Sprint(m.Created.UnixMilli()), m.CreatedRaw, "a JSON number of epoch milliseconds")
	assert.Equal(t, time.UTC, m.Created.Location())
	assert.NotEmpty(t, members.RequestID, "from X-Request-Id: the body has none")

	// B, a member, may not act as the owner.
	_, err = b.DeleteImage(ctx, "img-game")
	e = requireCode(t, err, http.StatusForbidden, cphtest.CodeNoPermission)
	assert.True(t, cph.IsAuthError(e))
	_, err = b.ListImageMembers(ctx, "img-game")
	requireCode(t, err, http.StatusForbidden, cphtest.CodeNoPermission)
	_, err = b.DeleteImageMember(ctx, "img-game", projectB)
	requireCode(t, err, http.StatusForbidden, cphtest.CodeNoPermission)

	// B accepts: visible, as a share from A, in both lists.
	_, err = b.UpdateImageMember(ctx, "img-game", cph.MemberAccepted)
	require.NoError(t, err)
	list, err := b.ListImages(ctx)
	require.NoError(t, err)
	require.Len(t, list.Images, 1)
	img := list.Images[0]
	assert.Equal(t, "img-game", img.ID)
	assert.Equal(t, cph.ImageTypeShared, img.Type)
	assert.Equal(t, srv.ProjectID(), img.SourceProjectID)
	assert.Empty(t, img.ProjectID)
	list, err = b.ListImages(ctx, cph.WithImageType(cph.ImageTypeShared), cph.WithSourceProject(srv.ProjectID()))
	require.NoError(t, err)
	assert.Equal(t, []string{"img-game"}, ids(list.Images))
	assert.Equal(t, []string{"img-game"}, sharedPhoneImageIDs(t, b))
	assert.Equal(t, []string{"img-game"}, visibleIDs(t, a), "A's own list is unchanged")
	_, err = b.DeleteImage(ctx, "img-game")
	requireCode(t, err, http.StatusForbidden, cphtest.CodeNoPermission) // accepted or not

	// B rejects: invisible again.
	_, err = b.UpdateImageMember(ctx, "img-game", cph.MemberRejected)
	require.NoError(t, err)
	assert.Empty(t, visibleIDs(t, b))
	assert.Empty(t, sharedPhoneImageIDs(t, b))
	members, err = a.ListImageMembers(ctx, "img-game")
	require.NoError(t, err)
	assert.Len(t, members.Members, 1, "a rejected share is still a member")
	assert.False(t, members.Members[0].Updated.Before(members.Members[0].Created))

	// A ends the share: no member; B has nothing to answer.
	_, err = b.UpdateImageMember(ctx, "img-game", cph.MemberAccepted)
	require.NoError(t, err)
	_, err = a.DeleteImageMember(ctx, "img-game", projectB)
	require.NoError(t, err)
	members, err = a.ListImageMembers(ctx, "img-game")
	require.NoError(t, err)
	assert.Empty(t, members.Members)
	assert.NotNil(t, members.Members)
	assert.Empty(t, visibleIDs(t, b), "the share ended, accepted or not")
	_, err = b.UpdateImageMember(ctx, "img-game", cph.MemberAccepted)
	requireCode(t, err, http.StatusNotFound, cphtest.CodeImageNotFound)
	_, err = a.DeleteImageMember(ctx, "img-game", projectB)
	requireCode(t, err, http.StatusNotFound, cphtest.CodeMemberNotFound)

	// Shared and accepted again, then A deletes the image: the share ends.
	_, err = a.AddImageMember(ctx, "img-game", projectB)
	require.NoError(t, err)
	_, err = b.UpdateImageMember(ctx, "img-game", cph.MemberAccepted)
	require.NoError(t, err)
	require.Equal(t, []string{"img-game"}, visibleIDs(t, b))
	_, err = a.DeleteImage(ctx, "img-game")
	require.NoError(t, err)
	assert.Empty(t, visibleIDs(t, b))
	assert.Empty(t, sharedPhoneImageIDs(t, b))
	_, err = b.UpdateImageMember(ctx, "img-game", cph.MemberAccepted)
	requireCode(t, err, http.StatusNotFound, cphtest.CodeImageNotFound)

	for _, r := range srv.Requests() {
		if r.Body != nil {
			assert.Equal(t, "application/json", r.Header.Get("Content-Type"), "%s %s", r.Method, r.Path)
		}
	}
}

// actThenFail is a gateway in front of srv that passes the first
// AddImageMember on to srv, so that the service acts on it, and then
// answers the client status and code instead of srv's answer; every
// other request goes through as it is.
type actThenFail struct {
	*httptest.Server
	mu       sync.Mutex
	failed   bool
	upstream int // srv's answer to the request failed
}

func newActThenFail(t *testing.T, srv *cphtest.Server, status int, code string) *actThenFail {
	t.Helper()
	target, err := url.Parse(srv.URL)
	require.NoError(t, err)
	proxy := httputil.NewSingleHostReverseProxy(target) // keeps the Host the client signed
	g := &actThenFail{}
	g.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		g.mu.Lock()
		first := r.Method == http.MethodPost && !g.failed
		g.failed = g.failed || first
		g.mu.Unlock()
		if !first {
			proxy.ServeHTTP(w, r)
			return
		}
		rec := httptest.NewRecorder()
		proxy.ServeHTTP(rec, r)
		g.mu.Lock()
		g.upstream = rec.Code
		g.mu.Unlock()
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(status)
		_, _ = fmt.Fprintf(w, `{"error_code":%q,"error_msg":"injected after the service acted","request_id":"gw-fail"}`, code)
	}))
	t.Cleanup(g.Close)
	return g
}

// upstreamStatus is srv's answer to the request the gateway failed; 0 if
// none was failed yet.
func (g *actThenFail) upstreamStatus() int {
	g.mu.Lock()
	defer g.mu.Unlock()
	return g.upstream
}

// TestCphtestAddImageMemberResentAfterActing: the first AddImageMember
// reaches the service, which shares the image, but the client gets the
// gateway's throttling answer; the client resends, cphtest answers 409
// "already a member", and AddImageMember reports success because the
// member list has the project. A 5xx after the service acted is returned
// at once, not resent.
func TestCphtestAddImageMemberResentAfterActing(t *testing.T) {
	tests := map[string]struct {
		status   int
		code     string
		wantOK   bool
		wantReqs []string // at cphtest
	}{
		"throttled: resent, already a member, listed": {status: 429, code: "APIGW.0308", wantOK: true, wantReqs: []string{"POST", "POST", "GET"}},
		"throttling code on a 400":                    {status: 400, code: "APIG.0308", wantOK: true, wantReqs: []string{"POST", "POST", "GET"}},
		"503: not resent":                             {status: 503, code: "CPS.0503", wantReqs: []string{"POST"}},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			srv := cphtest.NewServer(cphtest.WithCustomImages(cph.Image{ID: "img-game"}))
			defer srv.Close()
			srv.AddProject(projectB, credsB)
			gw := newActThenFail(t, srv, tc.status, tc.code)
			c := newCphtestClient(t, srv, cph.WithEndpoint(gw.URL))

			out, err := c.AddImageMember(context.Background(), "img-game", projectB)

			var methods []string
			for _, r := range srv.Requests() {
				methods = append(methods, r.Method)
			}
			assert.Equal(t, tc.wantReqs, methods)
			assert.Equal(t, http.StatusOK, gw.upstreamStatus(), "the service acted on the first attempt")
			if tc.wantOK {
				require.NoError(t, err)
				assert.NotEmpty(t, out.RequestID)
				assert.NotEqual(t, "gw-fail", out.RequestID)
			} else {
				e := requireCode(t, err, tc.status, tc.code)
				assert.Equal(t, 1, e.Attempts)
			}
			members, err := newCphtestClient(t, srv).ListImageMembers(context.Background(), "img-game")
			require.NoError(t, err)
			require.Len(t, members.Members, 1, "shared once, whatever the client was told")
			assert.Equal(t, projectB, members.Members[0].ProjectID)
		})
	}
}

// TestCphtestAddImageMemberResentNotAMember: a resent AddImageMember whose
// final 4xx is not explained by the member list is returned as it came.
func TestCphtestAddImageMemberResentNotAMember(t *testing.T) {
	srv := cphtest.NewServer(cphtest.WithCustomImages(cph.Image{ID: "img-game"}))
	defer srv.Close()
	c := newCphtestClient(t, srv)
	// Throttled before the service saw it, then the service's own refusal.
	srv.InjectFault(1, cphtest.Fault{Operation: "AddImageMember", Status: 429, Code: "APIGW.0308"})

	_, err := c.AddImageMember(context.Background(), "img-game", srv.ProjectID()) // the owner's own project

	e := requireCode(t, err, http.StatusBadRequest, cphtest.CodeInvalidParameter)
	assert.Equal(t, 2, e.Attempts)
	var methods []string
	for _, r := range srv.Requests() {
		methods = append(methods, r.Method)
	}
	assert.Equal(t, []string{"POST", "POST", "GET"}, methods, "the members were listed, and the project is not one")
}
