package cph_test

import (
	"encoding/json"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/cph-go/cph"
)

// appConfig is a program's own configuration holding credentials, as an
// outsider writes it.
type appConfig struct {
	Name     string            `json:"name"`
	Creds    cph.Credentials   `json:"creds"`
	Fallback *cph.Credentials  `json:"fallback,omitempty"`
	Others   []cph.Credentials `json:"others,omitempty"`
}

// TestCredentialsJSONInAStruct: a struct holding Credentials decodes them
// under the names they marshal to, and under the Go field names; it
// marshals them redacted; and its marshalled form does not decode back.
func TestCredentialsJSONInAStruct(t *testing.T) {
	const ak, sk = "HPUAL5MXQF9TVXAMPLE1", "sEcReTkEy0123456789abcdefghijklmnopqrstu"
	in := `{"name":"app",
		"creds":{"access_key":"` + ak + `","secret_key":"` + sk + `"},
		"fallback":{"AccessKey":"` + ak + `","SecretKey":"` + sk + `","SecurityToken":"tok"},
		"others":[{"access_key":"` + ak + `","secret_key":"` + sk + `","comment":"ignored"}]}`
	var cfg appConfig
	require.NoError(t, json.Unmarshal([]byte(in), &cfg))
	keys := cph.Credentials{AccessKey: ak, SecretKey: sk}
	assert.Equal(t, "app", cfg.Name)
	assert.Equal(t, keys, cfg.Creds)
	require.NotNil(t, cfg.Fallback)
	assert.Equal(t, cph.Credentials{AccessKey: ak, SecretKey: sk, SecurityToken: "tok"}, *cfg.Fallback)
	assert.Equal(t, []cph.Credentials{keys}, cfg.Others)

	out, err := json.Marshal(cfg)
	require.NoError(t, err)
	assert.NotContains(t, string(out), sk)
	assert.NotContains(t, string(out), ak)
	assert.Contains(t, string(out), `"creds":{"access_key":"HPUA****E1","secret_key":"[REDACTED]","security_token":""}`)

	var back appConfig
	err = json.Unmarshal(out, &back)
	assert.ErrorIs(t, err, cph.ErrInvalidCredentials, "a redacted secret is no secret")
	assert.NotContains(t, err.Error(), sk)
}
