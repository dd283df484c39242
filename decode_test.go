package cph

import (
	"bytes"
	"encoding/json"
	"errors"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/cph-go/cph/internal/benchdata"
	"github.com/cph-go/cph/internal/jsonscan"
	"github.com/cph-go/cph/internal/strtab"
)

// referenceDecode is what decodeListPhoneImages must match: encoding/json
// into the documented body, listPhoneImagesBody (wire.ListPhoneImages, the
// type that the fallback decodeListPhoneImagesStd decodes into too), after
// the same "is it an object" check.
func referenceDecode(body []byte) (*ListPhoneImagesOutput, error) {
	if t := bytes.TrimLeft(body, " \t\r\n"); len(t) == 0 || t[0] != '{' {
		return nil, errors.New("not an object")
	}
	var b listPhoneImagesBody
	if err := json.Unmarshal(body, &b); err != nil {
		return nil, err
	}
	if b.PhoneImages == nil {
		b.PhoneImages = []PhoneImage{}
	}
	return &ListPhoneImagesOutput{Images: b.PhoneImages, RequestID: b.RequestID}, nil
}

// checkMatchesEncodingJSON decodes data with both decoders and fails
// unless they agree: the same output (compared whole) or both an error.
// It also checks that the output does not alias the body, by scribbling
// over the body after decoding.
func checkMatchesEncodingJSON(t *testing.T, data []byte) {
	t.Helper()
	want, wantErr := referenceDecode(data)
	body := bytes.Clone(data)
	got, err := decodeListPhoneImages(body)
	if wantErr != nil {
		require.Error(t, err, "encoding/json fails with %v", wantErr)
		assert.ErrorIs(t, err, ErrInvalidResponse)
		assert.True(t, strings.HasPrefix(err.Error(), "invalid response: "), err.Error())
		assert.Nil(t, got)
		return
	}
	require.NoError(t, err)
	require.Equal(t, want, got)
	for i := range body {
		body[i] = 'X'
	}
	require.Equal(t, want, got, "the output changed with the body it came from")
}

// decodeCases are documents whose decoding must match encoding/json's,
// valid or not; they seed the fuzzer too.
var decodeCases = []struct {
	name string
	body string
}{
	{"empty object", `{}`},
	{"empty list", `{"phone_images":[],"request_id":"r"}`},
	{"white space everywhere", " \t\r\n{ \"phone_images\" :\n[ { \"image_id\" : \"a\" } , null ] , \"request_id\" : \"r\" }\n "},
	{"unknown fields ignored", `{"x":{"a":[1,{"b":null}],"c":"d"},"phone_images":[{"image_id":"a","new":[true,false,{"z":-1.5e3}],"n":{}}],"y":[]}`},
	{"unknown label and visibility kept", `{"phone_images":[{"image_label":"cloud_phone_arm64","is_public":7}]}`},
	{"documented labels", `{"phone_images":[{"image_label":"cloud_phone"},{"image_label":"cloud_phone_1620"},{"image_label":"cloud_game"},{"image_label":"cloud_game_1620"},{"image_label":"qemu_phone"}]}`},
	{"all fields", `{"phone_images":[{"image_id":"i","image_name":"n","os_type":"aosp","os_name":"AOSP7.1.1","is_public":2,"image_label":"cloud_game","is_support_encrypt":true}],"request_id":"r"}`},
	{"escapes", `{"request_id":"\"\\\/\b\f\n\r\t\u0041\u00e9\u4e91","phone_images":[{"image_name":"a\u0000b"}]}`},
	{"surrogate pair", `{"request_id":"\ud83d\ude00"}`},
	{"lone high surrogate", `{"request_id":"\ud83dx"}`},
	{"lone low surrogate", `{"request_id":"\ude00\ud83d"}`},
	{"high surrogate then non-surrogate escape", `{"request_id":"\ud83d\u0041"}`},
	{"high surrogate then high surrogate", `{"request_id":"\ud83d\ud83d\ude00"}`},
	{"raw unicode", `{"phone_images":[{"image_name":"自定义镜像","os_name":"Ændröid"}]}`},
	{"invalid utf-8", "{\"request_id\":\"a\xffb\xc3\",\"phone_images\":[{\"image_name\":\"\xed\xa0\x80\"}]}"},
	{"invalid utf-8 in key", "{\"image\xff\":1,\"phone_images\":[{\"os\xc3_type\":\"x\"}]}"},
	{"is_public 1", `{"phone_images":[{"is_public":1}]}`},
	{"is_public -0", `{"phone_images":[{"is_public":-0}]}`},
	{"is_public 1.0", `{"phone_images":[{"is_public":1.0}]}`},
	{"is_public 1e0", `{"phone_images":[{"is_public":1e0}]}`},
	{"is_public 1E+2", `{"phone_images":[{"is_public":1E+2}]}`},
	{"is_public max int64", `{"phone_images":[{"is_public":9223372036854775807}]}`},
	{"is_public min int64", `{"phone_images":[{"is_public":-9223372036854775808}]}`},
	{"is_public overflow", `{"phone_images":[{"is_public":9223372036854775808}]}`},
	{"is_public negative overflow", `{"phone_images":[{"is_public":-9223372036854775809}]}`},
	{"is_public huge", `{"phone_images":[{"is_public":123456789012345678901234567890}]}`},
	{"is_public string", `{"phone_images":[{"is_public":"1"}]}`},
	{"is_public bool", `{"phone_images":[{"is_public":true}]}`},
	{"is_public null keeps", `{"phone_images":[{"is_public":1,"is_public":null}]}`},
	{"leading zero", `{"phone_images":[{"is_public":01}]}`},
	{"bare minus", `{"x":-}`},
	{"dangling point", `{"x":1.}`},
	{"dangling exponent", `{"x":1e}`},
	{"plus sign", `{"x":+1}`},
	{"duplicate keys last wins", `{"request_id":"a","request_id":"b","phone_images":[{"image_id":"x","image_id":"y"}]}`},
	{"duplicate list", `{"phone_images":[{"image_id":"a","os_type":"t"},{"image_id":"b"}],"phone_images":[{"image_id":"c"}]}`},
	{"duplicate list after null", `{"phone_images":[{"image_id":"a"}],"phone_images":null,"phone_images":[{"os_name":"b"}]}`},
	{"duplicate list after empty", `{"phone_images":[{"image_id":"a"},{"image_id":"b"}],"phone_images":[],"phone_images":[{"os_name":"c"}]}`},
	{"duplicate list three times", `{"phone_images":[{"image_id":"a"},{"image_id":"b"}],"phone_images":[{"os_type":"c"}],"phone_images":[{"os_name":"d"},{"image_label":"e"}]}`},
	{"null list", `{"phone_images":null}`},
	{"null values keep", `{"request_id":null,"phone_images":[null,{"image_id":null,"image_name":null,"os_type":null,"os_name":null,"image_label":null,"is_support_encrypt":null}]}`},
	{"bool values", `{"phone_images":[{"is_support_encrypt":true},{"is_support_encrypt":false},{"is_support_encrypt":true,"is_support_encrypt":false}]}`},
	{"bool as string", `{"phone_images":[{"is_support_encrypt":"true"}]}`},
	{"bool as number", `{"phone_images":[{"is_support_encrypt":1}]}`},
	{"string as number", `{"request_id":5}`},
	{"string as object", `{"phone_images":[{"image_id":{}}]}`},
	{"string as array", `{"phone_images":[{"image_name":[]}]}`},
	{"list as object", `{"phone_images":{}}`},
	{"list as string", `{"phone_images":"x"}`},
	{"element as number", `{"phone_images":[1]}`},
	{"element as array", `{"phone_images":[[]]}`},
	{"element as string", `{"phone_images":["x"]}`},
	{"keys fold case", `{"REQUEST_ID":"a","Phone_Images":[{"IMAGE_ID":"b","Is_Public":2,"OS_TYPE":"c"}]}`},
	{"key exact beats fold", `{"PHONE_IMAGES":[{"image_id":"a"}],"phone_images":null}`},
	{"key with long s folds", `{"phone_images":[{"iſ_public":2,"oſ_type":"x","iſ_ſupport_encrypt":true}],"requeſt_id":"r"}`},
	{"key with kelvin sign", "{\"phone_images\":[{\"image_id\u212a\":\"x\"}]}"},
	{"key with escapes", `{"\u0070hone_images":[{"image\u005fid":"a","\u0049MAGE_NAME":"n"}],"request\/id":"x"}`},
	{"key with escaped long s", `{"phone_images":[{"i\u017f_public":2}]}`},
	{"empty key", `{"":1}`},
	{"long unknown key", `{"` + strings.Repeat("k", 100) + `":1}`},
	{"top-level null", `null`},
	{"top-level array", `[]`},
	{"top-level string", `"x"`},
	{"empty body", ``},
	{"white space only", " \n"},
	{"byte order mark", "\xef\xbb\xbf{}"},
	{"trailing garbage", `{} x`},
	{"two objects", `{}{}`},
	{"trailing comma in object", `{"a":1,}`},
	{"trailing comma in array", `{"phone_images":[{},]}`},
	{"missing colon", `{"a" 1}`},
	{"missing comma", `{"a":1 "b":2}`},
	{"unquoted key", `{a:1}`},
	{"single quotes", `{'a':1}`},
	{"bad escape", `{"request_id":"\x"}`},
	{"escaped single quote", `{"request_id":"\'"}`},
	{"short unicode escape", `{"request_id":"\u12"}`},
	{"bad unicode escape", `{"request_id":"\u12g4"}`},
	{"control character in string", "{\"request_id\":\"a\tb\"}"},
	{"unterminated string", `{"request_id":"abc`},
	{"unterminated object", `{"phone_images":[{"image_id":"a"}]`},
	{"unterminated array", `{"phone_images":[{"image_id":"a"}`},
	{"truncated literal", `{"x":tru}`},
	{"literal with tail", `{"x":nulll}`},
	{"capital literal", `{"x":True}`},
	{"nested unknown deep", `{"x":` + strings.Repeat("[", 500) + strings.Repeat("]", 500) + `}`},
	{"depth at the limit", `{"x":` + strings.Repeat("[", jsonscan.MaxDepth-1) + strings.Repeat("]", jsonscan.MaxDepth-1) + `}`},
	{"depth over the limit", `{"x":` + strings.Repeat("[", jsonscan.MaxDepth) + strings.Repeat("]", jsonscan.MaxDepth) + `}`},
	{"empty object over the limit", `{"x":` + strings.Repeat("[", jsonscan.MaxDepth-1) + "{}" + strings.Repeat("]", jsonscan.MaxDepth-1) + `}`},
	{"depth over the limit inside an image", `{"phone_images":[{"x":` + strings.Repeat("[", jsonscan.MaxDepth-3) + strings.Repeat("]", jsonscan.MaxDepth-3) + `}]}`},
	{"depth at the limit inside an image", `{"phone_images":[{"x":` + strings.Repeat("[", jsonscan.MaxDepth-4) + strings.Repeat("]", jsonscan.MaxDepth-4) + `}]}`},
	{"mismatched brackets", `{"x":[}`},
	{"key without its opening quote", `{"phone_images":[{0image_name":"00000000000"}]}`},
	{"value without its opening quote", `{"phone_images":[{"image_name":AOSP","os_type":"aosp"}]}`},
	{"type error then syntax error", `{"request_id":1,}`},
}

func TestDecodeMatchesEncodingJSON(t *testing.T) {
	for _, tc := range decodeCases {
		t.Run(tc.name, func(t *testing.T) {
			checkMatchesEncodingJSON(t, []byte(tc.body))
		})
	}
}

func TestDecodeGeneratedMatchesEncodingJSON(t *testing.T) {
	for _, n := range []int{1, 10, 1000} {
		checkMatchesEncodingJSON(t, benchdata.Body(n))
	}
}

// TestDecodeValues pins a few outputs directly, so that the comparison
// with encoding/json is not the only thing that says what they are.
func TestDecodeValues(t *testing.T) {
	tests := map[string]struct {
		body string
		want *ListPhoneImagesOutput
	}{
		"null element is the zero image": {
			body: `{"phone_images":[null,{"image_id":"a"}]}`,
			want: &ListPhoneImagesOutput{Images: []PhoneImage{{}, {ID: "a"}}},
		},
		"null list is empty": {
			body: `{"phone_images":null}`,
			want: &ListPhoneImagesOutput{Images: []PhoneImage{}},
		},
		"keys fold": {
			body: `{"phone_images":[{"IMAGE_ID":"a","iſ_public":1}]}`,
			want: &ListPhoneImagesOutput{Images: []PhoneImage{{ID: "a", Visibility: VisibilityPublic}}},
		},
		"escapes and surrogates": {
			body: `{"request_id":"\u4e91\ud83d\ude00\ud83d"}`,
			want: &ListPhoneImagesOutput{RequestID: "云😀\ufffd", Images: []PhoneImage{}},
		},
		"second list decodes into the first": {
			body: `{"phone_images":[{"image_id":"a","os_type":"t"}],"phone_images":[{"image_id":"b"}]}`,
			want: &ListPhoneImagesOutput{Images: []PhoneImage{{ID: "b", OSType: "t"}}},
		},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			got, err := decodeListPhoneImages([]byte(tc.body))
			require.NoError(t, err)
			assert.Equal(t, tc.want, got)
		})
	}
}

func TestDecodeAllocatesPerDocumentNotPerImage(t *testing.T) {
	body := benchdata.Body(1000)
	allocs := testing.AllocsPerRun(20, func() {
		_, err := decodeListPhoneImages(body)
		require.NoError(t, err)
	})
	// The output, its image slice and the arena's chunks, each filled to
	// more than strtab.MaxChunk-strtab.MaxShared bytes but the last.
	chunks := documentStringBytes(t, body) / (strtab.MaxChunk - strtab.MaxShared)
	assert.LessOrEqual(t, allocs, float64(3+chunks))
}

// FuzzDecodeListPhoneImages holds the fast decoder to encoding/json on any
// input: the same output for a valid document, an error for an invalid one,
// never a panic.
func FuzzDecodeListPhoneImages(f *testing.F) {
	for _, tc := range decodeCases {
		if len(tc.body) < 4096 {
			f.Add([]byte(tc.body))
		}
	}
	f.Add(benchdata.Body(5))
	f.Fuzz(func(t *testing.T, data []byte) {
		checkMatchesEncodingJSON(t, data)
	})
}

// FuzzDecodeFields puts arbitrary JSON text in the places of the values and
// of one key of a well-formed document, where byte-level mutation of whole
// documents rarely gets.
func FuzzDecodeFields(f *testing.F) {
	f.Add(`"AOSP"`, `1`, `"cloud_game"`, `"image_id"`, `"20032420200401a60b0003a99684b8ea"`, `"r"`)
	f.Add(`null`, `-0`, `null`, `"IMAGE_NAME"`, `"x"`, `null`)
	f.Add(`"a\u00e9\ud83d"`, `1.0`, `"new_label"`, `"iſ_public"`, `2`, `"\""`)
	f.Add(`{}`, `1e0`, `[]`, `"extra"`, `{"a":[1,{"b":null}]}`, `5`)
	f.Add(`"x"`, `9223372036854775808`, `true`, `"is_support_encrypt"`, `true`, `"r"`)
	f.Fuzz(func(t *testing.T, name, visibility, label, key, value, requestID string) {
		doc := `{"phone_images":[{"image_name":` + name + `,"is_public":` + visibility +
			`,"image_label":` + label + `,` + key + `:` + value + `},{"image_name":` + name +
			`,"os_type":"aosp"}],"request_id":` + requestID + `}`
		checkMatchesEncodingJSON(t, []byte(doc))
	})
}
