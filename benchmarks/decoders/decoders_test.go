package decoders

import (
	"encoding/json"
	"fmt"
	"maps"
	"os"
	"slices"
	"testing"

	"github.com/bytedance/sonic"
	jsonv2 "github.com/go-json-experiment/json"
	jsoniter "github.com/json-iterator/go"
	"github.com/minio/simdjson-go"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/valyala/fastjson"

	"github.com/cph-go/cph"
	"github.com/cph-go/cph/internal/benchdata"
)

// output is the result every decoder fills: the response's shape, with
// cph's own image type.
type output struct {
	Images    []cph.PhoneImage `json:"phone_images"`
	RequestID string           `json:"request_id"`
}

// body is one response the contenders decode.
type body struct {
	name   string // as in cph's BenchmarkDecode: images=3, images=10000
	data   []byte
	images int
}

// bodies returns the two responses of cph's BenchmarkDecode.
func bodies(tb testing.TB) []body {
	tb.Helper()
	sample, err := os.ReadFile("../../testdata/list_phone_images.json")
	require.NoError(tb, err)
	return []body{
		{"images=3", sample, 3},
		{fmt.Sprintf("images=%d", benchdata.LargeImages), benchdata.Large(), benchdata.LargeImages},
	}
}

// decoders are the contenders that fill an output, by name.
var decoders = map[string]func([]byte, *output) error{
	"encoding-json": func(b []byte, o *output) error { return json.Unmarshal(b, o) },
	// json/v2's defaults (stricter than v1: exact names, valid UTF-8).
	"json-v2": func(b []byte, o *output) error { return jsonv2.Unmarshal(b, o) },
	// The official SDK decodes with json-iterator's default configuration.
	"json-iterator": func(b []byte, o *output) error { return jsoniter.Unmarshal(b, o) },
	// sonic's default configuration, its fastest.
	"sonic": func(b []byte, o *output) error { return sonic.Unmarshal(b, o) },
}

// parsers are the contenders that only parse, by name: each makes a
// parser that reuses its memory from one call to the next, as these
// libraries are meant to be used, and returns how many elements the
// phone_images array has.
var parsers = map[string]func() func([]byte) (int, error){
	"simdjson-go": newSimdjsonParser,
	"fastjson":    newFastjsonParser,
}

// newSimdjsonParser parses with simdjson-go, strings left in the input.
func newSimdjsonParser() func([]byte) (int, error) {
	var pj *simdjson.ParsedJson
	return func(b []byte) (int, error) {
		var err error
		if pj, err = simdjson.Parse(b, pj, simdjson.WithCopyStrings(false)); err != nil {
			return 0, err
		}
		iter := pj.Iter()
		iter.Advance()
		_, root, err := iter.Root(nil)
		if err != nil {
			return 0, err
		}
		obj, err := root.Object(nil)
		if err != nil {
			return 0, err
		}
		elem := obj.FindKey("phone_images", nil)
		if elem == nil {
			return 0, fmt.Errorf("no phone_images")
		}
		arr, err := elem.Iter.Array(nil)
		if err != nil {
			return 0, err
		}
		n := 0
		for it := arr.Iter(); it.Advance() != simdjson.TypeNone; {
			n++
		}
		return n, nil
	}
}

// newFastjsonParser parses with fastjson.
func newFastjsonParser() func([]byte) (int, error) {
	var p fastjson.Parser
	return func(b []byte) (int, error) {
		v, err := p.ParseBytes(b)
		if err != nil {
			return 0, err
		}
		return len(v.GetArray("phone_images")), nil
	}
}

// TestDecodersAgree checks that every contender read both bodies whole:
// the decoders give what encoding/json gives, the parsers count every
// image.
func TestDecodersAgree(t *testing.T) {
	for _, b := range bodies(t) {
		var want output
		require.NoError(t, json.Unmarshal(b.data, &want))
		require.Len(t, want.Images, b.images)
		require.NotEmpty(t, want.RequestID)
		for name, decode := range decoders {
			t.Run(b.name+"/decoder="+name, func(t *testing.T) {
				var got output
				require.NoError(t, decode(b.data, &got))
				assert.Equal(t, want, got)
			})
		}
		for name, newParser := range parsers {
			t.Run(b.name+"/parser="+name, func(t *testing.T) {
				if name == "simdjson-go" && !simdjson.SupportedCPU() {
					t.Skip("simdjson-go needs AVX2 and CLMUL on amd64")
				}
				n, err := newParser()(b.data)
				require.NoError(t, err)
				assert.Equal(t, b.images, n)
			})
		}
	}
}

// BenchmarkDecode measures every contender on both bodies, named as cph's
// own BenchmarkDecode (images=N/decoder=NAME), so that benchstat can put
// the two runs side by side.
func BenchmarkDecode(b *testing.B) {
	for _, body := range bodies(b) {
		for _, name := range slices.Sorted(maps.Keys(decoders)) {
			decode := decoders[name]
			b.Run(body.name+"/decoder="+name, func(b *testing.B) {
				b.ReportAllocs()
				b.SetBytes(int64(len(body.data)))
				for b.Loop() {
					var out output
					if err := decode(body.data, &out); err != nil {
						b.Fatal(err)
					}
					if len(out.Images) != body.images {
						b.Fatalf("got %d images, want %d", len(out.Images), body.images)
					}
				}
			})
		}
		for _, name := range slices.Sorted(maps.Keys(parsers)) {
			parse := parsers[name]()
			b.Run(body.name+"/decoder="+name+"-parse-only", func(b *testing.B) {
				if !simdjson.SupportedCPU() && name == "simdjson-go" {
					b.Skip("simdjson-go needs AVX2 and CLMUL on amd64")
				}
				b.ReportAllocs()
				b.SetBytes(int64(len(body.data)))
				for b.Loop() {
					n, err := parse(body.data)
					if err != nil {
						b.Fatal(err)
					}
					if n != body.images {
						b.Fatalf("counted %d images, want %d", n, body.images)
					}
				}
			})
		}
	}
}
