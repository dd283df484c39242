// Package decoders compares other JSON decoders on the ListPhoneImages
// responses that cph's BenchmarkDecode measures: the documented 3-image
// sample and the generated 10,000-image body (internal/benchdata). It is a
// module of its own so that the libraries it measures stay out of cph's
// go.mod; it has only tests and benchmarks.
//
// Two kinds of contender:
//   - decoders into the result cph's decoder makes ([]cph.PhoneImage and
//     the request ID): encoding/json, the json/v2 prototype
//     (go-json-experiment), json-iterator (the official SDK's decoder) and
//     sonic (JIT-compiled, with SIMD assembly);
//   - parsers that build no such result, as floors for parsing alone:
//     simdjson-go (SIMD assembly; a tape of the document) and fastjson
//     (pure Go; a tree of values over the input).
//
// Run from this directory:
//
//	go test -run '^$' -bench . -count 6 . | tee decoders.txt
//	go run golang.org/x/perf/cmd/benchstat@v0.0.0-20260908200009-22c9c6c9d4da -col /decoder decoders.txt
package decoders
