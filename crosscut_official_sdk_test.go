package cph_test

// These tests pin the facts about the official SDK that README.md's
// comparison table states, so that the table stays true for the version in
// go.mod.

import (
	"context"
	"fmt"
	"net/http"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/cph-go/cph"
	"github.com/cph-go/cph/cphtest"
	"github.com/huaweicloud/huaweicloud-sdk-go-v3/core/auth/basic"
	"github.com/huaweicloud/huaweicloud-sdk-go-v3/core/sdkerr"
	cphv1 "github.com/huaweicloud/huaweicloud-sdk-go-v3/services/cph/v1"
	"github.com/huaweicloud/huaweicloud-sdk-go-v3/services/cph/v1/model"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestOfficialSDKFacts(t *testing.T) {
	t.Run("credentials print the secret key", func(t *testing.T) {
		creds, err := basic.NewCredentialsBuilder().WithAk("AKEXAMPLE").WithSk("official-secret").SafeBuild()
		assert.NoError(t, err)
		assert.Contains(t, fmt.Sprintf("%v", creds), "official-secret")
		assert.NotContains(t, fmt.Sprintf("%v", cph.Credentials{AccessKey: "AKEXAMPLE", SecretKey: "official-secret"}), "official-secret")
	})
	t.Run("builders panic on bad input", func(t *testing.T) {
		assert.Panics(t, func() {
			//lint:ignore SA1019 the deprecated Build is the one that panics, which is what this shows
			basic.NewCredentialsBuilder().WithAk("").WithSk("sk").Build()
		})
	})
	t.Run("models are pointers for every field", func(t *testing.T) {
		typ := reflect.TypeOf(model.PhoneImage{})
		for i := 0; i < typ.NumField(); i++ {
			assert.Equal(t, reflect.Ptr, typ.Field(i).Type.Kind(), typ.Field(i).Name)
		}
		for _, ours := range []reflect.Type{reflect.TypeOf(cph.PhoneImage{}), reflect.TypeOf(cph.Image{}), reflect.TypeOf(cph.ImageMember{})} {
			for i := 0; i < ours.NumField(); i++ {
				assert.NotEqual(t, reflect.Ptr, ours.Field(i).Type.Kind(), ours.Name()+"."+ours.Field(i).Name)
			}
		}
	})
	t.Run("custom image times are strings", func(t *testing.T) {
		f, ok := reflect.TypeOf(model.ListImagesView{}).FieldByName("CreateTime")
		require.True(t, ok)
		assert.Equal(t, reflect.TypeOf((*string)(nil)), f.Type)
		ours, ok := reflect.TypeOf(cph.Image{}).FieldByName("Created")
		require.True(t, ok)
		assert.Equal(t, reflect.TypeOf(time.Time{}), ours.Type)
	})
	t.Run("paging is offset and limit by hand", func(t *testing.T) {
		req := reflect.TypeOf(model.ListImagesRequest{})
		for _, name := range []string{"Offset", "Limit"} {
			_, ok := req.FieldByName(name)
			assert.True(t, ok, name)
		}
		// No method of the SDK's client pages for its caller; ours does.
		sdk := reflect.TypeOf(&cphv1.CphClient{})
		for i := 0; i < sdk.NumMethod(); i++ {
			assert.NotContains(t, sdk.Method(i).Name, "All", "an SDK method that pages by itself")
		}
		_, ok := reflect.TypeOf(&cph.Client{}).MethodByName("AllImages")
		assert.True(t, ok)
	})
	t.Run("every image call of the SDK has ours", func(t *testing.T) {
		ours := map[string]string{"ListCloudPhoneImages": "ListPhoneImages"} // the rest share the SDK's names
		sdk := reflect.TypeOf(&cphv1.CphClient{})
		client := reflect.TypeOf(&cph.Client{})
		var calls []string
		for i := 0; i < sdk.NumMethod(); i++ {
			name := sdk.Method(i).Name
			if !strings.Contains(name, "Image") || strings.HasSuffix(name, "Invoker") {
				continue
			}
			calls = append(calls, name)
			want := name
			if o, ok := ours[name]; ok {
				want = o
			}
			_, ok := client.MethodByName(want)
			assert.True(t, ok, "the SDK's %s has no counterpart %s", name, want)
		}
		assert.Len(t, calls, 7, "the SDK's image calls: %v", calls)
	})
	t.Run("errors are JSON blobs", func(t *testing.T) {
		err := error(sdkerr.ServiceResponseError{StatusCode: http.StatusBadRequest, ErrorCode: "CPS.0005", ErrorMessage: "bad", RequestId: "r1"})
		assert.True(t, strings.HasPrefix(err.Error(), "{"), err.Error())
		ours := &cph.APIError{Operation: "ListPhoneImages", StatusCode: 400, Code: "CPS.0005", Message: "bad", RequestID: "r1"}
		assert.True(t, strings.HasPrefix(ours.Error(), "cph: ListPhoneImages: 400 CPS.0005: "), "ours is text naming the operation (the whole message: TestErrorMessagesGolden)")
	})
}

func TestOfficialSDKCallFacts(t *testing.T) {
	t.Run("the call takes no context", func(t *testing.T) {
		m, ok := reflect.TypeOf(&cphv1.CphClient{}).MethodByName("ListCloudPhoneImages")
		require.True(t, ok)
		ctxType := reflect.TypeOf((*context.Context)(nil)).Elem()
		for i := 0; i < m.Type.NumIn(); i++ {
			assert.NotEqual(t, ctxType, m.Type.In(i))
		}
		ours, ok := reflect.TypeOf(&cph.Client{}).MethodByName("ListPhoneImages")
		require.True(t, ok)
		assert.Equal(t, ctxType, ours.Type.In(1))
	})
	t.Run("no retry by default", func(t *testing.T) {
		srv := cphtest.NewServer()
		defer srv.Close()
		srv.FailNext(2, http.StatusServiceUnavailable, "APIGW.0203", "Backend unavailable")

		creds := srv.Credentials()
		cred, err := basic.NewCredentialsBuilder().WithAk(creds.AccessKey).WithSk(creds.SecretKey).WithProjectId(srv.ProjectID()).SafeBuild()
		require.NoError(t, err)
		hc, err := cphv1.CphClientBuilder().WithEndpoints([]string{srv.URL}).WithCredential(cred).SafeBuild()
		require.NoError(t, err)
		_, err = cphv1.NewCphClient(hc).ListCloudPhoneImages(&model.ListCloudPhoneImagesRequest{})
		require.Error(t, err, "the official client gives up on the first 503")
		assert.Len(t, srv.Requests(), 1)

		client, err := cph.NewClient(append(srv.ClientOptions(), cph.WithBackoff(time.Millisecond, 2*time.Millisecond))...)
		require.NoError(t, err)
		out, err := client.ListPhoneImages(context.Background())
		require.NoError(t, err, "ours retries the 503 and succeeds on its second attempt")
		assert.Len(t, out.Images, 3)
		assert.Len(t, srv.Requests(), 1+2)
	})
}
