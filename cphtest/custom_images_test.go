package cphtest_test

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/cph-go/cph"
	"github.com/cph-go/cph/cphtest"
)

const customImagesPath = "/v1/{project_id}/cloud-phone/images"

// imageInfo is an entry of ListImages' image_infos, times kept raw.
type imageInfo struct {
	ID         string          `json:"image_id"`
	Name       string          `json:"image_name"`
	Version    string          `json:"image_version"`
	Type       string          `json:"image_type"`
	Status     int             `json:"status"`
	Size       int64           `json:"image_size"`
	DomainID   string          `json:"domain_id"`
	ProjectID  *string         `json:"project_id"`
	SrcProject *string         `json:"src_project_id"`
	CreateTime json.RawMessage `json:"create_time"`
	UpdateTime json.RawMessage `json:"update_time"`
}

type imageList struct {
	Images    []imageInfo `json:"image_infos"`
	Total     int         `json:"total"`
	RequestID string      `json:"request_id"`
}

// as sends a request signed as project with creds.
type as struct {
	project string
	creds   cph.Credentials
}

func (a as) do(t *testing.T, srv *cphtest.Server, method, path string, query url.Values, body string) (int, http.Header, []byte) {
	t.Helper()
	return rawRequest{method: method, path: path, query: query, creds: a.creds, project: a.project, body: body}.do(t, srv)
}

// list calls ListImages with query and decodes the 200 answer.
func (a as) list(t *testing.T, srv *cphtest.Server, query url.Values) imageList {
	t.Helper()
	status, h, body := a.do(t, srv, http.MethodGet, customImagesPath, query, "")
	require.Equal(t, http.StatusOK, status, "%s", body)
	var l imageList
	require.NoError(t, json.Unmarshal(body, &l))
	assert.Equal(t, h.Get("X-Request-Id"), l.RequestID)
	return l
}

func (l imageList) ids() []string {
	ids := []string{}
	for _, img := range l.Images {
		ids = append(ids, img.ID)
	}
	return ids
}

// owner is the default project, signing with the default keys.
func owner(srv *cphtest.Server) as { return as{srv.ProjectID(), srv.Credentials()} }

// manyImages returns n images img-000, img-001, ... created a second apart.
func manyImages(n int) []cph.Image {
	base := time.UnixMilli(1700000000000)
	imgs := make([]cph.Image, n)
	for i := range imgs {
		imgs[i] = cph.Image{ID: fmt.Sprintf("img-%03d", i), Name: "n", Status: cph.ImageStatusAvailable,
			Created: base.Add(time.Duration(i) * time.Second)}
	}
	return imgs
}

func TestListImages_Paging(t *testing.T) {
	srv := newServer(t, cphtest.WithCustomImages(manyImages(250)...))
	a := owner(srv)
	tests := map[string]struct {
		offset, limit string
		first         string // "" for an empty page
		n             int
	}{
		"defaults: offset 0, limit 100": {"", "", "img-000", 100},
		"limit 1":                       {"", "1", "img-000", 1},
		"limit 100":                     {"0", "100", "img-000", 100},
		"a middle page":                 {"100", "30", "img-100", 30},
		"the last, short page":          {"240", "20", "img-240", 10},
		"offset at the end":             {"250", "10", "", 0},
		"offset past the end":           {"1000", "10", "", 0},
	}
	for name, tt := range tests {
		t.Run(name, func(t *testing.T) {
			q := url.Values{}
			if tt.offset != "" {
				q.Set("offset", tt.offset)
			}
			if tt.limit != "" {
				q.Set("limit", tt.limit)
			}
			l := a.list(t, srv, q)
			assert.Equal(t, 250, l.Total, "total counts every match, on every page")
			require.Len(t, l.Images, tt.n)
			require.NotNil(t, l.Images, "image_infos is [] on an empty page")
			if tt.n > 0 {
				assert.Equal(t, tt.first, l.Images[0].ID)
			}
		})
	}

	t.Run("pages of 30 walk every image once, in order", func(t *testing.T) {
		var got []string
		for offset := 0; ; offset += 30 {
			l := a.list(t, srv, url.Values{"offset": {fmt.Sprint(offset)}, "limit": {"30"}})
			if len(l.Images) == 0 {
				break
			}
			got = append(got, l.ids()...)
		}
		want := make([]string, 250)
		for i := range want {
			want[i] = fmt.Sprintf("img-%03d", i)
		}
		assert.Equal(t, want, got)
	})

	t.Run("total is the filtered count", func(t *testing.T) {
		l := a.list(t, srv, url.Values{"create_since": {"1700000200000"}, "limit": {"10"}})
		assert.Equal(t, 50, l.Total)
		assert.Equal(t, "img-200", l.Images[0].ID)
	})
}

// filterServer holds the default project's own images and one of B's
// shared with it and accepted.
func filterServer(t *testing.T) *cphtest.Server {
	t.Helper()
	t0 := time.UnixMilli(1713320018058)
	srv := newServer(t, cphtest.WithCustomImages(
		cph.Image{ID: "a-ready", Name: "golden", Status: cph.ImageStatusAvailable, Created: t0},
		cph.Image{ID: "a-making", Name: "golden", Status: cph.ImageStatusCreating, Created: t0.Add(time.Hour)},
		cph.Image{ID: "a-failed", Name: "broken", Status: cph.ImageStatusFailed, Created: t0.Add(2 * time.Hour)},
		cph.Image{ID: "b-ready", Name: "golden", Status: cph.ImageStatusAvailable, Created: t0.Add(3 * time.Hour), ProjectID: projectB},
	))
	srv.AddProject(projectB, credsB)
	b := as{projectB, credsB}
	status, _, body := b.do(t, srv, http.MethodPost, customImagesPath+"/b-ready/members", nil, `{"member":"`+srv.ProjectID()+`"}`)
	require.Equal(t, http.StatusOK, status, "%s", body)
	status, _, body = owner(srv).do(t, srv, http.MethodPut, customImagesPath+"/b-ready/members", nil, `{"status":"accepted"}`)
	require.Equal(t, http.StatusOK, status, "%s", body)
	return srv
}

func TestListImages_Filters(t *testing.T) {
	srv := filterServer(t)
	t0 := int64(1713320018058)
	hour := int64(time.Hour / time.Millisecond)
	ms := func(n int64) string { return fmt.Sprint(n) }
	tests := map[string]struct {
		query url.Values
		want  []string
	}{
		"none":                    {url.Values{}, []string{"a-ready", "a-making", "a-failed", "b-ready"}},
		"image_type private":      {url.Values{"image_type": {"private"}}, []string{"a-ready", "a-making", "a-failed"}},
		"image_type share":        {url.Values{"image_type": {"share"}}, []string{"b-ready"}},
		"image_type public":       {url.Values{"image_type": {"public"}}, []string{}},
		"status 0":                {url.Values{"status": {"0"}}, []string{"a-making"}},
		"status 1":                {url.Values{"status": {"1"}}, []string{"a-ready", "b-ready"}},
		"status 2":                {url.Values{"status": {"2"}}, []string{"a-failed"}},
		"image_id":                {url.Values{"image_id": {"a-failed"}}, []string{"a-failed"}},
		"image_id unknown":        {url.Values{"image_id": {"nope"}}, []string{}},
		"image_name, exact":       {url.Values{"image_name": {"golden"}}, []string{"a-ready", "a-making", "b-ready"}},
		"image_name, not a part":  {url.Values{"image_name": {"gold"}}, []string{}},
		"src_project_id":          {url.Values{"src_project_id": {projectB}}, []string{"b-ready"}},
		"src_project_id, another": {url.Values{"src_project_id": {"cccccccccccccccccccccccccccccccc"}}, []string{}},
		"create_since":            {url.Values{"create_since": {ms(t0 + hour)}}, []string{"a-making", "a-failed", "b-ready"}},
		"create_until":            {url.Values{"create_until": {ms(t0 + hour)}}, []string{"a-ready", "a-making"}},
		"empty values count as absent": {url.Values{"image_type": {""}, "status": {""}, "limit": {""}, "offset": {""}},
			[]string{"a-ready", "a-making", "a-failed", "b-ready"}},
		"status and name":                {url.Values{"status": {"1"}, "image_name": {"golden"}}, []string{"a-ready", "b-ready"}},
		"type, status and name":          {url.Values{"image_type": {"private"}, "status": {"1"}, "image_name": {"golden"}}, []string{"a-ready"}},
		"share and source":               {url.Values{"image_type": {"share"}, "src_project_id": {projectB}}, []string{"b-ready"}},
		"private and source: none":       {url.Values{"image_type": {"private"}, "src_project_id": {projectB}}, []string{}},
		"time window and name":           {url.Values{"create_since": {ms(t0)}, "create_until": {ms(t0 + 2*hour)}, "image_name": {"golden"}}, []string{"a-ready", "a-making"}},
		"id and a status it has not":     {url.Values{"image_id": {"a-ready"}, "status": {"0"}}, []string{}},
		"everything, one match":          {url.Values{"image_type": {"share"}, "status": {"1"}, "image_id": {"b-ready"}, "image_name": {"golden"}, "src_project_id": {projectB}, "create_since": {ms(t0)}, "create_until": {ms(t0 + 3*hour)}}, []string{"b-ready"}},
		"filters, then paging: offset 1": {url.Values{"image_name": {"golden"}, "offset": {"1"}, "limit": {"1"}}, []string{"a-making"}},
	}
	for name, tt := range tests {
		t.Run(name, func(t *testing.T) {
			l := owner(srv).list(t, srv, tt.query)
			assert.Equal(t, tt.want, l.ids())
			if tt.query.Get("limit") == "" {
				assert.Equal(t, len(tt.want), l.Total)
			}
		})
	}
}

// create_since and create_until are inclusive bounds, in epoch
// milliseconds.
func TestListImages_CreateTimeBoundsAreInclusive(t *testing.T) {
	created := time.UnixMilli(1713320018058)
	srv := newServer(t, cphtest.WithCustomImages(
		cph.Image{ID: "timed", Created: created},
		cph.Image{ID: "untimed"},
	))
	at := created.UnixMilli()
	tests := map[string]struct {
		since, until string
		want         []string
	}{
		"no bounds: both":               {"", "", []string{"timed", "untimed"}},
		"since = created":               {fmt.Sprint(at), "", []string{"timed"}},
		"since = created + 1 ms":        {fmt.Sprint(at + 1), "", []string{}},
		"until = created":               {"", fmt.Sprint(at), []string{"timed"}},
		"until = created - 1 ms":        {"", fmt.Sprint(at - 1), []string{}},
		"since = until = created":       {fmt.Sprint(at), fmt.Sprint(at), []string{"timed"}},
		"since after until: nothing":    {fmt.Sprint(at + 1), fmt.Sprint(at - 1), []string{}},
		"negative since: before 1970":   {"-1", "", []string{"timed"}},
		"an image with no create time":  {"0", "", []string{"timed"}},
		"seconds are not milliseconds":  {fmt.Sprint(at / 1000), fmt.Sprint(at / 1000), []string{}},
		"a far bound, past 2038":        {"", "99999999999999", []string{"timed"}},
		"until before: untimed is left": {"", "0", []string{}},
	}
	for name, tt := range tests {
		t.Run(name, func(t *testing.T) {
			q := url.Values{}
			if tt.since != "" {
				q.Set("create_since", tt.since)
			}
			if tt.until != "" {
				q.Set("create_until", tt.until)
			}
			assert.Equal(t, tt.want, owner(srv).list(t, srv, q).ids())
		})
	}
}

func TestListImages_BadQueries(t *testing.T) {
	srv := newServer(t, cphtest.WithCustomImages(manyImages(3)...))
	tests := map[string]struct {
		query      url.Values
		code, msg  string
		wantStatus int
	}{
		"limit 0":         {url.Values{"limit": {"0"}}, cphtest.CodeInvalidPaging, "Parameter: offset or limit is invalid.", 400},
		"limit 101":       {url.Values{"limit": {"101"}}, cphtest.CodeInvalidPaging, "Parameter: offset or limit is invalid.", 400},
		"limit -5":        {url.Values{"limit": {"-5"}}, cphtest.CodeInvalidPaging, "Parameter: offset or limit is invalid.", 400},
		"limit x":         {url.Values{"limit": {"x"}}, cphtest.CodeInvalidPaging, "Parameter: offset or limit is invalid.", 400},
		"offset -1":       {url.Values{"offset": {"-1"}}, cphtest.CodeInvalidPaging, "Parameter: offset or limit is invalid.", 400},
		"offset 1.5":      {url.Values{"offset": {"1.5"}}, cphtest.CodeInvalidPaging, "Parameter: offset or limit is invalid.", 400},
		"status 3":        {url.Values{"status": {"3"}}, cphtest.CodeInvalidStatus, "Parameter: status is invalid.", 400},
		"status -1":       {url.Values{"status": {"-1"}}, cphtest.CodeInvalidStatus, "Parameter: status is invalid.", 400},
		"status x":        {url.Values{"status": {"x"}}, cphtest.CodeInvalidStatus, "Parameter: status is invalid.", 400},
		"status CREATING": {url.Values{"status": {"CREATING"}}, cphtest.CodeInvalidStatus, "Parameter: status is invalid.", 400},
		"image_type all":  {url.Values{"image_type": {"all"}}, cphtest.CodeInvalidImageType, "Parameter: image_type is invalid.", 400},
		"image_type x":    {url.Values{"image_type": {"x"}}, cphtest.CodeInvalidImageType, "Parameter: image_type is invalid.", 400},
		"create_since x":  {url.Values{"create_since": {"yesterday"}}, cphtest.CodeInvalidParameter, "Parameter: create_since is invalid.", 400},
		"create_until RFC 3339": {url.Values{"create_until": {"2024-04-17T02:13:38Z"}}, cphtest.CodeInvalidParameter,
			"Parameter: create_until is invalid.", 400},
	}
	for name, tt := range tests {
		t.Run(name, func(t *testing.T) {
			status, h, body := owner(srv).do(t, srv, http.MethodGet, customImagesPath, tt.query, "")
			assert.Equal(t, tt.wantStatus, status)
			e := requireError(t, h, body)
			assert.Equal(t, tt.code, e.Code)
			assert.Equal(t, tt.msg, e.Message)
		})
	}
}

// The answer's times: image create_time and update_time are JSON strings
// of epoch milliseconds; a zero time is left out, or is its Raw text.
func TestListImages_TimeForms(t *testing.T) {
	created := time.UnixMilli(1713320018058)
	srv := newServer(t, cphtest.WithCustomImages(
		cph.Image{ID: "ms", Created: created, Updated: created.Add(time.Second)},
		cph.Image{ID: "raw", CreatedRaw: "2024-04-17 10:13:38", UpdatedRaw: "1713320018"},
		cph.Image{ID: "none"},
	))
	l := owner(srv).list(t, srv, nil)
	require.Len(t, l.Images, 3)
	assert.JSONEq(t, `"1713320018058"`, string(l.Images[0].CreateTime))
	assert.JSONEq(t, `"1713320019058"`, string(l.Images[0].UpdateTime))
	assert.JSONEq(t, `"2024-04-17 10:13:38"`, string(l.Images[1].CreateTime))
	assert.JSONEq(t, `"1713320018"`, string(l.Images[1].UpdateTime))
	assert.Nil(t, l.Images[2].CreateTime, "left out")
	assert.Nil(t, l.Images[2].UpdateTime, "left out")
}

// Seeding: every image is its project's own; images are listed as given.
func TestCustomImages_Seeding(t *testing.T) {
	srv := newServer(t)
	srv.AddProject(projectB, credsB)
	assert.Empty(t, srv.CustomImages(), "none by default")
	assert.Empty(t, owner(srv).list(t, srv, nil).Images)

	srv.SetCustomImages(
		cph.Image{ID: "mine", Type: cph.ImageTypeShared, SourceProjectID: "someone", Status: 7},
		cph.Image{ID: "theirs", ProjectID: projectB},
		cph.Image{ID: ""},
		cph.Image{ID: "twice", Name: "first"},
		cph.Image{ID: "twice", Name: "second"},
		cph.Image{ID: "later", ProjectID: "dddddddddddddddddddddddddddddddd"},
	)
	got := srv.CustomImages()
	require.Len(t, got, 6)
	assert.Equal(t, cph.Image{ID: "mine", Type: cph.ImageTypePrivate, ProjectID: srv.ProjectID(), Status: 7}, got[0],
		"Type private, ProjectID the default, no source")
	assert.Equal(t, projectB, got[1].ProjectID)
	assert.Equal(t, "dddddddddddddddddddddddddddddddd", got[5].ProjectID)

	l := owner(srv).list(t, srv, nil)
	assert.Equal(t, []string{"mine", "", "twice", "twice"}, l.ids(), "as given: an empty ID, a duplicate")
	assert.Equal(t, 7, l.Images[0].Status, "an undocumented status as is")
	assert.Equal(t, "private", l.Images[0].Type)
	assert.Nil(t, l.Images[0].SrcProject)
	assert.Equal(t, []string{"theirs"}, as{projectB, credsB}.list(t, srv, nil).ids(), "B's image is B's")

	// An image of a project not added yet is served once it is.
	credsD := cph.Credentials{AccessKey: "CPHTESTPROJECTDKEY01", SecretKey: "d-secret"}
	srv.AddProject("dddddddddddddddddddddddddddddddd", credsD)
	assert.Equal(t, []string{"later"}, as{"dddddddddddddddddddddddddddddddd", credsD}.list(t, srv, nil).ids())

	// A request naming a duplicated ID acts on every image with it.
	status, _, body := owner(srv).do(t, srv, http.MethodDelete, customImagesPath+"/twice", nil, "")
	require.Equal(t, http.StatusOK, status, "%s", body)
	assert.Equal(t, []string{"mine", ""}, owner(srv).list(t, srv, nil).ids())

	// The caller's slice is not the server's.
	imgs := []cph.Image{{ID: "x"}}
	srv.SetCustomImages(imgs...)
	imgs[0].ID = "changed"
	got = srv.CustomImages()
	got[0].Name = "changed too"
	assert.Equal(t, []cph.Image{{ID: "x", Type: cph.ImageTypePrivate, ProjectID: srv.ProjectID()}}, srv.CustomImages())
}

// SetCustomImages drops the shares of the images it removes and keeps the
// others'.
func TestSetCustomImages_Shares(t *testing.T) {
	srv := newServer(t, cphtest.WithCustomImages(cph.Image{ID: "keep"}, cph.Image{ID: "drop"}))
	srv.AddProject(projectB, credsB)
	a, b := owner(srv), as{projectB, credsB}
	for _, id := range []string{"keep", "drop"} {
		status, _, body := a.do(t, srv, http.MethodPost, customImagesPath+"/"+id+"/members", nil, `{"member":"`+projectB+`"}`)
		require.Equal(t, http.StatusOK, status, "%s", body)
		status, _, body = b.do(t, srv, http.MethodPut, customImagesPath+"/"+id+"/members", nil, `{"status":"accepted"}`)
		require.Equal(t, http.StatusOK, status, "%s", body)
	}
	require.Equal(t, []string{"keep", "drop"}, b.list(t, srv, nil).ids())

	srv.SetCustomImages(cph.Image{ID: "keep", Name: "renamed"})
	assert.Equal(t, []string{"keep"}, b.list(t, srv, nil).ids())
	srv.SetCustomImages(cph.Image{ID: "keep"}, cph.Image{ID: "drop"})
	assert.Equal(t, []string{"keep"}, b.list(t, srv, nil).ids(), "drop's share went with it")
	status, _, _ := b.do(t, srv, http.MethodPut, customImagesPath+"/drop/members", nil, `{"status":"accepted"}`)
	assert.Equal(t, http.StatusNotFound, status)
}
