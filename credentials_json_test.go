package cph

import (
	"encoding/json"
	"errors"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestCredentialsUnmarshalJSON: the names MarshalJSON writes and the Go
// field names are read, matched as encoding/json matches names; unknown
// names are ignored; the result replaces the whole value; what
// MarshalJSON writes in place of a secret is refused.
func TestCredentialsUnmarshalJSON(t *testing.T) {
	full := Credentials{AccessKey: testAK, SecretKey: testSK, SecurityToken: testToken}
	prior := Credentials{AccessKey: "PRIORACCESSKEY000000", SecretKey: "prior-secret", SecurityToken: "prior-token"}
	tests := map[string]struct {
		in      string
		want    Credentials
		wantErr string // the whole message; "" for none
	}{
		"marshalled names": {
			in:   `{"access_key":"` + testAK + `","secret_key":"` + testSK + `","security_token":"` + testToken + `"}`,
			want: full,
		},
		"Go field names": {
			in:   `{"AccessKey":"` + testAK + `","SecretKey":"` + testSK + `","SecurityToken":"` + testToken + `"}`,
			want: full,
		},
		"names in another case": {
			in:   `{"ACCESS_KEY":"` + testAK + `","secretKey":"` + testSK + `","securitytoken":"` + testToken + `"}`,
			want: full,
		},
		"names mixed": {
			in:   `{"access_key":"` + testAK + `","SecretKey":"` + testSK + `"}`,
			want: testCreds,
		},
		"both names agreeing": {
			in:   `{"access_key":"` + testAK + `","AccessKey":"` + testAK + `","secret_key":"` + testSK + `"}`,
			want: testCreds,
		},
		"no token": {
			in:   `{"access_key":"` + testAK + `","secret_key":"` + testSK + `"}`,
			want: testCreds,
		},
		"unknown names ignored": {
			in:   `{"access_key":"` + testAK + `","secret_key":"` + testSK + `","region":"cn-north-4","nested":{"a":[1,2]}}`,
			want: testCreds,
		},
		"absent and null fields are empty": {
			in:   `{"access_key":"` + testAK + `","secret_key":null}`,
			want: Credentials{AccessKey: testAK},
		},
		"empty object is empty credentials": {
			in:   `{}`,
			want: Credentials{},
		},
		"null leaves the value unchanged": {
			in:   `null`,
			want: prior,
		},
		"empty secrets as MarshalJSON writes them for unset ones": {
			in:   `{"access_key":"","secret_key":"","security_token":""}`,
			want: Credentials{},
		},
		"both names differing": {
			in:      `{"access_key":"` + testAK + `","AccessKey":"OTHERACCESSKEY000000","secret_key":"` + testSK + `"}`,
			wantErr: "cph: Credentials.UnmarshalJSON: invalid credentials: access_key and AccessKey are both given, with different values",
		},
		"secret differing under both names": {
			in:      `{"access_key":"` + testAK + `","secret_key":"` + testSK + `","SecretKey":"other-secret-0123456789"}`,
			wantErr: "cph: Credentials.UnmarshalJSON: invalid credentials: secret_key and SecretKey are both given, with different values",
		},
		"redacted secret key": {
			in:      `{"access_key":"` + testAK + `","secret_key":"[REDACTED]"}`,
			wantErr: `cph: Credentials.UnmarshalJSON: invalid credentials: secret_key is "[REDACTED]", the placeholder MarshalJSON writes, not a secret key`,
		},
		"redacted secret key under its Go name": {
			in:      `{"AccessKey":"` + testAK + `","SecretKey":"[REDACTED]"}`,
			wantErr: `cph: Credentials.UnmarshalJSON: invalid credentials: secret_key is "[REDACTED]", the placeholder MarshalJSON writes, not a secret key`,
		},
		"redacted security token": {
			in:      `{"access_key":"` + testAK + `","secret_key":"` + testSK + `","security_token":"[REDACTED]"}`,
			wantErr: `cph: Credentials.UnmarshalJSON: invalid credentials: security_token is "[REDACTED]", the placeholder MarshalJSON writes, not a security token`,
		},
		"masked access key": {
			in:      `{"access_key":"HPUA****E1","secret_key":"` + testSK + `"}`,
			wantErr: "cph: Credentials.UnmarshalJSON: invalid credentials: access_key is masked, as MarshalJSON writes it, not an access key",
		},
		"short access key masked": {
			in:      `{"access_key":"****","secret_key":"` + testSK + `"}`,
			wantErr: "cph: Credentials.UnmarshalJSON: invalid credentials: access_key is masked, as MarshalJSON writes it, not an access key",
		},
		"a number for a key": {
			in:      `{"access_key":12,"secret_key":"` + testSK + `"}`,
			wantErr: "cph: Credentials.UnmarshalJSON: invalid credentials: access_key is a JSON number, not a string",
		},
		"not an object": {
			in:      `["` + testAK + `","` + testSK + `"]`,
			wantErr: "cph: Credentials.UnmarshalJSON: invalid credentials: the credentials are a JSON array, not an object",
		},
		"a string": {
			in:      `"` + testSK + `"`,
			wantErr: "cph: Credentials.UnmarshalJSON: invalid credentials: the credentials are a JSON string, not an object",
		},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			got := prior
			err := json.Unmarshal([]byte(tc.in), &got)
			if tc.wantErr != "" {
				require.Error(t, err)
				assert.Equal(t, tc.wantErr, err.Error())
				assert.ErrorIs(t, err, ErrInvalidCredentials)
				assertNoSecret(t, err.Error())
				assert.NotContains(t, err.Error(), testAK)
				assert.NotContains(t, err.Error(), "OTHERACCESSKEY")
				assert.NotContains(t, err.Error(), "other-secret")
				assert.Equal(t, prior, got, "an error leaves the value unchanged")
				return
			}
			require.NoError(t, err)
			assert.Equal(t, tc.want, got)
		})
	}
}

// TestCredentialsUnmarshalJSONTypeError: a value of the wrong JSON type
// still unwraps to encoding/json's *json.UnmarshalTypeError.
func TestCredentialsUnmarshalJSONTypeError(t *testing.T) {
	var c Credentials
	err := json.Unmarshal([]byte(`{"secret_key":true}`), &c)
	var typeErr *json.UnmarshalTypeError
	require.True(t, errors.As(err, &typeErr), "%v", err)
	assert.Equal(t, "bool", typeErr.Value)
	assert.ErrorIs(t, err, ErrInvalidCredentials)
}

// TestCredentialsJSONRoundTrip: MarshalJSON's output, with its redacted
// secret, never decodes into credentials; credentials without secrets
// (nothing redacted) do.
func TestCredentialsJSONRoundTrip(t *testing.T) {
	tests := map[string]struct {
		creds   Credentials
		wantErr bool
	}{
		"full credentials":       {creds: Credentials{AccessKey: testAK, SecretKey: testSK, SecurityToken: testToken}, wantErr: true},
		"keys only":              {creds: testCreds, wantErr: true},
		"secret key only":        {creds: Credentials{SecretKey: testSK}, wantErr: true},
		"short access key only":  {creds: Credentials{AccessKey: "AK"}, wantErr: true},
		"empty credentials":      {creds: Credentials{}},
		"only a token, redacted": {creds: Credentials{SecurityToken: testToken}, wantErr: true},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			b, err := json.Marshal(tc.creds)
			require.NoError(t, err)
			assertNoSecret(t, string(b))
			var got Credentials
			err = json.Unmarshal(b, &got)
			if tc.wantErr {
				assert.ErrorIs(t, err, ErrInvalidCredentials)
				assert.Equal(t, Credentials{}, got)
				return
			}
			require.NoError(t, err)
			assert.Equal(t, tc.creds, got)
		})
	}
}

// TestCredentialsMarshalJSON pins what MarshalJSON writes: the masked
// access key and "[REDACTED]" for each secret, "" for an unset one.
func TestCredentialsMarshalJSON(t *testing.T) {
	tests := map[string]struct {
		creds Credentials
		want  string
	}{
		"full":  {Credentials{AccessKey: testAK, SecretKey: testSK, SecurityToken: testToken}, `{"access_key":"HPUA****E1","secret_key":"[REDACTED]","security_token":"[REDACTED]"}`},
		"keys":  {testCreds, `{"access_key":"HPUA****E1","secret_key":"[REDACTED]","security_token":""}`},
		"short": {Credentials{AccessKey: "AK", SecretKey: "s"}, `{"access_key":"****","secret_key":"[REDACTED]","security_token":""}`},
		"empty": {Credentials{}, `{"access_key":"","secret_key":"","security_token":""}`},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			b, err := json.Marshal(tc.creds)
			require.NoError(t, err)
			assert.JSONEq(t, tc.want, string(b))
		})
	}
}
