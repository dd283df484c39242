package cph

import (
	"context"
	"errors"
	"math"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/jarcoal/httpmock"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// customImagesURL is ListImages' URL at the mocked endpoint.
const customImagesURL = testEndpoint + "/v1/" + testProjectID + "/cloud-phone/images"

// documentedCustomImages are the images of testdata/list_images.json. The
// reference page of ListImages (cph_api_0559) gives the fields of an entry
// but no example the tests could copy, so the fixture is built from its
// field table: one private image with RFC 3339 times, one shared image
// with times in epoch milliseconds as strings (the member list's unit).
var documentedCustomImages = []Image{
	{
		ID: "23030320230421e300221a2000004167", Name: "game-base-v3", Version: "AOSP 11",
		Type: ImageTypePrivate, Status: ImageStatusAvailable, SizeBytes: 10737418240,
		DomainID: "a1b2c3d4e5f64718293a4b5c6d7e8f90", ProjectID: testProjectID,
		Created:    time.Date(2024, 4, 16, 9, 30, 0, 0, time.UTC),
		Updated:    time.Date(2024, 4, 17, 2, 13, 38, 0, time.UTC),
		CreatedRaw: "2024-04-16T09:30:00Z", UpdatedRaw: "2024-04-17T02:13:38Z",
	},
	{
		ID: "24010120240110e300221a2000009a3c", Name: "shared-by-partner", Version: "AOSP 9",
		Type: ImageTypeShared, Status: ImageStatusCreating, SizeBytes: 8589934592,
		DomainID: "b2c3d4e5f64718293a4b5c6d7e8f90a1", SourceProjectID: "87dc6af96095488d9205b6f31f314b16",
		Created:    time.UnixMilli(1713083265307).UTC(),
		Updated:    time.UnixMilli(1713320018058).UTC(),
		CreatedRaw: "1713083265307", UpdatedRaw: "1713320018058",
	},
}

func TestListImagesDocumentedSample(t *testing.T) {
	g := newImageGateway(t)
	c := g.client(t)

	out, err := c.ListImages(context.Background())

	require.NoError(t, err, "the gateway verified the signature")
	assert.Equal(t, documentedCustomImages, out.Images)
	assert.Equal(t, 2, out.Total)
	assert.Equal(t, "6a63a18b8bab40ffb71ebd9cb80d0085", out.RequestID)
	r := g.onlyRequest(t, http.MethodGet, "/v1/"+testProjectID+"/cloud-phone/images", "")
	assert.Equal(t, testProjectID, r.Header.Get("X-Project-Id"))
}

func TestListImagesQuery(t *testing.T) {
	since := time.Date(2024, 4, 17, 2, 13, 38, 58_000_000, time.UTC) // 1713320018058
	until := since.Add(time.Hour)
	tests := map[string]struct {
		opts      []ListOption
		wantQuery string
	}{
		"no option":    {nil, ""},
		"nil option":   {[]ListOption{nil}, ""},
		"empty type":   {[]ListOption{WithImageType("")}, ""},
		"private":      {[]ListOption{WithImageType(ImageTypePrivate)}, "image_type=private"},
		"shared":       {[]ListOption{WithImageType(ImageTypeShared)}, "image_type=share"},
		"status 0":     {[]ListOption{WithImageStatus(ImageStatusCreating)}, "status=0"},
		"status 2":     {[]ListOption{WithImageStatus(ImageStatusFailed)}, "status=2"},
		"name escaped": {[]ListOption{WithImageName("my image&x=1")}, "image_name=my+image%26x%3D1"},
		"name unicode": {[]ListOption{WithImageName("镜像")}, "image_name=%E9%95%9C%E5%83%8F"},
		"id":           {[]ListOption{WithImageID("23030320230421e300221a2000004167")}, "image_id=23030320230421e300221a2000004167"},
		"since and until in ms": {[]ListOption{WithCreatedBetween(since, until)},
			"create_since=1713320018058&create_until=1713323618058"},
		"since only":      {[]ListOption{WithCreatedBetween(since, time.Time{})}, "create_since=1713320018058"},
		"until only":      {[]ListOption{WithCreatedBetween(time.Time{}, until)}, "create_until=1713323618058"},
		"both open":       {[]ListOption{WithCreatedBetween(time.Time{}, time.Time{})}, ""},
		"same instant":    {[]ListOption{WithCreatedBetween(since, since)}, "create_since=1713320018058&create_until=1713320018058"},
		"other zone":      {[]ListOption{WithCreatedBetween(since.In(time.FixedZone("CST", 8*3600)), time.Time{})}, "create_since=1713320018058"},
		"source project":  {[]ListOption{WithSourceProject("87dc6af96095488d9205b6f31f314b16")}, "src_project_id=87dc6af96095488d9205b6f31f314b16"},
		"limit 1":         {[]ListOption{WithLimit(1)}, "limit=1"},
		"limit 100":       {[]ListOption{WithLimit(100)}, "limit=100"},
		"offset 0 sent":   {[]ListOption{WithOffset(0)}, "offset=0"},
		"offset 250":      {[]ListOption{WithOffset(250)}, "offset=250"},
		"largest offset":  {[]ListOption{WithOffset(2147483647)}, "offset=2147483647"},
		"last value wins": {[]ListOption{WithLimit(5), WithLimit(7)}, "limit=7"},
		"all together": {[]ListOption{WithImageType(ImageTypeShared), WithImageStatus(ImageStatusAvailable), WithImageName("n"),
			WithImageID("i"), WithCreatedBetween(since, until), WithSourceProject("p1"), WithLimit(10), WithOffset(20)},
			"create_since=1713320018058&create_until=1713323618058&image_id=i&image_name=n&image_type=share&limit=10&offset=20&src_project_id=p1&status=1"},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			c := newMockedClient(t)
			var gotQuery string
			httpmock.RegisterResponder(http.MethodGet, `=~^`+customImagesURL, func(r *http.Request) (*http.Response, error) {
				gotQuery = r.URL.RawQuery
				return httpmock.NewStringResponse(200, `{"image_infos":[],"total":0,"request_id":"r"}`), nil
			})

			out, err := c.ListImages(context.Background(), tc.opts...)

			require.NoError(t, err)
			assert.Equal(t, tc.wantQuery, gotQuery)
			assert.NotNil(t, out.Images)
			assert.Empty(t, out.Images)
			assert.Equal(t, 1, httpmock.GetTotalCallCount())
		})
	}
}

// TestListImagesRefusesBadInputBeforeSending: a bad option value, a type
// ListImages does not take, and a bad context are refused, with a typed
// error that names the operation, and nothing is sent.
func TestListImagesRefusesBadInputBeforeSending(t *testing.T) {
	now := time.Now()
	tests := map[string]struct {
		ctx  context.Context
		opts []ListOption
		want error
	}{
		"public type":            {context.Background(), []ListOption{WithImageType(ImageTypePublic)}, ErrInvalidParameter},
		"all type":               {context.Background(), []ListOption{WithImageType(ImageTypeAll)}, ErrInvalidParameter},
		"unknown type":           {context.Background(), []ListOption{WithImageType("shared")}, ErrInvalidParameter},
		"unknown status":         {context.Background(), []ListOption{WithImageStatus(3)}, ErrInvalidParameter},
		"negative status":        {context.Background(), []ListOption{WithImageStatus(-1)}, ErrInvalidParameter},
		"limit 0":                {context.Background(), []ListOption{WithLimit(0)}, ErrInvalidParameter},
		"limit 101":              {context.Background(), []ListOption{WithLimit(101)}, ErrInvalidParameter},
		"limit -1":               {context.Background(), []ListOption{WithLimit(-1)}, ErrInvalidParameter},
		"limit MaxInt":           {context.Background(), []ListOption{WithLimit(int(^uint(0) >> 1))}, ErrInvalidParameter},
		"limit MinInt":           {context.Background(), []ListOption{WithLimit(-int(^uint(0)>>1) - 1)}, ErrInvalidParameter},
		"offset -1":              {context.Background(), []ListOption{WithOffset(-1)}, ErrInvalidParameter},
		"offset MaxInt":          {context.Background(), []ListOption{WithOffset(int(^uint(0) >> 1))}, ErrInvalidParameter},
		"offset past int32":      {context.Background(), []ListOption{WithOffset(int(min(int64(math.MaxInt), 1<<31)))}, ErrInvalidParameter},
		"inverted range":         {context.Background(), []ListOption{WithCreatedBetween(now, now.Add(-time.Millisecond))}, ErrInvalidParameter},
		"before the epoch":       {context.Background(), []ListOption{WithCreatedBetween(time.Date(1969, 12, 31, 0, 0, 0, 0, time.UTC), time.Time{})}, ErrInvalidParameter},
		"after year 9999":        {context.Background(), []ListOption{WithCreatedBetween(time.Time{}, time.Date(10000, 1, 1, 0, 0, 0, 0, time.UTC))}, ErrInvalidParameter},
		"far future":             {context.Background(), []ListOption{WithCreatedBetween(time.Unix(1<<62, 0), time.Time{})}, ErrInvalidParameter},
		"far past":               {context.Background(), []ListOption{WithCreatedBetween(time.Unix(-1<<62, 0), time.Time{})}, ErrInvalidParameter},
		"empty name":             {context.Background(), []ListOption{WithImageName("")}, ErrInvalidParameter},
		"10 KiB name":            {context.Background(), []ListOption{WithImageName(strings.Repeat("n", 10<<10))}, ErrInvalidParameter},
		"name of 256 bytes":      {context.Background(), []ListOption{WithImageName(strings.Repeat("n", 256))}, ErrInvalidParameter},
		"name not UTF-8":         {context.Background(), []ListOption{WithImageName("a\xffb")}, ErrInvalidParameter},
		"name with control":      {context.Background(), []ListOption{WithImageName("a\x00b")}, ErrInvalidParameter},
		"empty ID":               {context.Background(), []ListOption{WithImageID("")}, ErrInvalidParameter},
		"ID with space":          {context.Background(), []ListOption{WithImageID("a b")}, ErrInvalidParameter},
		"10 KiB ID":              {context.Background(), []ListOption{WithImageID(strings.Repeat("i", 10<<10))}, ErrInvalidParameter},
		"empty source project":   {context.Background(), []ListOption{WithSourceProject("")}, ErrInvalidParameter},
		"source project slash":   {context.Background(), []ListOption{WithSourceProject("a/b")}, ErrInvalidParameter},
		"source project of 65":   {context.Background(), []ListOption{WithSourceProject(strings.Repeat("p", 65))}, ErrInvalidParameter},
		"bad option then good":   {context.Background(), []ListOption{WithLimit(0), WithLimit(10)}, ErrInvalidParameter},
		"nil context":            {nil, nil, ErrInvalidParameter},
		"cancelled context":      {cancelledContext(), nil, context.Canceled},
		"bad option, nil option": {context.Background(), []ListOption{nil, WithOffset(-5)}, ErrInvalidParameter},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			c := newMockedClient(t)
			httpmock.RegisterResponder(http.MethodGet, `=~.`, httpmock.NewStringResponder(200, `{}`))

			out, err := c.ListImages(tc.ctx, tc.opts...) //nolint:staticcheck // a nil context is part of the test

			assert.Nil(t, out)
			require.Error(t, err)
			assert.ErrorIs(t, err, tc.want)
			assert.True(t, strings.HasPrefix(err.Error(), "cph: ListImages: "), err.Error())
			assert.Less(t, len(err.Error()), 400, "a long value is not quoted whole")
			assert.Zero(t, httpmock.GetTotalCallCount(), "nothing may be sent")
		})
	}
}

// TestListPhoneImagesRefusesCustomOptions: the options of ListImages that
// ListPhoneImages does not take are refused before anything is sent.
func TestListPhoneImagesRefusesCustomOptions(t *testing.T) {
	tests := map[string]struct {
		opt  ListOption
		name string
	}{
		"status":        {WithImageStatus(ImageStatusAvailable), "WithImageStatus"},
		"name":          {WithImageName("n"), "WithImageName"},
		"id":            {WithImageID("i"), "WithImageID"},
		"created":       {WithCreatedBetween(time.Unix(1, 0), time.Time{}), "WithCreatedBetween"},
		"created, open": {WithCreatedBetween(time.Time{}, time.Time{}), "WithCreatedBetween"},
		"source":        {WithSourceProject("p"), "WithSourceProject"},
		"limit":         {WithLimit(10), "WithLimit"},
		"offset":        {WithOffset(0), "WithOffset"},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			c := newMockedClient(t)
			httpmock.RegisterResponder(http.MethodGet, `=~.`, httpmock.NewStringResponder(200, `{"phone_images":[]}`))

			out, err := c.ListPhoneImages(context.Background(), WithImageType(ImageTypeAll), tc.opt)

			assert.Nil(t, out)
			require.ErrorIs(t, err, ErrInvalidParameter)
			assert.Equal(t, "cph: ListPhoneImages: invalid parameter: "+tc.name+" is not an option of ListPhoneImages", err.Error())
			assert.Zero(t, httpmock.GetTotalCallCount(), "nothing may be sent")
		})
	}
}

func TestListImagesDecoding(t *testing.T) {
	tests := map[string]struct {
		body      string
		header    http.Header
		want      []Image
		wantTotal int
		wantReqID string
	}{
		"no image_infos field": {body: `{"total":0,"request_id":"r1"}`, want: []Image{}, wantReqID: "r1"},
		"null image_infos":     {body: `{"image_infos":null,"total":0}`, want: []Image{}},
		"unknown values kept": {
			body:      `{"image_infos":[{"image_id":"a","image_type":"public","status":7,"extra":[1]}],"total":1,"page":{}}`,
			want:      []Image{{ID: "a", Type: ImageTypePublic, Status: ImageStatus(7)}},
			wantTotal: 1,
		},
		"times not understood kept raw": {
			body:      `{"image_infos":[{"image_id":"a","create_time":"yesterday","update_time":-1}],"total":1}`,
			want:      []Image{{ID: "a", CreatedRaw: "yesterday", UpdatedRaw: "-1"}},
			wantTotal: 1,
		},
		"times as numbers": {
			body:      `{"image_infos":[{"image_id":"a","create_time":1713083265307,"update_time":null}],"total":1}`,
			want:      []Image{{ID: "a", Created: time.UnixMilli(1713083265307).UTC(), CreatedRaw: "1713083265307"}},
			wantTotal: 1,
		},
		"request id from header": {
			body: `{"image_infos":[],"total":0}`, header: http.Header{"X-Request-Id": {"hdr-1"}},
			want: []Image{}, wantReqID: "hdr-1",
		},
		"total larger than the page": {body: `{"image_infos":[{"image_id":"a"}],"total":120}`, want: []Image{{ID: "a"}}, wantTotal: 120},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			c := newMockedClient(t)
			httpmock.RegisterResponder(http.MethodGet, customImagesURL, respondWithHeader(200, tc.body, tc.header))

			out, err := c.ListImages(context.Background())

			require.NoError(t, err)
			assert.Equal(t, tc.want, out.Images)
			assert.Equal(t, tc.wantTotal, out.Total)
			assert.Equal(t, tc.wantReqID, out.RequestID)
		})
	}
}

func TestListImagesInvalidAnswer(t *testing.T) {
	for name, body := range map[string]string{
		"not JSON":          `<html>`,
		"status a string":   `{"image_infos":[{"image_id":"a","status":"1"}],"total":1}`,
		"size a string":     `{"image_infos":[{"image_id":"a","image_size":"10"}],"total":1}`,
		"image_infos a map": `{"image_infos":{},"total":1}`,
		"cut off":           `{"image_infos":[{"image_id":"a"`,
	} {
		t.Run(name, func(t *testing.T) {
			c := newMockedClient(t)
			httpmock.RegisterResponder(http.MethodGet, customImagesURL, httpmock.NewStringResponder(200, body))

			out, err := c.ListImages(context.Background())

			assert.Nil(t, out)
			var ire *InvalidResponseError
			require.ErrorAs(t, err, &ire)
			assert.ErrorIs(t, err, ErrInvalidResponse)
			assert.Equal(t, opListImages, ire.Operation)
		})
	}
}

func TestDeleteImageDocumentedSample(t *testing.T) {
	g := newImageGateway(t)
	c := g.client(t)

	out, err := c.DeleteImage(context.Background(), "23030320230421e300221a2000004167")

	require.NoError(t, err, "the gateway verified the signature")
	assert.Equal(t, "95f25ae6120643ac9e0effd633b37b98", out.RequestID)
	g.onlyRequest(t, http.MethodDelete, "/v1/"+testProjectID+"/cloud-phone/images/23030320230421e300221a2000004167", "")
}

// TestDeleteImageEscapesTheID: an ID that needs escaping is escaped, and
// the escaped path is the one signed.
func TestDeleteImageEscapesTheID(t *testing.T) {
	g := newImageGateway(t)
	c := g.client(t)

	_, err := c.DeleteImage(context.Background(), "img:1@é%")

	require.NoError(t, err, "the gateway verified the signature of the escaped path")
	assert.Equal(t, []string{"/v1/" + testProjectID + "/cloud-phone/images/img:1@%C3%A9%25"}, g.escapedPaths())
}

func TestDeleteImageRequestIDFromHeader(t *testing.T) {
	c := newMockedClient(t)
	httpmock.RegisterResponder(http.MethodDelete, customImagesURL+"/a", func(*http.Request) (*http.Response, error) {
		resp := httpmock.NewStringResponse(200, `{}`)
		resp.Header.Set("X-Request-Id", "hdr-9")
		return resp, nil
	})

	out, err := c.DeleteImage(context.Background(), "a")

	require.NoError(t, err)
	assert.Equal(t, "hdr-9", out.RequestID)
}

// TestDeleteImageNotFound: a 404 is an *APIError that IsNotFound reports.
func TestDeleteImageNotFound(t *testing.T) {
	c := newMockedClient(t)
	httpmock.RegisterResponder(http.MethodDelete, customImagesURL+"/gone",
		httpmock.NewStringResponder(404, `{"error_code":"CPS.0404","error_msg":"image not found","request_id":"r7"}`))

	out, err := c.DeleteImage(context.Background(), "gone")

	assert.Nil(t, out)
	var e *APIError
	require.ErrorAs(t, err, &e)
	assert.True(t, IsNotFound(err))
	assert.Equal(t, opDeleteImage, e.Operation)
	assert.Equal(t, "CPS.0404", e.Code)
	assert.False(t, errors.Is(err, ErrInvalidParameter))
}
