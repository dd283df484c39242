package cph

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestSnippetOfHTML(t *testing.T) {
	tests := map[string]struct {
		body string
		want string
	}{
		"nginx 502": {
			body: "<html><head><title>502 Bad Gateway</title></head><body><center><h1>502 Bad Gateway</h1></center><hr><center>nginx</center></body></html>",
			want: "502 Bad Gateway 502 Bad Gateway nginx",
		},
		"script and style dropped, any case": {
			body: "<STYLE>body{}</style><Script>x()</SCRIPT>shown<script type=x>y()</script >",
			want: "shown",
		},
		"unclosed script drops the rest": {body: "before<script>var a = '<b>';", want: "before"},
		"unclosed tag":                   {body: "text <b", want: "text"},
		"lone end tags":                  {body: "a</b>b</", want: "a b"},
		"tag name only starts like one":  {body: "<scripts>kept</scripts>", want: "kept"},
		"plain text":                     {body: "plain   text\n", want: "plain text"},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			assert.Equal(t, tc.want, snippet([]byte(tc.body)))
		})
	}
}

// TestSnippetCostIsLinear guards against the quadratic stripping a body of
// many tags once cost (lower-casing the rest of the body at every tag, 0.6 s
// for 64 KiB of "<>"). Allocations stand in for the work, which must not
// grow with the number of tags.
func TestSnippetCostIsLinear(t *testing.T) {
	for name, body := range map[string][]byte{
		"tags":            []byte(strings.Repeat("<B>", 20<<10)),
		"unclosed script": []byte(strings.Repeat("<SCRIPT>", 8<<10)),
		"script pairs":    []byte(strings.Repeat("<Script></Script>", 4<<10)),
		"end tags":        []byte(strings.Repeat("</B>", 16<<10)),
	} {
		t.Run(name, func(t *testing.T) {
			allocs := testing.AllocsPerRun(3, func() { snippet(body) })
			assert.LessOrEqual(t, allocs, 64.0, "allocations per snippet of %d bytes", len(body))
		})
	}
}
