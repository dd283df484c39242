package cph

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestCleanQuote(t *testing.T) {
	x := strings.Repeat("x", 120)
	tests := map[string]struct {
		s       string
		max     int
		secrets []string
		want    string
	}{
		"plain":                           {s: "req-1", max: maxRequestID, want: "req-1"},
		"nothing but white space":         {s: " \n\t ", max: maxRequestID, want: ""},
		"white space folded and trimmed":  {s: " \t a \r\n\n b \v", max: maxRequestID, want: "a b"},
		"control characters folded":       {s: "a\x00b\x1bc\x7fd\u0085e", max: maxRequestID, want: "a b c d e"},
		"invalid UTF-8 folded":            {s: "a\xffb", max: maxRequestID, want: "a b"},
		"at the cap":                      {s: strings.Repeat("x", maxRequestID), max: maxRequestID, want: strings.Repeat("x", maxRequestID)},
		"over the cap":                    {s: strings.Repeat("x", maxRequestID+1), max: maxRequestID, want: strings.Repeat("x", maxRequestID) + "…"},
		"cut at a rune boundary":          {s: "ab云", max: 4, want: "ab…"},
		"folded before it is capped":      {s: "a" + strings.Repeat(" ", 10) + "b", max: 3, want: "a b"},
		"a secret redacted":               {s: "id " + testToken + " end", max: maxRequestID, secrets: []string{testToken}, want: "id " + redacted + " end"},
		"every secret redacted":           {s: testSK + " " + testToken, max: maxRequestID, secrets: []string{testToken, testSK}, want: redacted + " " + redacted},
		"a short secret left alone":       {s: "busy", max: maxRequestID, secrets: []string{"b"}, want: "busy"},
		"redacted before it is cut":       {s: x + testToken, max: maxRequestID, secrets: []string{testToken}, want: x + redacted[:maxRequestID-len(x)] + "…"},
		"a secret's start before the cut": {s: x + testToken[:20], max: maxRequestID, secrets: []string{testToken}, want: x + redacted + "…"},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			assert.Equal(t, tc.want, cleanQuote(tc.s, tc.max, tc.secrets))
		})
	}
}

func TestBodyStart(t *testing.T) {
	tests := map[string]struct {
		body    string
		secrets []string
		want    string
	}{
		"empty":                     {body: "", want: ""},
		"short":                     {body: "not json", want: "not json"},
		"HTML stripped":             {body: "<html><body><h1>502 Bad Gateway</h1></body></html>", want: "502 Bad Gateway"},
		"exactly maxBodyStart":      {body: strings.Repeat("a", maxBodyStart), want: strings.Repeat("a", maxBodyStart)},
		"cut at maxBodyStart":       {body: strings.Repeat("a", 100), want: strings.Repeat("a", maxBodyStart) + "…"},
		"the window's cut marked":   {body: "<b>hi</b><i" + strings.Repeat("x", 70) + ">tail", want: "hi…"},
		"nothing shown, no mark":    {body: "<" + strings.Repeat("x", 70) + ">tail", want: ""},
		"control characters folded": {body: "a\x00\x01b\r\nc", want: "a b c"},
		"a secret brought in by stripping": {
			body:    "<p>" + strings.Repeat("x", 50) + "</p>" + testToken + "<p>end</p>",
			secrets: []string{testToken},
			want:    strings.Repeat("x", 50) + " " + redacted + " en…",
		},
		"a secret the window cuts": {
			body:    strings.Repeat("<b>", 30) + testToken + "tail",
			secrets: []string{testToken},
			want:    redacted + "…",
		},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			got := bodyStart([]byte(tc.body), tc.secrets)
			assert.Equal(t, tc.want, got)
			assert.LessOrEqual(t, len(got), maxBodyStart+len("…"))
		})
	}
}
