package cph

import (
	"bytes"
	"context"
	"encoding/json"
	"log/slog"
	"net/http"
	"strings"
	"testing"

	"github.com/jarcoal/httpmock"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestLoggerRecordsRequestWithoutSecrets(t *testing.T) {
	var buf bytes.Buffer
	logger := slog.New(slog.NewJSONHandler(&buf, &slog.HandlerOptions{Level: slog.LevelDebug}))
	c := newMockedClient(t, WithLogger(logger), WithCredentials(testTempCreds))
	var auth string
	httpmock.RegisterResponder(http.MethodGet, imagesURL, func(r *http.Request) (*http.Response, error) {
		auth = r.Header.Get("Authorization")
		resp := httpmock.NewStringResponse(200, `{"phone_images":[]}`)
		resp.Header.Set("X-Request-Id", "log-req-1")
		return resp, nil
	})
	_, err := c.ListPhoneImages(context.Background())
	require.NoError(t, err)

	lines := strings.Split(strings.TrimSpace(buf.String()), "\n")
	require.Len(t, lines, 1)
	var rec map[string]any
	require.NoError(t, json.Unmarshal([]byte(lines[0]), &rec))
	assert.Equal(t, "DEBUG", rec["level"])
	assert.Equal(t, "GET", rec["method"])
	assert.Equal(t, "/v1/"+testProjectID+"/cloud-phone/phone-images", rec["path"])
	assert.EqualValues(t, 200, rec["status"])
	assert.Equal(t, "log-req-1", rec["request_id"])
	assert.Contains(t, rec, "duration")

	_, sig, _ := strings.Cut(auth, "Signature=")
	require.NotEmpty(t, sig)
	for _, secret := range []string{testSK, testToken, sig, auth} {
		assert.NotContains(t, buf.String(), secret)
	}
}

func TestNoLoggerLogsNothing(t *testing.T) {
	var buf bytes.Buffer
	prev := slog.Default()
	slog.SetDefault(slog.New(slog.NewTextHandler(&buf, &slog.HandlerOptions{Level: slog.LevelDebug})))
	t.Cleanup(func() { slog.SetDefault(prev) })

	c := newMockedClient(t, WithMaxAttempts(1))
	httpmock.RegisterResponder(http.MethodGet, imagesURL, httpmock.NewStringResponder(500, `{"error_code":"CPS.0001","error_msg":"x"}`))
	_, err := c.ListPhoneImages(context.Background())
	require.Error(t, err)
	assert.Empty(t, buf.String(), "without WithLogger the client must not use the default logger")
}
