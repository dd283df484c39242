// Package benchdata generates the ListPhoneImages responses that the
// benchmarks and tests decode: the same bytes every time, with varied,
// realistic values. It is shared by this module's tests and by the
// decoder comparison in benchmarks/decoders, so that both measure the
// same document.
package benchdata

import (
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"sync"
)

// LargeImages is the number of images in Large's response.
const LargeImages = 10000

// images returns n images with varied, realistic values, the same every
// time: mostly public AOSP images that share a handful of names, private
// images with their own names (some in Chinese, a few with escapes),
// every documented label and an occasional unknown one, and
// is_support_encrypt missing on some (older) images.
func images(n int) []map[string]any {
	rng := rand.New(rand.NewPCG(6, 10000))
	publicNames := []string{"AOSP", "AOSP", "AOSP", "Android 11 Cloud Game", "CloudPhone-Android10", "AOSP-GameBoost-v2"}
	privatePrefixes := []string{"game-prod", "phone-test", "kg-img", "自定义镜像", "客户端-游戏"}
	osNames := []string{"AOSP7.1.1", "AOSP7.0.0", "Android10", "Android11", "Android12"}
	labels := []string{"cloud_phone", "cloud_phone_1620", "cloud_game", "cloud_game_1620", "qemu_phone"}
	out := make([]map[string]any, n)
	for i := range out {
		img := map[string]any{}
		public := rng.IntN(10) < 6
		if public {
			img["image_name"] = publicNames[rng.IntN(len(publicNames))]
			img["is_public"] = 1
		} else {
			prefix := privatePrefixes[rng.IntN(len(privatePrefixes))]
			if rng.IntN(50) == 0 {
				prefix = `qa/"nightly"\build` // escapes in the JSON
			}
			img["image_name"] = fmt.Sprintf("%s-%05d", prefix, rng.IntN(100000))
			img["is_public"] = 2
		}
		img["os_type"] = "aosp"
		if rng.IntN(20) == 0 {
			img["os_type"] = "android"
		}
		img["os_name"] = osNames[rng.IntN(len(osNames))]
		label := labels[rng.IntN(len(labels))]
		if rng.IntN(100) == 0 {
			label = "cloud_phone_arm64"
		}
		img["image_label"] = label
		img["image_id"] = fmt.Sprintf("%016x%016x", rng.Uint64(), rng.Uint64())
		if rng.IntN(3) == 0 { // a field the older images lack
			img["is_support_encrypt"] = rng.IntN(3) == 0
		}
		out[i] = img
	}
	return out
}

// Body returns a compact response of n generated images, in the member
// order of the documented sample. Every call returns a new slice.
func Body(n int) []byte {
	keys := []string{"image_name", "os_type", "is_public", "os_name", "image_label", "image_id", "is_support_encrypt"}
	b := []byte(`{"phone_images":[`)
	for i, img := range images(n) {
		if i > 0 {
			b = append(b, ',')
		}
		b = append(b, '{')
		first := true
		for _, k := range keys {
			v, ok := img[k]
			if !ok {
				continue
			}
			if !first {
				b = append(b, ',')
			}
			first = false
			kb, _ := json.Marshal(k)
			vb, _ := json.Marshal(v)
			b = append(append(append(b, kb...), ':'), vb...)
		}
		b = append(b, '}')
	}
	return append(b, `],"request_id":"5aac6ab146ba76e5b12a3d00a03a9869"}`...)
}

var (
	largeOnce sync.Once
	large     []byte
)

// Large returns the response of LargeImages generated images (about
// 1.69 MB), made once and shared: callers must not change it.
func Large() []byte {
	largeOnce.Do(func() { large = Body(LargeImages) })
	return large
}
