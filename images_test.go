package cph

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/jarcoal/httpmock"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestListPhoneImagesDocumentedSample(t *testing.T) {
	c := newMockedClient(t)
	var got *http.Request
	httpmock.RegisterResponder(http.MethodGet, imagesURL, func(r *http.Request) (*http.Response, error) {
		got = r
		return httpmock.NewBytesResponse(200, fixture(t, "list_phone_images.json")), nil
	})

	out, err := c.ListPhoneImages(context.Background())
	require.NoError(t, err)

	assert.Equal(t, documentedImages, out.Images)
	assert.Equal(t, "5aac6ab146ba76e5b12a3d00a03a9869", out.RequestID)
	require.NotNil(t, got)
	assert.Equal(t, http.MethodGet, got.Method)
	assert.Equal(t, "/v1/"+testProjectID+"/cloud-phone/phone-images", got.URL.Path)
	assert.Empty(t, got.URL.RawQuery, "no image_type unless asked")
	assert.Equal(t, testProjectID, got.Header.Get("X-Project-Id"))
	assert.Regexp(t, `^\d{8}T\d{6}Z$`, got.Header.Get("X-Sdk-Date"))
	assert.Regexp(t, `^SDK-HMAC-SHA256 Access=`+testAK+`, SignedHeaders=host;x-project-id;x-sdk-date, Signature=[0-9a-f]{64}$`,
		got.Header.Get("Authorization"))
	assert.Empty(t, got.Header.Get("X-Security-Token"))
	assert.Equal(t, 1, httpmock.GetTotalCallCount())
}

func TestListPhoneImagesQuery(t *testing.T) {
	tests := map[string]struct {
		opts      []ListOption
		wantQuery string
	}{
		"no option":        {nil, ""},
		"nil option":       {[]ListOption{nil}, ""},
		"empty type":       {[]ListOption{WithImageType("")}, ""},
		"public":           {[]ListOption{WithImageType(ImageTypePublic)}, "image_type=public"},
		"private":          {[]ListOption{WithImageType(ImageTypePrivate)}, "image_type=private"},
		"shared":           {[]ListOption{WithImageType(ImageTypeShared)}, "image_type=share"},
		"all":              {[]ListOption{WithImageType(ImageTypeAll)}, "image_type=all"},
		"last option wins": {[]ListOption{WithImageType(ImageTypeAll), WithImageType(ImageTypePrivate)}, "image_type=private"},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			c := newMockedClient(t)
			var gotQuery string
			httpmock.RegisterResponder(http.MethodGet, `=~^`+imagesURL, func(r *http.Request) (*http.Response, error) {
				gotQuery = r.URL.RawQuery
				return httpmock.NewStringResponse(200, `{"phone_images":[],"request_id":"r"}`), nil
			})
			out, err := c.ListPhoneImages(context.Background(), tc.opts...)
			require.NoError(t, err)
			assert.Equal(t, tc.wantQuery, gotQuery)
			assert.NotNil(t, out.Images)
			assert.Empty(t, out.Images)
		})
	}
}

func TestListPhoneImagesRefusesBadInputBeforeSending(t *testing.T) {
	tests := map[string]struct {
		ctx  context.Context
		opts []ListOption
		want error
	}{
		"unknown image type": {context.Background(), []ListOption{WithImageType("bogus")}, ErrInvalidParameter},
		"upper-case type":    {context.Background(), []ListOption{WithImageType("PUBLIC")}, ErrInvalidParameter},
		"bad type then good": {context.Background(), []ListOption{WithImageType("x"), WithImageType(ImageTypeAll)}, ErrInvalidParameter},
		"nil context":        {nil, nil, ErrInvalidParameter},
		"cancelled context":  {cancelledContext(), nil, context.Canceled},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			c := newMockedClient(t)
			httpmock.RegisterResponder(http.MethodGet, `=~.`, httpmock.NewStringResponder(200, `{}`))
			out, err := c.ListPhoneImages(tc.ctx, tc.opts...) //nolint:staticcheck // a nil context is part of the test
			assert.Nil(t, out)
			require.Error(t, err)
			assert.ErrorIs(t, err, tc.want)
			assert.True(t, strings.HasPrefix(err.Error(), "cph: ListPhoneImages: "), err.Error())
			assert.Zero(t, httpmock.GetTotalCallCount(), "nothing may be sent")
		})
	}
}

func cancelledContext() context.Context {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	return ctx
}

func TestListPhoneImagesDecoding(t *testing.T) {
	tests := map[string]struct {
		body      string
		header    http.Header
		want      []PhoneImage
		wantReqID string
	}{
		"unknown fields ignored": {
			body: `{"phone_images":[{"image_id":"a","image_name":"n","os_type":"aosp","os_name":"AOSP9","is_public":2,` +
				`"image_label":"cloud_phone_1620","extra":{"nested":[1,2]},"size":3}],"request_id":"r1","page":{"next":null}}`,
			want:      []PhoneImage{{ID: "a", Name: "n", OSType: "aosp", OSName: "AOSP9", Visibility: VisibilityPrivate, Label: LabelCloudPhone1620}},
			wantReqID: "r1",
		},
		"unknown label and visibility kept": {
			body:      `{"phone_images":[{"image_id":"b","is_public":7,"image_label":"cloud_tv"}],"request_id":"r2"}`,
			want:      []PhoneImage{{ID: "b", Visibility: Visibility(7), Label: ImageLabel("cloud_tv")}},
			wantReqID: "r2",
		},
		"encryption support": {
			body:      `{"phone_images":[{"image_id":"c","is_support_encrypt":true},{"image_id":"d","is_support_encrypt":false}],"request_id":"r3"}`,
			want:      []PhoneImage{{ID: "c", SupportsEncryption: true}, {ID: "d"}},
			wantReqID: "r3",
		},
		"request id from header when body has none": {
			body:      `{"phone_images":[]}`,
			header:    http.Header{"X-Request-Id": {"hdr-1"}},
			want:      []PhoneImage{},
			wantReqID: "hdr-1",
		},
		"body request id wins over header": {
			body:      `{"phone_images":[],"request_id":"body-1"}`,
			header:    http.Header{"X-Request-Id": {"hdr-1"}},
			want:      []PhoneImage{},
			wantReqID: "body-1",
		},
		"no phone_images field": {
			body: `{"request_id":"r4"}`, want: []PhoneImage{}, wantReqID: "r4",
		},
		"escaped strings": {
			body:      `{"phone_images":[{"image_id":"e","image_name":"Caf\u00e9 \"beta\"\n"}],"request_id":"r5"}`,
			want:      []PhoneImage{{ID: "e", Name: "Café \"beta\"\n"}},
			wantReqID: "r5",
		},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			c := newMockedClient(t)
			httpmock.RegisterResponder(http.MethodGet, imagesURL, respondWithHeader(200, tc.body, tc.header))
			out, err := c.ListPhoneImages(context.Background())
			require.NoError(t, err)
			assert.Equal(t, tc.want, out.Images)
			assert.Equal(t, tc.wantReqID, out.RequestID)
			for _, img := range out.Images {
				if img.Label != "" {
					assert.Equal(t, img.Label.ServerFlavor() != "", img.Label.IsKnown())
				}
			}
		})
	}
}

func TestListPhoneImagesInvalidSuccessBody(t *testing.T) {
	tests := map[string]string{
		"html page":          "<html><body>Welcome to the captive portal</body></html>",
		"array":              `[{"image_id":"a"}]`,
		"empty":              "",
		"truncated":          `{"phone_images":[{"image_id":"a"`,
		"visibility as text": `{"phone_images":[{"image_id":"a","is_public":"1"}]}`,
		"null":               `null`,
	}
	for name, body := range tests {
		t.Run(name, func(t *testing.T) {
			c := newMockedClient(t)
			httpmock.RegisterResponder(http.MethodGet, imagesURL, httpmock.NewStringResponder(200, body))
			out, err := c.ListPhoneImages(context.Background())
			assert.Nil(t, out)
			require.Error(t, err)
			assert.ErrorIs(t, err, ErrInvalidResponse)
			assert.True(t, strings.HasPrefix(err.Error(), "cph: ListPhoneImages: invalid response"), err.Error())
		})
	}
}

func TestListPhoneImagesContext(t *testing.T) {
	tests := map[string]struct {
		ctx  func() (context.Context, context.CancelFunc)
		want error
	}{
		"deadline": {
			ctx: func() (context.Context, context.CancelFunc) {
				return context.WithTimeout(context.Background(), 20*time.Millisecond)
			},
			want: context.DeadlineExceeded,
		},
		"cancel": {
			ctx: func() (context.Context, context.CancelFunc) {
				ctx, cancel := context.WithCancel(context.Background())
				time.AfterFunc(20*time.Millisecond, cancel)
				return ctx, cancel
			},
			want: context.Canceled,
		},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			// The server holds every request until the test ends: only the
			// context can end the call.
			release := make(chan struct{})
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				select {
				case <-release:
				case <-r.Context().Done():
				}
			}))
			t.Cleanup(srv.Close)
			t.Cleanup(func() { close(release) })
			c, err := NewClient(WithEndpoint(srv.URL), WithProjectID(testProjectID), WithCredentials(testCreds))
			require.NoError(t, err)

			ctx, cancel := tc.ctx()
			defer cancel()
			out, err := c.ListPhoneImages(ctx)
			assert.Nil(t, out)
			require.Error(t, err)
			assert.ErrorIs(t, err, tc.want)
			assert.True(t, strings.HasPrefix(err.Error(), "cph: ListPhoneImages: "), err.Error())
		})
	}
}

func TestListPhoneImagesCancelledWhileReadingBody(t *testing.T) {
	c := newMockedClient(t)
	ctx, cancel := context.WithCancel(context.Background())
	httpmock.RegisterResponder(http.MethodGet, imagesURL, func(r *http.Request) (*http.Response, error) {
		resp := httpmock.NewStringResponse(200, "")
		resp.Body = &stallingBody{ctx: r.Context(), prefix: []byte(`{"phone_images":[`)}
		cancel()
		return resp, nil
	})
	out, err := c.ListPhoneImages(ctx)
	assert.Nil(t, out)
	assert.ErrorIs(t, err, context.Canceled)
}

// stallingBody returns prefix, then blocks until its context ends.
type stallingBody struct {
	ctx    context.Context
	prefix []byte
}

func (b *stallingBody) Read(p []byte) (int, error) {
	if len(b.prefix) > 0 {
		n := copy(p, b.prefix)
		b.prefix = b.prefix[n:]
		return n, nil
	}
	<-b.ctx.Done()
	return 0, b.ctx.Err()
}

func (b *stallingBody) Close() error { return nil }

func TestUserAgent(t *testing.T) {
	tests := map[string]struct {
		opts []Option
		want string
	}{
		"default":  {nil, "cph-go/" + Version},
		"appended": {[]Option{WithUserAgent("inventory-svc/2.3")}, "cph-go/" + Version + " inventory-svc/2.3"},
		"empty":    {[]Option{WithUserAgent("")}, "cph-go/" + Version},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			c := newMockedClient(t, tc.opts...)
			var ua string
			httpmock.RegisterResponder(http.MethodGet, imagesURL, func(r *http.Request) (*http.Response, error) {
				ua = r.Header.Get("User-Agent")
				return httpmock.NewStringResponse(200, `{"phone_images":[]}`), nil
			})
			_, err := c.ListPhoneImages(context.Background())
			require.NoError(t, err)
			assert.Equal(t, tc.want, ua)
		})
	}
}

func TestListPhoneImagesTransportErrorWraps(t *testing.T) {
	c := newMockedClient(t)
	boom := errors.New("connection reset by peer")
	httpmock.RegisterResponder(http.MethodGet, imagesURL, httpmock.NewErrorResponder(boom))
	_, err := c.ListPhoneImages(context.Background())
	require.Error(t, err)
	assert.ErrorIs(t, err, boom)
	assert.True(t, strings.HasPrefix(err.Error(), "cph: ListPhoneImages: "), err.Error())
	var apiErr *APIError
	assert.False(t, errors.As(err, &apiErr), "a transport error is not an APIError")
}
