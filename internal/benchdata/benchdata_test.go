package benchdata

import (
	"bytes"
	"encoding/json"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// image is the shape of one generated image, as encoding/json reads it.
type image struct {
	ID       string `json:"image_id"`
	Name     string `json:"image_name"`
	OSType   string `json:"os_type"`
	OSName   string `json:"os_name"`
	IsPublic int    `json:"is_public"`
	Label    string `json:"image_label"`
	Encrypt  *bool  `json:"is_support_encrypt"`
}

func decode(t *testing.T, body []byte) []image {
	t.Helper()
	var out struct {
		Images    []image `json:"phone_images"`
		RequestID string  `json:"request_id"`
	}
	require.NoError(t, json.Unmarshal(body, &out))
	assert.Equal(t, "5aac6ab146ba76e5b12a3d00a03a9869", out.RequestID)
	return out.Images
}

func TestBodyIsDeterministicAndCompact(t *testing.T) {
	a, b := Body(200), Body(200)
	assert.Equal(t, a, b, "same n, same bytes")
	a[0] = 'x'
	assert.NotEqual(t, a[0], Body(200)[0], "every call returns a new slice")

	var compact bytes.Buffer
	require.NoError(t, json.Compact(&compact, b))
	assert.Equal(t, compact.Bytes(), b)
	assert.Len(t, decode(t, b), 200)
	short := bytes.TrimSuffix(Body(50), []byte(`],"request_id":"5aac6ab146ba76e5b12a3d00a03a9869"}`))
	assert.True(t, bytes.HasPrefix(b, short), "a longer body starts with a shorter one's images")
}

func TestLargeHasTheVarietyTheBenchmarksRelyOn(t *testing.T) {
	body := Large()
	require.Same(t, &body[0], &Large()[0], "made once")
	assert.InDelta(t, 1.69e6, len(body), 0.05e6)

	images := decode(t, body)
	require.Len(t, images, LargeImages)
	ids := map[string]bool{}
	names := map[string]int{}
	var public, escaped, chinese, withEncrypt, unknownLabel, android int
	for _, img := range images {
		assert.Len(t, img.ID, 32)
		ids[img.ID] = true
		names[img.Name]++
		if img.IsPublic == 1 {
			public++
		} else {
			assert.Equal(t, 2, img.IsPublic)
		}
		if bytes.ContainsAny([]byte(img.Name), `"\`) {
			escaped++
		}
		if bytes.ContainsRune([]byte(img.Name), '镜') {
			chinese++
		}
		if img.Encrypt != nil {
			withEncrypt++
		}
		if img.Label == "cloud_phone_arm64" {
			unknownLabel++
		}
		if img.OSType == "android" {
			android++
		}
	}
	assert.Len(t, ids, LargeImages, "IDs are unique")
	assert.Greater(t, names["AOSP"], LargeImages/10, "public names repeat")
	assert.InDelta(t, 0.6, float64(public)/LargeImages, 0.05)
	assert.Positive(t, escaped, "some names need escapes")
	assert.Positive(t, chinese, "some names are in Chinese")
	assert.InDelta(t, 1.0/3, float64(withEncrypt)/LargeImages, 0.05, "is_support_encrypt on about a third")
	assert.Positive(t, unknownLabel, "an occasional unknown label")
	assert.Positive(t, android, "an occasional other OS type")
}
