package cph

import (
	"fmt"
	"strings"
	"testing"

	"github.com/cph-go/cph/internal/strtab"
)

// TestDecodeLongValuesMatchEncodingJSON decodes values of the lengths
// around the arena's limits, plain and with escapes, in every string
// field, and holds the output to encoding/json's.
func TestDecodeLongValuesMatchEncodingJSON(t *testing.T) {
	for _, n := range []int{strtab.MaxShared - 1, strtab.MaxShared, strtab.MaxShared + 1, strtab.MaxChunk - 1, strtab.MaxChunk, strtab.MaxChunk + 1, 3 * strtab.MaxChunk} {
		for _, escaped := range []bool{false, true} {
			t.Run(fmt.Sprintf("%d bytes, escaped %v", n, escaped), func(t *testing.T) {
				val := func(c string) string {
					v := strings.Repeat(c, n)
					if escaped {
						v = `\"` + v[2:]
					}
					return `"` + v + `"`
				}
				var b strings.Builder
				b.WriteString(`{"phone_images":[`)
				for i := range 20 {
					if i > 0 {
						b.WriteByte(',')
					}
					fmt.Fprintf(&b, `{"image_name":%s,"os_type":%s,"is_public":1,"os_name":%s,"image_label":%s,"image_id":%s}`,
						val(string(rune('a'+i%3))), val("t"), val(string(rune('o'+i%2))), val("l"), val(string(rune('A'+i))))
				}
				fmt.Fprintf(&b, `],"request_id":%s}`, val("r"))
				checkMatchesEncodingJSON(t, []byte(b.String()))
			})
		}
	}
}
