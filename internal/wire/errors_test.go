package wire_test

import (
	"encoding/json"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/cph-go/cph/internal/wire"
)

// The two documented error shapes, as the API reference's pages write them.
const (
	flatSample   = `{"error_code": "CPS.0005", "error_msg": "...", "request_id": "..."}`
	nestedSample = `{"error": {"code": "...", "message": "...", "request_id": "..."}}`
)

func TestErrorBody_DocumentedShapes(t *testing.T) {
	tests := map[string]struct {
		body string
		want wire.ErrorBody
	}{
		"flat": {
			body: flatSample,
			want: wire.ErrorBody{Code: "CPS.0005", Message: "...", RequestID: "..."},
		},
		"nested": {
			body: nestedSample,
			want: wire.ErrorBody{Error: &wire.ErrorDetail{Code: "...", Message: "...", RequestID: "..."}},
		},
		"nested null": {
			body: `{"error_code":"APIGW.0301","error":null}`,
			want: wire.ErrorBody{Code: "APIGW.0301"},
		},
		"both": {
			body: `{"error_code":"a","error":{"code":"b","message":"m"}}`,
			want: wire.ErrorBody{Code: "a", Error: &wire.ErrorDetail{Code: "b", Message: "m"}},
		},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			var got wire.ErrorBody
			require.NoError(t, json.Unmarshal([]byte(tc.body), &got))
			assert.Equal(t, tc.want, got)
		})
	}
}

func TestErrorBody_Marshal(t *testing.T) {
	tests := map[string]struct {
		body any
		want string
	}{
		"flat shape": {
			body: wire.ErrorBody{Code: "CPS.0005", Message: "...", RequestID: "..."},
			want: compact(t, flatSample),
		},
		"empty fields present": {
			body: wire.ErrorBody{},
			want: `{"error_code":"","error_msg":"","request_id":""}`,
		},
		"nested object": {
			body: wire.ErrorDetail{Code: "...", Message: "...", RequestID: "..."},
			want: `{"code":"...","message":"...","request_id":"..."}`,
		},
		"with the nested object": {
			body: wire.ErrorBody{Code: "a", Error: &wire.ErrorDetail{Code: "b"}},
			want: `{"error_code":"a","error_msg":"","request_id":"","error":{"code":"b","message":"","request_id":""}}`,
		},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			got, err := json.Marshal(tc.body)
			require.NoError(t, err)
			assert.Equal(t, tc.want, string(got))
		})
	}
}

// compact returns the JSON text s without its white space.
func compact(t *testing.T, s string) string {
	t.Helper()
	var v json.RawMessage
	require.NoError(t, json.Unmarshal([]byte(s), &v))
	b, err := json.Marshal(v)
	require.NoError(t, err)
	return string(b)
}
