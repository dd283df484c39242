package cph

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/cph-go/cph/internal/jsonscan"
)

// padding makes room after a key for knownKey, which reads as many bytes
// as the longest key takes.
const padding = `:"padding to make room"`

// TestKnownKey: every field's name, spelt exactly, is known without a scan,
// at any offset; every near miss of it is left to key.
func TestKnownKey(t *testing.T) {
	for f, name := range fieldNames {
		if name == "" {
			continue
		}
		t.Run(name, func(t *testing.T) {
			doc := []byte(`"` + name + `"` + padding)
			field, end := knownKey(doc, 0)
			assert.Equal(t, f, field, "a key spelt exactly is known without a scan")
			assert.Equal(t, len(name)+2, end)

			field, end = knownKey([]byte(`{ "`+name+`"`+padding), 2)
			assert.Equal(t, f, field, "at an offset")
			assert.Equal(t, 2+len(name)+2, end)

			last := name[len(name)-1]
			for miss, key := range map[string]string{
				"upper case":                 strings.ToUpper(name),
				"first letter upper case":    strings.ToUpper(name[:1]) + name[1:],
				"last letter changed":        name[:len(name)-1] + string(last+1),
				"a letter short":             name[:len(name)-1],
				"a letter more":              name + "x",
				"an underscore more":         name + "_",
				"a space more":               name + " ",
				"escaped":                    strings.Replace(name, "_", `\u005f`, 1),
				"the closing quote replaced": name + `x` + padding[1:],
			} {
				field, _ = knownKey([]byte(`"`+key+`"`+padding), 0)
				assert.Equal(t, -1, field, "%s (%q): other spellings go through the scan and case folding", miss, key)
			}
			field, _ = knownKey([]byte(`"` + name + `"` + padding)[:len(`"is_support_encrypt"`)-1], 0)
			assert.Equal(t, -1, field, "too near the end of the body: fewer bytes than the longest key")
		})
	}
	field, _ := knownKey([]byte(`"image_id"`), 0)
	assert.Equal(t, -1, field, "too near the end of the body")
	for name, key := range map[string]string{
		"empty":                 ``,
		"another key":           `extra`,
		"request_id's neighbor": `request_ix`,
		"a longer key":          `image_idx`,
	} {
		field, _ = knownKey([]byte(`"`+key+`"`+padding), 0)
		assert.Equal(t, -1, field, name)
	}
}

// TestDecodeKey: key returns the field encoding/json would pick for a key
// (exact name, else the name under case folding, escapes decoded) and
// leaves d.pos at the value.
func TestDecodeKey(t *testing.T) {
	tooLong := strings.Repeat("a", maxFoldedKey+1)
	tests := map[string]struct {
		doc     string
		field   int
		value   string // what follows d.pos
		wantErr string // part of the error; empty: none
	}{
		"known, long document":         {doc: `"image_id"` + padding, field: fieldImageID, value: `"padding to make room"`},
		"exact, short document":        {doc: `"os_type":1`, field: fieldOSType, value: `1`},
		"white space around the colon": {doc: `"image_id" :` + " \t\n1", field: fieldImageID, value: `1`},
		"white space, short document":  {doc: `"is_public"` + "\n:\n0", field: fieldIsPublic, value: `0`},
		"upper case":                   {doc: `"IMAGE_ID":1`, field: fieldImageID, value: `1`},
		"mixed case, long":             {doc: `"Is_Support_Encrypt"` + padding, field: fieldSupportsEncryption, value: `"padding to make room"`},
		"long s folds to s":            {doc: `"iſ_public":1`, field: fieldIsPublic, value: `1`},
		"escaped":                      {doc: `"image\u005fid":1`, field: fieldImageID, value: `1`},
		"escaped and upper case":       {doc: `"\u0049MAGE_ID":1`, field: fieldImageID, value: `1`},
		"unknown":                      {doc: `"extra":1`, field: fieldUnknown, value: `1`},
		"empty":                        {doc: `"":1`, field: fieldUnknown, value: `1`},
		"a field name's prefix":        {doc: `"image_i":1`, field: fieldUnknown, value: `1`},
		"longer than any folded name":  {doc: `"` + tooLong + `":1`, field: fieldUnknown, value: `1`},
		"nothing after the colon":      {doc: `"image_id":`, field: fieldImageID, value: ``},
		"not a string":                 {doc: `1:2`, wantErr: "looking for beginning of object key string"},
		"at the end":                   {doc: ``, wantErr: "unexpected end of JSON input"},
		"no colon":                     {doc: `"image_id" 1`, wantErr: "after object key"},
		"no colon at the end":          {doc: `"image_id"`, wantErr: "unexpected end of JSON input"},
		"unterminated":                 {doc: `"image_id`, wantErr: "unexpected end of JSON input"},
		"raw control character":        {doc: "\"image\x01id\":1", wantErr: "invalid character"},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			d := &docDecoder{data: jsonscan.Scanner(tc.doc)}
			field, err := d.key()
			if tc.wantErr == "" {
				require.NoError(t, err)
				assert.Equal(t, tc.field, field)
				assert.Equal(t, tc.value, tc.doc[d.pos:], "d.pos is at the value")
			} else {
				assert.ErrorContains(t, err, tc.wantErr)
			}
		})
	}
}
