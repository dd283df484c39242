package cph

import (
	"net/http"
	"testing"

	"github.com/cph-go/cph/internal/sigv"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

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
		if _, err := sign(req, sigv.HMACSHA256, creds, fixedTime, nil); err != nil {
			t.Fatal(err)
		}
	})
	require.Equal(t, []string{date}, req.Header.Values(sigv.HeaderDate))
	// sign adds to the core signer's work only the date string, the list
	// of headers to sign and a slice for each of the two header values it
	// sets.
	assert.LessOrEqual(t, ours-core, 4.0, "sign: %v allocations, the core signer alone %v", ours, core)
}
