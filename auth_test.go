package cph

import (
	"bytes"
	"encoding/json"
	"fmt"
	"log/slog"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/cph-go/cph/internal/redact"
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
		"full":                                 {testTempCreds, `cph.Credentials{AccessKey:"HPUA****E1", SecretKey:"[REDACTED]", SecurityToken:"[REDACTED]"}`},
		"no token":                             {testCreds, `cph.Credentials{AccessKey:"HPUA****E1", SecretKey:"[REDACTED]", SecurityToken:""}`},
		"short key":                            {Credentials{AccessKey: "AKSHORT", SecretKey: "s"}, `cph.Credentials{AccessKey:"****", SecretKey:"[REDACTED]", SecurityToken:""}`},
		"zero value":                           {Credentials{}, `cph.Credentials{AccessKey:"", SecretKey:"", SecurityToken:""}`},
		"11 bytes, the longest masked whole":   {Credentials{AccessKey: "ABCDEFGHIJK"}, `cph.Credentials{AccessKey:"****", SecretKey:"", SecurityToken:""}`},
		"12 bytes, the shortest shown in part": {Credentials{AccessKey: "ABCDEFGHIJKL"}, `cph.Credentials{AccessKey:"ABCD****KL", SecretKey:"", SecurityToken:""}`},
		"token alone":                          {Credentials{SecurityToken: "t"}, `cph.Credentials{AccessKey:"", SecretKey:"", SecurityToken:"[REDACTED]"}`},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			assert.Equal(t, tc.want, tc.creds.String())
			assert.Equal(t, tc.want, fmt.Sprintf("%#v", tc.creds))
		})
	}
}

// TestRedactedIsTheMark: the credentials print the same mark that
// internal/redact puts in messages.
func TestRedactedIsTheMark(t *testing.T) {
	assert.Equal(t, redact.Mark, redacted)
}

func TestCredentialsLogValue(t *testing.T) {
	tests := map[string]struct {
		creds Credentials
		want  map[string]string
	}{
		"temporary": {testTempCreds, map[string]string{"access_key": "HPUA****E1", "secret_key": redacted, "security_token": redacted}},
		"no token":  {Credentials{AccessKey: "AKSHORT", SecretKey: "s"}, map[string]string{"access_key": "****", "secret_key": redacted, "security_token": ""}},
		"zero":      {Credentials{}, map[string]string{"access_key": "", "secret_key": "", "security_token": ""}},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			v := tc.creds.LogValue()
			require.Equal(t, slog.KindGroup, v.Kind())
			got := map[string]string{}
			for _, a := range v.Group() {
				assert.Equal(t, slog.KindString, a.Value.Kind(), a.Key)
				got[a.Key] = a.Value.String()
			}
			assert.Equal(t, tc.want, got)
		})
	}
}

// TestCredentialsValidate: what validate refuses, with which sentinel, and
// that its message names the problem without quoting the credentials.
func TestCredentialsValidate(t *testing.T) {
	tests := map[string]struct {
		creds  Credentials
		want   error  // nil: valid
		detail string // part of the message
	}{
		"long-lived":                     {creds: testCreds},
		"temporary":                      {creds: testTempCreds},
		"secret key of any bytes":        {creds: Credentials{AccessKey: testAK, SecretKey: "s k\n,\x00é"}},
		"token with a comma":             {creds: Credentials{AccessKey: testAK, SecretKey: testSK, SecurityToken: "a,b"}},
		"zero":                           {want: ErrMissingCredentials, detail: "no access key and secret key given"},
		"token alone":                    {creds: Credentials{SecurityToken: testToken}, want: ErrMissingCredentials, detail: "no access key and secret key given"},
		"no access key":                  {creds: Credentials{SecretKey: testSK}, want: ErrMissingCredentials, detail: "no access key given"},
		"no secret key":                  {creds: Credentials{AccessKey: testAK, SecurityToken: testToken}, want: ErrMissingCredentials, detail: "no secret key given"},
		"missing before invalid":         {creds: Credentials{AccessKey: "a b"}, want: ErrMissingCredentials, detail: "no secret key given"},
		"access key with a comma":        {creds: Credentials{AccessKey: testAK + ",Signature=x", SecretKey: testSK}, want: ErrInvalidCredentials, detail: "the access key has characters an access key cannot have"},
		"access key with a space":        {creds: Credentials{AccessKey: "HPUA " + testAK, SecretKey: testSK}, want: ErrInvalidCredentials, detail: "the access key has characters"},
		"access key with a newline":      {creds: Credentials{AccessKey: testAK + "\nX-Evil: 1", SecretKey: testSK}, want: ErrInvalidCredentials, detail: "the access key has characters"},
		"access key not ASCII":           {creds: Credentials{AccessKey: testAK + "é", SecretKey: testSK}, want: ErrInvalidCredentials, detail: "the access key has characters"},
		"token with a newline":           {creds: Credentials{AccessKey: testAK, SecretKey: testSK, SecurityToken: testToken + "\r\nX: y"}, want: ErrInvalidCredentials, detail: "the security token has characters a header cannot carry"},
		"token with a space":             {creds: Credentials{AccessKey: testAK, SecretKey: testSK, SecurityToken: "tok " + testToken}, want: ErrInvalidCredentials, detail: "the security token has characters"},
		"bad access key before token":    {creds: Credentials{AccessKey: "a,b", SecretKey: testSK, SecurityToken: "t\n"}, want: ErrInvalidCredentials, detail: "the access key has characters"},
		"token with a control character": {creds: Credentials{AccessKey: testAK, SecretKey: testSK, SecurityToken: testToken + "\x7f"}, want: ErrInvalidCredentials, detail: "the security token has characters"},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			err := tc.creds.validate()
			if tc.want == nil {
				assert.NoError(t, err)
				return
			}
			require.Error(t, err)
			assert.ErrorIs(t, err, tc.want)
			assert.Contains(t, err.Error(), tc.detail)
			assertNoSecret(t, err.Error())
			assert.NotContains(t, err.Error(), testAK)
		})
	}
}

func TestIsToken(t *testing.T) {
	var printable strings.Builder
	for c := byte('!'); c <= '~'; c++ {
		if c != ',' {
			printable.WriteByte(c)
		}
	}
	// Taken with and without allowComma.
	for name, s := range map[string]string{"empty": "", "every printable but comma": printable.String()} {
		assert.True(t, isToken(s, false), name)
		assert.True(t, isToken(s, true), name)
	}
	// Taken only with allowComma.
	for _, s := range []string{",", "a,b"} {
		assert.False(t, isToken(s, false), "%q", s)
		assert.True(t, isToken(s, true), "%q", s)
	}
	// Refused either way: space, control characters, DEL, bytes past ASCII.
	for _, s := range []string{"a b", "a\tb", "ab\n", "\x00", "a\x1f", "a\x7f", "a\x80", "é", "云", "\xff"} {
		assert.False(t, isToken(s, false), "%q", s)
		assert.False(t, isToken(s, true), "%q", s)
	}
}
