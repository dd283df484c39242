package cph

import (
	"bytes"
	"encoding/json"
	"fmt"
	"log/slog"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestCredentialsRedacted(t *testing.T) {
	creds := testTempCreds
	type holder struct {
		Name  string
		Creds Credentials
		Ptr   *Credentials
	}
	var logged bytes.Buffer
	slog.New(slog.NewJSONHandler(&logged, nil)).Info("configured", "creds", creds)
	var textLogged bytes.Buffer
	slog.New(slog.NewTextHandler(&textLogged, nil)).Info("configured", "creds", creds)
	asJSON, err := json.Marshal(holder{Creds: creds, Ptr: &creds})
	require.NoError(t, err)

	outputs := map[string]string{
		"%v":            fmt.Sprintf("%v", creds),
		"%+v":           fmt.Sprintf("%+v", creds),
		"%#v":           fmt.Sprintf("%#v", creds),
		"%s":            fmt.Sprintf("%s", creds),
		"%q":            fmt.Sprintf("%q", creds),
		"%x":            fmt.Sprintf("%x", creds),
		"pointer %v":    fmt.Sprintf("%v", &creds),
		"pointer %+v":   fmt.Sprintf("%+v", &creds),
		"in struct %+v": fmt.Sprintf("%+v", holder{Name: "h", Creds: creds}),
		"in struct %#v": fmt.Sprintf("%#v", holder{Name: "h", Creds: creds}),
		"Println":       fmt.Sprintln(creds),
		"slog JSON":     logged.String(),
		"slog text":     textLogged.String(),
		"json.Marshal":  string(asJSON),
		"String()":      creds.String(),
		"GoString()":    creds.GoString(),
	}
	for name, out := range outputs {
		t.Run(name, func(t *testing.T) {
			assert.NotContains(t, out, testSK)
			assert.NotContains(t, out, testToken)
			assert.NotContains(t, out, testAK, "the access key is only shown masked")
			assert.Contains(t, out, "HPUA", "the masked access key keeps its start")
			assert.Contains(t, out, "[REDACTED]")
		})
	}
}

func TestCredentialsMasking(t *testing.T) {
	tests := map[string]struct {
		creds Credentials
		want  string
	}{
		"full":       {testTempCreds, `cph.Credentials{AccessKey:"HPUA****E1", SecretKey:"[REDACTED]", SecurityToken:"[REDACTED]"}`},
		"no token":   {testCreds, `cph.Credentials{AccessKey:"HPUA****E1", SecretKey:"[REDACTED]", SecurityToken:""}`},
		"short key":  {Credentials{AccessKey: "AKSHORT", SecretKey: "s"}, `cph.Credentials{AccessKey:"****", SecretKey:"[REDACTED]", SecurityToken:""}`},
		"zero value": {Credentials{}, `cph.Credentials{AccessKey:"", SecretKey:"", SecurityToken:""}`},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			assert.Equal(t, tc.want, tc.creds.String())
			assert.Equal(t, tc.want, fmt.Sprintf("%#v", tc.creds))
		})
	}
}

func TestEnums(t *testing.T) {
	t.Run("visibility", func(t *testing.T) {
		assert.Equal(t, "public", VisibilityPublic.String())
		assert.Equal(t, "private", VisibilityPrivate.String())
		assert.Equal(t, "Visibility(7)", Visibility(7).String())
		assert.Equal(t, "Visibility(0)", Visibility(0).String())
		assert.Equal(t, []Visibility{VisibilityPublic, VisibilityPrivate}, Visibility(0).Values())
		for _, v := range Visibility(0).Values() {
			assert.True(t, v.IsKnown(), v.String())
		}
		assert.False(t, Visibility(3).IsKnown())
		assert.True(t, PhoneImage{Visibility: VisibilityPublic}.IsPublic())
		assert.False(t, PhoneImage{Visibility: VisibilityPrivate}.IsPublic())
		assert.False(t, PhoneImage{Visibility: 9}.IsPublic())
	})
	t.Run("labels", func(t *testing.T) {
		want := map[ImageLabel]string{
			LabelCloudPhone:     "physical.rx1.xlarge",
			LabelCloudPhone1620: "physical.kg1.4xlarge.cp",
			LabelCloudGame:      "physical.rx1.xlarge.cg",
			LabelCloudGame1620:  "physical.kg1.4xlarge.cg",
			LabelQemuPhone:      "physical.rx1.xlarge",
		}
		assert.Len(t, ImageLabel("").Values(), len(want))
		for _, l := range ImageLabel("").Values() {
			assert.True(t, l.IsKnown(), l)
			assert.Equal(t, want[l], l.ServerFlavor(), l)
			assert.Equal(t, string(l), l.String())
		}
		assert.False(t, ImageLabel("cloud_tv").IsKnown())
		assert.Equal(t, "", ImageLabel("cloud_tv").ServerFlavor())
		assert.False(t, ImageLabel("").IsKnown())
	})
	t.Run("image types", func(t *testing.T) {
		assert.Equal(t, []ImageType{"public", "private", "share", "all"}, ImageType("").Values())
		for _, ty := range ImageType("").Values() {
			assert.True(t, ty.IsKnown(), ty)
			assert.Equal(t, string(ty), ty.String())
		}
		assert.False(t, ImageType("shared").IsKnown(), "the API spells it share")
		assert.False(t, ImageType("").IsKnown())
	})
}
