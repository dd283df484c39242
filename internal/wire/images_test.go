package wire_test

import (
	"encoding/json"
	"os"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/cph-go/cph/internal/wire"
)

// TestListPhoneImages_DocumentedSample reads the documented sample into
// ListPhoneImages, the images kept as they came, and marshals it back: the
// same document, request_id first.
func TestListPhoneImages_DocumentedSample(t *testing.T) {
	sample, err := os.ReadFile("../../testdata/list_phone_images.json")
	require.NoError(t, err)
	var doc wire.ListPhoneImages[json.RawMessage]
	require.NoError(t, json.Unmarshal(sample, &doc))
	require.Len(t, doc.PhoneImages, 3)
	assert.Equal(t, "5aac6ab146ba76e5b12a3d00a03a9869", doc.RequestID)

	got, err := json.Marshal(doc)
	require.NoError(t, err)
	assert.JSONEq(t, string(sample), string(got))
	assert.Regexp(t, `^\{"request_id":"5aac6ab146ba76e5b12a3d00a03a9869","phone_images":\[\{"image_name":"AOSP",`, string(got))
}

func TestListPhoneImages_Marshal(t *testing.T) {
	type image struct {
		ID string `json:"image_id"`
	}
	tests := map[string]struct {
		doc  wire.ListPhoneImages[image]
		want string
	}{
		"images": {
			doc:  wire.ListPhoneImages[image]{RequestID: "r", PhoneImages: []image{{ID: "a"}, {ID: "b"}}},
			want: `{"request_id":"r","phone_images":[{"image_id":"a"},{"image_id":"b"}]}`,
		},
		"empty list": {
			doc:  wire.ListPhoneImages[image]{RequestID: "r", PhoneImages: []image{}},
			want: `{"request_id":"r","phone_images":[]}`,
		},
		"nil list is null": {
			doc:  wire.ListPhoneImages[image]{},
			want: `{"request_id":"","phone_images":null}`,
		},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			got, err := json.Marshal(tc.doc)
			require.NoError(t, err)
			assert.Equal(t, tc.want, string(got))
		})
	}
}
