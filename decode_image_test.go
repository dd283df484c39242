package cph

import (
	"encoding/json"
	"fmt"
	"math"
	"strconv"
	"strings"
	"testing"
	"unsafe"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/cph-go/cph/internal/benchdata"
)

// TestDecodeImageValues pins what image decodes each field's values to,
// through the shortcut for the usual member and through imageValue (the
// key after white space, say), and holds each document to encoding/json.
func TestDecodeImageValues(t *testing.T) {
	maxInt, minInt := strconv.Itoa(math.MaxInt), strconv.Itoa(math.MinInt)
	overMaxInt := strconv.FormatUint(uint64(math.MaxInt)+1, 10)
	tests := map[string]struct {
		image    string // the image object
		want     PhoneImage
		wantErr  bool // an error, as encoding/json's
		constant bool // the label is the constant's string, not a copy
	}{
		"id":                           {image: `{"image_id":"abc"}`, want: PhoneImage{ID: "abc"}},
		"id escaped":                   {image: `{"image_id":"a\u0062c"}`, want: PhoneImage{ID: "abc"}},
		"id after white space":         {image: `{"image_id": "abc"}`, want: PhoneImage{ID: "abc"}},
		"id null":                      {image: `{"image_id":null}`, want: PhoneImage{}},
		"id null keeps the last one":   {image: `{"image_id":"a","image_id":null}`, want: PhoneImage{ID: "a"}},
		"id a number":                  {image: `{"image_id":1}`, wantErr: true},
		"os type aosp":                 {image: `{"os_type":"aosp"}`, want: PhoneImage{OSType: "aosp"}},
		"os name escaped":              {image: `{"os_name":"Android\u0020 12"}`, want: PhoneImage{OSName: "Android  12"}},
		"name a boolean":               {image: `{"image_name":true}`, wantErr: true},
		"label cloud_phone":            {image: `{"image_label":"cloud_phone"}`, want: PhoneImage{Label: LabelCloudPhone}, constant: true},
		"label cloud_phone_1620":       {image: `{"image_label":"cloud_phone_1620"}`, want: PhoneImage{Label: LabelCloudPhone1620}, constant: true},
		"label cloud_game":             {image: `{"image_label":"cloud_game"}`, want: PhoneImage{Label: LabelCloudGame}, constant: true},
		"label cloud_game_1620":        {image: `{"image_label":"cloud_game_1620"}`, want: PhoneImage{Label: LabelCloudGame1620}, constant: true},
		"label qemu_phone":             {image: `{"image_label":"qemu_phone"}`, want: PhoneImage{Label: LabelQemuPhone}, constant: true},
		"label escaped":                {image: `{"image_label":"cloud\u005fgame"}`, want: PhoneImage{Label: LabelCloudGame}, constant: true},
		"label after white space":      {image: `{"image_label" : "qemu_phone"}`, want: PhoneImage{Label: LabelQemuPhone}, constant: true},
		"label unknown, kept":          {image: `{"image_label":"cloud_phone_arm64"}`, want: PhoneImage{Label: "cloud_phone_arm64"}},
		"label case kept":              {image: `{"image_label":"CLOUD_PHONE"}`, want: PhoneImage{Label: "CLOUD_PHONE"}},
		"label empty":                  {image: `{"image_label":""}`, want: PhoneImage{}},
		"label null":                   {image: `{"image_label":null}`, want: PhoneImage{}},
		"label a number":               {image: `{"image_label":1}`, wantErr: true},
		"visibility 0":                 {image: `{"is_public":0}`, want: PhoneImage{Visibility: 0}},
		"visibility 1":                 {image: `{"is_public":1}`, want: PhoneImage{Visibility: VisibilityPublic}},
		"visibility 9, then a member":  {image: `{"is_public":9,"os_type":"t"}`, want: PhoneImage{Visibility: 9, OSType: "t"}},
		"visibility 10":                {image: `{"is_public":10}`, want: PhoneImage{Visibility: 10}},
		"visibility -1":                {image: `{"is_public":-1}`, want: PhoneImage{Visibility: -1}},
		"minus zero is zero":           {image: `{"is_public":-0}`, want: PhoneImage{Visibility: 0}},
		"visibility after white space": {image: `{"is_public": 2 }`, want: PhoneImage{Visibility: VisibilityPrivate}},
		"visibility the largest int":   {image: `{"is_public":` + maxInt + `}`, want: PhoneImage{Visibility: math.MaxInt}},
		"visibility the smallest int":  {image: `{"is_public":` + minInt + `}`, want: PhoneImage{Visibility: math.MinInt}},
		"visibility out of range":      {image: `{"is_public":` + overMaxInt + `}`, wantErr: true},
		"visibility null":              {image: `{"is_public":null}`, want: PhoneImage{}},
		"visibility null keeps 1":      {image: `{"is_public":1,"is_public":null}`, want: PhoneImage{Visibility: VisibilityPublic}},
		"visibility 1.0":               {image: `{"is_public":1.0}`, wantErr: true},
		"visibility 1e0":               {image: `{"is_public":1e0}`, wantErr: true},
		"visibility 1.5":               {image: `{"is_public":1.5}`, wantErr: true},
		"visibility 01":                {image: `{"is_public":01}`, wantErr: true},
		"visibility a string":          {image: `{"is_public":"1"}`, wantErr: true},
		"visibility a boolean":         {image: `{"is_public":true}`, wantErr: true},
		"visibility a lone minus":      {image: `{"is_public":-}`, wantErr: true},
		"unknown values kept": {
			image: `{"image_label":"cloud_phone_arm64","is_public":7,"extra":{"a":[1]}}`,
			want:  PhoneImage{Label: "cloud_phone_arm64", Visibility: 7},
		},
		"encryption true":                                {image: `{"is_support_encrypt":true}`, want: PhoneImage{SupportsEncryption: true}},
		"encryption false":                               {image: `{"is_support_encrypt":false}`, want: PhoneImage{}},
		"encryption after white space":                   {image: `{"is_support_encrypt": true}`, want: PhoneImage{SupportsEncryption: true}},
		"encryption false after true":                    {image: `{"is_support_encrypt":true,"is_support_encrypt":false}`, want: PhoneImage{}},
		"encryption false after white space, after true": {image: `{"is_support_encrypt":true,"is_support_encrypt": false}`, want: PhoneImage{}},
		"encryption null keeps true":                     {image: `{"is_support_encrypt":true,"is_support_encrypt":null}`, want: PhoneImage{SupportsEncryption: true}},
		"encryption 1":                                   {image: `{"is_support_encrypt":1}`, wantErr: true},
		"encryption a string":                            {image: `{"is_support_encrypt":"true"}`, wantErr: true},
		"encryption True":                                {image: `{"is_support_encrypt":True}`, wantErr: true},
		"encryption tru":                                 {image: `{"is_support_encrypt":tru}`, wantErr: true},
		"encryption falsey":                              {image: `{"is_support_encrypt":falsey}`, wantErr: true},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			body := []byte(`{"phone_images":[` + tc.image + `],"request_id":"r"}`)
			got, err := decodeListPhoneImages(body)
			if tc.wantErr {
				require.Error(t, err)
			} else {
				require.NoError(t, err)
				assert.Equal(t, &ListPhoneImagesOutput{RequestID: "r", Images: []PhoneImage{tc.want}}, got)
				if tc.constant {
					assert.Same(t, unsafe.StringData(string(tc.want.Label)), unsafe.StringData(string(got.Images[0].Label)),
						"a documented label is the constant")
				}
			}
			checkMatchesEncodingJSON(t, body)
		})
	}
}

// TestDecodeRepeatedLiterals holds the shortcuts for values seen before
// (the literal caches compare a few words at a time) and for image IDs
// (checked at the last ID's length) to encoding/json, with values that
// differ from each other just before, at and after the ends of words.
func TestDecodeRepeatedLiterals(t *testing.T) {
	image := func(id, name, osType, osName, label string) string {
		return `{"image_name":"` + name + `","os_type":"` + osType + `","is_public":1,"os_name":"` + osName +
			`","image_label":"` + label + `","image_id":"` + id + `"}`
	}
	doc := func(images []string) []byte {
		return []byte(`{"phone_images":[` + strings.Join(images, ",") + `],"request_id":"r"}`)
	}
	const id = "0123456789abcdef0123456789abcdef"
	tests := map[string][]byte{}
	for n := 1; n <= 3*8+2; n++ {
		a := strings.Repeat("a", n)
		values := []string{a, a, a[:n-1] + "b", a, a + "a", a, a[:n-1], a, "b" + a[1:], a}
		var images []string
		for i, v := range values {
			w := values[len(values)-1-i]
			images = append(images, image(id, v, w, v, w), image(id, w, v, w, v))
		}
		tests[fmt.Sprintf("values of %d bytes", n)] = doc(images)
	}
	tests["values before other members"] = []byte(`{"phone_images":[{"image_name":"AOSP","os_type":"aosp"},{"image_name":"AOSP"},` +
		`{"image_name":"AOSP","x":1},{"image_name":"AOSP" ,"os_type":"aosp" },{"image_name":"AOSP"}],"request_id":"r"}`)
	tests["escaped and invalid values repeated"] = doc([]string{
		image(id, `a\u0041`, "aosp", "\xff\xfe", `\"q\"`), image(id, `a\u0041`, "aosp", "\xff\xfe", `\"q\"`),
		image(id, `aA`, "aosp", "\xef\xbf\xbd\xef\xbf\xbd", `q`), image(id, `a\u0041`, "aosp", "\xff\xfe", `\"q\"`),
	})
	var ids []string
	for _, v := range []string{
		id, id, `0123456789abcdef0123456789ab\"ef`, id, `\"123456789abcdef0123456789abcdef`[:32], id,
		"0123456789abcdef0123456789abcd\xc3\xa9", id, "0123456789abcdef0123456789abcd\xff\xfe", id,
		`0123456789abcdef0123456789ab\n\t`, id, id[:31], id, id + "0", id, id[:8], id[:8], id[:16], id[:16], id[:24], id,
	} {
		ids = append(ids, image(v, "n", "aosp", "o", "cloud_game"))
	}
	tests["IDs of one length and others"] = doc(ids)
	tests["ID with a raw control character"] = doc([]string{image(id, "n", "aosp", "o", "l"), image(id[:31]+"\x01", "n", "aosp", "o", "l")})
	tests["ID with an unescaped quote"] = doc([]string{image(id, "n", "aosp", "o", "l"), image(id[:31]+`"`, "n", "aosp", "o", "l")})
	tests["ID with a quote inside"] = doc([]string{image(id, "n", "aosp", "o", "l"), image(id[:20]+`","x":"`+id[:5], "n", "aosp", "o", "l")})
	invalid := map[string]bool{"ID with a raw control character": true, "ID with an unescaped quote": true}
	for name, body := range tests {
		t.Run(name, func(t *testing.T) {
			require.Equal(t, !invalid[name], json.Valid(body), "the document's validity")
			checkMatchesEncodingJSON(t, body)
		})
	}
}

func TestDecodeInternsRepeatedValues(t *testing.T) {
	got, err := decodeListPhoneImages(benchdata.Body(1000))
	require.NoError(t, err)
	// A value seen before mostly shares the bytes of its first copy (the
	// intern table is a cache: a collision may cost a second copy).
	first := map[string]*byte{}
	repeats, shared := 0, 0
	for _, img := range got.Images {
		for _, s := range []string{img.Name, img.OSType, img.OSName, string(img.Label)} {
			p, ok := first[s]
			if !ok {
				first[s] = unsafe.StringData(s)
				continue
			}
			repeats++
			if p == unsafe.StringData(s) {
				shared++
			}
		}
	}
	require.Greater(t, repeats, 2000)
	assert.Greater(t, shared, repeats*9/10)
}
