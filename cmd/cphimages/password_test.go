package main

import (
	"testing"

	"github.com/stretchr/testify/assert"
)

// An endpoint's password given on the command line is never echoed: not
// in the line suggested when a subcommand comes after its flags, not in
// the message of a stray argument or of a bad IMAGE. (The library masks
// an endpoint's user information the same way.)
func TestCommandLineEchoMasksPasswords(t *testing.T) {
	const secret = "s3cret-endpoint-password"
	tests := map[string]struct {
		args []string
		want string
	}{
		"subcommand after --endpoint URL": {
			[]string{"--endpoint", "https://user:" + secret + "@cph.example.com", "custom"},
			"cphimages custom --endpoint https://user:xxxxx@cph.example.com",
		},
		"subcommand after --endpoint=URL": {
			[]string{"--endpoint=https://user:" + secret + "@cph.example.com", "members"},
			"cphimages members --endpoint=https://user:xxxxx@cph.example.com",
		},
		"stray argument": {
			[]string{"https://user:" + secret + "@cph.example.com"},
			`unexpected argument "https://user:xxxxx@cph.example.com"`,
		},
		"IMAGE that is a URL": {
			[]string{"share", "--demo", "https://user:" + secret + "@cph.example.com", "p1"},
			`IMAGE "https://user:xxxxx@cph.example.com" contains "/"`,
		},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			r := runCLI(t, nil, tc.args...)
			assert.Equal(t, exitUsage, r.code)
			assert.Contains(t, r.stderr, tc.want)
			assert.NotContains(t, r.stderr+r.stdout, secret)
		})
	}
}

func TestWithoutPassword(t *testing.T) {
	tests := map[string]struct{ in, want string }{
		"plain flag":          {"--demo", "--demo"},
		"URL without user":    {"https://cph.example.com", "https://cph.example.com"},
		"URL with user only":  {"https://user@cph.example.com", "https://user@cph.example.com"},
		"URL with password":   {"https://u:p@cph.example.com/x", "https://u:xxxxx@cph.example.com/x"},
		"flag=URL":            {"--endpoint=https://u:p@h", "--endpoint=https://u:xxxxx@h"},
		"an @ that is no URL": {"me@example.com", "me@example.com"},
		"not a URL":           {"%zz@", "%zz@"},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			assert.Equal(t, tc.want, withoutPassword(tc.in))
		})
	}
}
