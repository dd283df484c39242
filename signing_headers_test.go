package cph

import (
	"net/http"
	"testing"

	"github.com/cph-go/cph/internal/sigv"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestHeaderValuesShareOneArray checks that values set through one
// headerValues land under their own keys, that a later value never
// overwrites an earlier one (each slice's capacity stops at its value),
// and that growing past the room keeps the values already set.
func TestHeaderValuesShareOneArray(t *testing.T) {
	tests := []struct {
		name string
		room int
		set  [][2]string
	}{
		{"fits the room", 4, [][2]string{{"User-Agent", "ua"}, {"Accept", "application/json"}, {"X-Project-Id", "p"}}},
		{"grows past the room", 1, [][2]string{{"User-Agent", "ua"}, {"Accept", "a"}, {"X-Sdk-Date", "d"}}},
		{"a key set twice keeps the last value", 2, [][2]string{{"Accept", "a"}, {"Accept", "b"}}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			h := http.Header{}
			hv := headerValues{h: h, vals: make([]string, 0, tc.room)}
			want := http.Header{}
			for _, kv := range tc.set {
				hv.set(kv[0], kv[1])
				want[kv[0]] = []string{kv[1]}
			}
			require.Equal(t, want, h)
			for k, v := range h {
				require.Len(t, v, 1, k)
				assert.Equal(t, 1, cap(v), "%s: room past its value would let an append overwrite the next one", k)
				h.Add(k, "extra")
			}
			for k, v := range want {
				assert.Equal(t, v[0], h.Values(k)[0], "%s changed when another key grew", k)
			}
		})
	}
}

// TestSignAllocationsStayWithTheCoreSigner keeps the client's own share of
// signing small: everything but the core signer's work (a map for the
// signed headers, one slice per header value) was trimmed, and a change
// that brings such allocations back shows here before it shows in the
// benchmark's ratio to the official SDK.
func TestSignAllocationsStayWithTheCoreSigner(t *testing.T) {
	if raceDetector {
		// Measured as shipped: .ci/run runs this test without -race too.
		t.Skip("allocation counts under the race detector are not those of a normal build; run without -race")
	}
	req, err := http.NewRequest(http.MethodGet, "https://cph.cn-north-4.myhuaweicloud.com/v1/p/cloud-phone/phone-images", nil)
	require.NoError(t, err)
	req.Header.Set(headerProjectID, "p")
	creds := Credentials{AccessKey: "AK", SecretKey: "SK"}
	date := fixedTime.UTC().Format(sigv.DateFormat)
	prepared := sigv.Request{
		Method: req.Method, Host: req.URL.Host, Path: req.URL.Path,
		Headers: []sigv.Header{{Name: "Host", Value: req.URL.Host}, {Name: sigv.HeaderDate, Value: date}, {Name: headerProjectID, Value: "p"}},
	}
	core := testing.AllocsPerRun(50, func() {
		if _, err := sigv.Sign(sigv.HMACSHA256, prepared, creds.AccessKey, creds.SecretKey); err != nil {
			t.Fatal(err)
		}
	})
	ours := testing.AllocsPerRun(50, func() {
		if _, err := sign(req, sigv.HMACSHA256, creds, fixedTime); err != nil {
			t.Fatal(err)
		}
	})
	require.Equal(t, []string{date}, req.Header.Values(sigv.HeaderDate))
	// sign adds to the core signer's work only the date string, the list
	// of headers to sign and one array for the two header values it sets.
	assert.LessOrEqual(t, ours-core, 3.0, "sign: %v allocations, the core signer alone %v", ours, core)
}
