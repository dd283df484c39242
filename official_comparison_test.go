package cph_test

// These tests pin the facts about the official SDK that README.md's
// comparison table states, so that the table stays true for the version in
// go.mod.

import (
	"fmt"
	"net/http"
	"reflect"
	"strings"
	"testing"

	"github.com/cph-go/cph"
	"github.com/huaweicloud/huaweicloud-sdk-go-v3/core/auth/basic"
	"github.com/huaweicloud/huaweicloud-sdk-go-v3/core/sdkerr"
	"github.com/huaweicloud/huaweicloud-sdk-go-v3/services/cph/v1/model"
	"github.com/stretchr/testify/assert"
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
		ours := reflect.TypeOf(cph.PhoneImage{})
		for i := 0; i < ours.NumField(); i++ {
			assert.NotEqual(t, reflect.Ptr, ours.Field(i).Type.Kind(), ours.Field(i).Name)
		}
	})
	t.Run("errors are JSON blobs", func(t *testing.T) {
		err := error(sdkerr.ServiceResponseError{StatusCode: http.StatusBadRequest, ErrorCode: "CPS.0005", ErrorMessage: "bad", RequestId: "r1"})
		assert.True(t, strings.HasPrefix(err.Error(), "{"), err.Error())
		ours := &cph.APIError{Operation: "ListPhoneImages", StatusCode: 400, Code: "CPS.0005", Message: "bad", RequestID: "r1"}
		assert.Equal(t, "cph: ListPhoneImages: 400 CPS.0005: bad (request id r1)", ours.Error())
	})
}
