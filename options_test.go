package cph

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
)

// TestNewClientConfigErrors holds each option of options.go to its
// refusals: a value it does not take is an error wrapping its sentinel,
// with nothing of a secret or of user information in the message.
func TestNewClientConfigErrors(t *testing.T) {
	ok := []Option{WithRegion("cn-north-4"), WithProjectID(testProjectID), WithCredentials(testCreds)}
	with := func(extra ...Option) []Option { return append(append([]Option{}, ok...), extra...) }
	tests := map[string]struct {
		opts []Option
		want []error
	}{
		"nothing": {nil, []error{ErrMissingEndpoint, ErrMissingProjectID, ErrMissingCredentials}},
		"no region nor endpoint": {
			[]Option{WithProjectID(testProjectID), WithCredentials(testCreds)}, []error{ErrMissingEndpoint},
		},
		"empty region":            {[]Option{WithRegion(""), WithProjectID(testProjectID), WithCredentials(testCreds)}, []error{ErrMissingEndpoint}},
		"region with a dot":       {with(WithRegion("cn-north-4.evil.com")), []error{ErrInvalidEndpoint}},
		"region with a slash":     {with(WithRegion("cn/north-4")), []error{ErrInvalidEndpoint}},
		"region upper case":       {with(WithRegion("CN-NORTH-4")), []error{ErrInvalidEndpoint}},
		"region without number":   {with(WithRegion("cn-north")), []error{ErrInvalidEndpoint}},
		"region one word":         {with(WithRegion("cnnorth4")), []error{ErrInvalidEndpoint}},
		"region with space":       {with(WithRegion("cn-north-4 ")), []error{ErrInvalidEndpoint}},
		"endpoint relative":       {with(WithEndpoint("cph.cn-north-4.myhuaweicloud.com")), []error{ErrInvalidEndpoint}},
		"endpoint ftp":            {with(WithEndpoint("ftp://cph.example.com")), []error{ErrInvalidEndpoint}},
		"endpoint no host":        {with(WithEndpoint("https://")), []error{ErrInvalidEndpoint}},
		"endpoint with user info": {with(WithEndpoint("https://user:pass@cph.example.com")), []error{ErrInvalidEndpoint}},
		"endpoint with query":     {with(WithEndpoint("https://cph.example.com/?a=b")), []error{ErrInvalidEndpoint}},
		"endpoint with fragment":  {with(WithEndpoint("https://cph.example.com/#x")), []error{ErrInvalidEndpoint}},
		"endpoint bad port":       {with(WithEndpoint("https://cph.example.com:99999")), []error{ErrInvalidEndpoint}},
		"endpoint not a URL":      {with(WithEndpoint("https://[::1")), []error{ErrInvalidEndpoint}},
		"no project nor region":   {[]Option{WithEndpoint(testEndpoint), WithCredentials(testCreds)}, []error{ErrMissingProjectID}},
		"project with slash":      {with(WithProjectID("../other")), []error{ErrInvalidProjectID}},
		"project too long":        {with(WithProjectID(strings.Repeat("a", 65))), []error{ErrInvalidProjectID}},
		"no credentials":          {[]Option{WithRegion("cn-north-4"), WithProjectID(testProjectID)}, []error{ErrMissingCredentials}},
		"no secret key":           {with(WithCredentials(Credentials{AccessKey: testAK})), []error{ErrMissingCredentials}},
		"no access key":           {with(WithCredentials(Credentials{SecretKey: testSK})), []error{ErrMissingCredentials}},
		"access key with newline": {with(WithCredentials(Credentials{AccessKey: "AK\nX-Evil: 1", SecretKey: testSK})), []error{ErrInvalidCredentials}},
		"access key with comma":   {with(WithCredentials(Credentials{AccessKey: "AK,Signature=x", SecretKey: testSK})), []error{ErrInvalidCredentials}},
		"token with newline":      {with(WithCredentials(Credentials{AccessKey: testAK, SecretKey: testSK, SecurityToken: "t\r\nX: y"})), []error{ErrInvalidCredentials}},
		"user agent with newline": {with(WithUserAgent("app\r\nX-Evil: 1")), []error{ErrInvalidParameter}},
		"user agent too long":     {with(WithUserAgent(strings.Repeat("a", maxUserAgent+1))), []error{ErrInvalidParameter}},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			err := newClientRefused(t, tc.opts, tc.want)
			assert.NotContains(t, err.Error(), testSK)
			assert.NotContains(t, err.Error(), "pass@", "user information must not be echoed")
		})
	}
}
