package cph

import (
	"encoding/json"
	"runtime"
	"sort"
	"strings"
	"testing"
	"unsafe"
	"weak"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/cph-go/cph/internal/benchdata"
	"github.com/cph-go/cph/internal/strtab"
)

// keptImages names the images of the 10,000-image response that a caller
// might keep: the first, one in the middle, the last, and a private image
// whose name no other image has.
func keptImages(t *testing.T, images []PhoneImage) map[string]int {
	t.Helper()
	names := map[string]int{}
	for _, img := range images {
		names[img.Name]++
	}
	private := -1
	for i := len(images) / 3; i < len(images); i++ {
		if images[i].Visibility == VisibilityPrivate && names[images[i].Name] == 1 {
			private = i
			break
		}
	}
	require.GreaterOrEqual(t, private, 0, "no private image with a unique name")
	return map[string]int{
		"first":                 0,
		"middle":                len(images) / 2,
		"last":                  len(images) - 1,
		"private, its own name": private,
	}
}

// heapStrings returns the strings of img that the decoder put in the heap
// (the documented labels and OS type "aosp" are constants), each once.
func heapStrings(img *PhoneImage) []string {
	var out []string
	for _, s := range []string{img.ID, img.Name, img.OSType, img.OSName, string(img.Label)} {
		switch ImageLabel(s) {
		case "", "aosp", LabelCloudPhone, LabelCloudPhone1620, LabelCloudGame, LabelCloudGame1620, LabelQemuPhone:
			continue
		}
		dup := false
		for _, o := range out {
			dup = dup || unsafe.StringData(o) == unsafe.StringData(s)
		}
		if !dup {
			out = append(out, s)
		}
	}
	return out
}

// pinBound is the most that keeping img's strings may keep reachable,
// their own bytes included: a chunk for each string, or the string alone
// when it is longer than a chunk.
func pinBound(img *PhoneImage) int {
	n := 0
	for _, s := range heapStrings(img) {
		n += max(len(s), strtab.MaxChunk)
	}
	return n
}

// collect runs the garbage collector until what is unreachable is freed
// and the pools (which hold a pooled decoder) are empty.
func collect() {
	runtime.GC()
	runtime.GC()
}

// longNameBody returns a response of 2,000 generated images in which the
// image at index longNameIndex has a name of 128 KiB (a whole number of
// pages, so that its allocation is its size).
func longNameBody(t *testing.T) []byte {
	t.Helper()
	var doc listPhoneImagesBody
	require.NoError(t, json.Unmarshal(benchdata.Body(2000), &doc))
	doc.PhoneImages[longNameIndex].Name = strings.Repeat("n", 128<<10)
	body, err := json.Marshal(doc)
	require.NoError(t, err)
	return body
}

const longNameIndex = 1000

// TestDecodeKeptImagePinsItsChunksOnly holds the promise of stringTable:
// keeping one image of a decoded response keeps reachable at most a chunk
// for each of its strings (a string longer than a chunk, itself), not the
// rest of the response's strings. It measures what stays reachable two
// ways: the response's strings still alive (weak pointers to each one's
// bytes), and the heap in use with the image kept less the heap in use
// once it is dropped too.
func TestDecodeKeptImagePinsItsChunksOnly(t *testing.T) {
	large := benchdata.Large()
	out, err := decodeListPhoneImages(large)
	require.NoError(t, err)
	require.Len(t, out.Images, benchdata.LargeImages)
	type keep struct {
		body []byte
		k    int
	}
	cases := map[string]keep{}
	for name, k := range keptImages(t, out.Images) {
		cases[name] = keep{large, k}
	}
	out = nil
	long := longNameBody(t)
	cases["beside a long name"] = keep{long, longNameIndex + 1}
	cases["the long name"] = keep{long, longNameIndex}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			t.Run("strings alive", func(t *testing.T) {
				live, kept, runs := liveStringsKeeping(t, tc.body, tc.k)
				bound := pinBound(kept)
				t.Logf("image %d: %d bytes of the response's strings alive in %d runs %v (its own strings %d bytes; bound %d)",
					tc.k, live, len(runs), runs, ownBytes(kept), bound)
				assert.LessOrEqual(t, live, bound, "bytes of the response's strings alive")
				assert.LessOrEqual(t, len(runs), len(heapStrings(kept)), "runs of contiguous live strings")
				for _, r := range runs {
					if r <= strtab.MaxChunk {
						continue
					}
					// A string of its own, or two chunks side by side.
					assert.True(t, r == len(kept.Name) || r <= 2*strtab.MaxChunk, "a run of %d contiguous live bytes", r)
				}
			})
			t.Run("heap in use", func(t *testing.T) {
				if raceDetector {
					t.Skip("the race detector's own allocations blur heap figures; run without -race")
				}
				pinned, bound, own := heapPinnedKeeping(t, tc.body, tc.k)
				// Size-class rounding and the runtime's own bookkeeping
				// between the two readings: well under a chunk.
				const slack = 1 << 10
				t.Logf("image %d: %d bytes of heap kept (its own strings %d bytes; bound %d + %d)",
					tc.k, pinned, own, bound, slack)
				assert.LessOrEqual(t, pinned, int64(bound+slack), "heap bytes kept by one image")
				assert.GreaterOrEqual(t, pinned, int64(own), "heap bytes kept by one image: its own strings at least")
			})
		})
	}
}

func ownBytes(img *PhoneImage) int {
	n := 0
	for _, s := range heapStrings(img) {
		n += len(s)
	}
	return n
}

// liveStringsKeeping decodes body, keeps a copy of image k and drops the
// rest, and returns how many bytes of the response's strings are still
// alive after a collection, and the lengths of the runs of contiguous
// live strings (at most one run per chunk kept, two adjacent chunks
// seen as one).
func liveStringsKeeping(t *testing.T, body []byte, k int) (live int, kept *PhoneImage, runs []int) {
	t.Helper()
	type ref struct {
		p    weak.Pointer[byte]
		addr uintptr
		n    int
	}
	out, err := decodeListPhoneImages(body)
	require.NoError(t, err)
	var refs []ref
	seen := map[uintptr]bool{} // addresses, which keep nothing alive
	for i := range out.Images {
		for _, s := range heapStrings(&out.Images[i]) {
			p := unsafe.StringData(s)
			if a := uintptr(unsafe.Pointer(p)); !seen[a] {
				seen[a] = true
				refs = append(refs, ref{weak.Make(p), a, len(s)})
			}
		}
	}
	require.Greater(t, len(refs), len(out.Images))
	kept = new(PhoneImage)
	*kept = out.Images[k]
	out = nil
	collect()
	var alive []ref
	for _, r := range refs {
		if r.p.Value() != nil {
			alive = append(alive, r)
			live += r.n
		}
	}
	sort.Slice(alive, func(i, j int) bool { return alive[i].addr < alive[j].addr })
	for i, r := range alive {
		if i > 0 && alive[i-1].addr+uintptr(alive[i-1].n) == r.addr {
			runs[len(runs)-1] += r.n
		} else {
			runs = append(runs, r.n)
		}
	}
	for _, s := range heapStrings(kept) {
		require.NotNil(t, weak.Make(unsafe.StringData(s)).Value(), "a kept string is alive")
	}
	return live, kept, runs
}

// heapPinnedKeeping decodes body, keeps a copy of image k and drops the
// rest, and returns the heap in use after a collection less the heap in
// use after another once the image's strings are dropped too, with the
// kept image's pinBound and ownBytes.
func heapPinnedKeeping(t *testing.T, body []byte, k int) (pinned int64, bound, own int) {
	t.Helper()
	out, err := decodeListPhoneImages(body)
	require.NoError(t, err)
	kept := new(PhoneImage)
	*kept = out.Images[k]
	bound, own = pinBound(kept), ownBytes(kept)
	out = nil
	var with, without runtime.MemStats
	collect()
	runtime.ReadMemStats(&with)
	*kept = PhoneImage{}
	collect()
	runtime.ReadMemStats(&without)
	runtime.KeepAlive(kept)
	return int64(with.HeapAlloc) - int64(without.HeapAlloc), bound, own
}

// documentStringBytes decodes body and returns how many bytes its strings
// take in the heap, each shared string once.
func documentStringBytes(t *testing.T, body []byte) int {
	t.Helper()
	out, err := decodeListPhoneImages(body)
	require.NoError(t, err)
	seen := map[uintptr]bool{}
	n := len(out.RequestID)
	for i := range out.Images {
		for _, s := range heapStrings(&out.Images[i]) {
			if a := uintptr(unsafe.Pointer(unsafe.StringData(s))); !seen[a] {
				seen[a] = true
				n += len(s)
			}
		}
	}
	return n
}
