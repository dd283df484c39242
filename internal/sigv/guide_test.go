package sigv

import (
	"os"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// The known answer of Huawei Cloud's API Request Signing Guide
// ("AK/SK签名认证算法详解": 构造规范请求, 创建待签字符串, 计算签名, 添加签名信息到请求头;
// https://support.huaweicloud.com/devg-apisign/api-sign-algorithm-002.html and
// the pages after it): the VPC listing GET signed over
// content-type;host;x-sdk-date at 20191115T033655Z with the guide's example
// keys. The guide publishes the request, the hash of its canonical request,
// the string to sign and the Authorization header; testdata/guide-get-vpcs.http
// is that request with that header.
const (
	guideSK            = "MFyfvK41ba2giqM7Uio6PznpdUKGpownRZlmVmHc"
	guideCanonicalHash = "b25362e603ee30f4f25e7858e8a7160fd36e803bb2dfe206278659d71a9bcd7a"
	guideStringToSign  = "SDK-HMAC-SHA256\n20191115T033655Z\n" + guideCanonicalHash
	guideSignature     = "7be6668032f70418fcc22abc52071e57aff61b84a1d2381bb430d6870f4f6ebe"
	// guideCanonical is the canonical request built by the guide's steps;
	// its SHA-256 is the hash the guide publishes.
	guideCanonical = "GET\n" +
		"/v1/77b6a44cba5143ab91d13ab9a8ff44fd/vpcs/\n" +
		"limit=2&marker=13551d6b-755d-4757-b956-536f674975c0\n" +
		"content-type:application/json\n" +
		"host:service.region.example.com\n" +
		"x-sdk-date:20191115T033655Z\n" +
		"\n" +
		"content-type;host;x-sdk-date\n" +
		emptySHA256
)

func guideRequest(t *testing.T) string {
	t.Helper()
	raw, err := os.ReadFile("testdata/guide-get-vpcs.http")
	require.NoError(t, err)
	return string(raw)
}

func TestVerifyGuideKnownAnswer(t *testing.T) {
	r := readRequest(t, guideRequest(t))
	a, err := ParseAuthorization(r.Header.Get(HeaderAuthorization))
	require.NoError(t, err)
	require.Equal(t, guideSignature, a.Signature)

	s, err := lookupScheme(a.Scheme)
	require.NoError(t, err)
	payload, err := payloadHash(r, s)
	require.NoError(t, err)
	canonical := canonicalRequest(r, a.SignedHeaders, payload)
	assert.Equal(t, guideCanonical, canonical)
	assert.Equal(t, guideCanonicalHash, s.hexHash([]byte(canonical)))
	assert.Equal(t, guideSignature, s.signature(a.Scheme, "20191115T033655Z", canonical, guideSK))
	assert.Equal(t, guideSignature, signLiteral(HMACSHA256, "20191115T033655Z", guideCanonical, guideSK),
		"the guide's string to sign %q, signed by the guide's steps", guideStringToSign)

	assert.NoError(t, Verify(r, a, guideSK))
}

// TestVerifyGuideOneByteChanged changes one byte of each part of the
// guide's request that its signature covers, and of the key.
func TestVerifyGuideOneByteChanged(t *testing.T) {
	raw := guideRequest(t)
	tests := map[string]struct {
		old, new string
		sk       string
		want     error
	}{
		"method":          {old: "GET /v1", new: "PET /v1", want: ErrMismatch},
		"path":            {old: "/vpcs?", new: "/vpca?", want: ErrMismatch},
		"query key":       {old: "limit=2", new: "limiu=2", want: ErrMismatch},
		"query value":     {old: "limit=2", new: "limit=3", want: ErrMismatch},
		"marker":          {old: "c0 HTTP", new: "c1 HTTP", want: ErrMismatch},
		"host":            {old: "Host: service", new: "Host: servicf", want: ErrMismatch},
		"content-type":    {old: "application/json", new: "application/jsoo", want: ErrMismatch},
		"date":            {old: "X-Sdk-Date: 20191115T033655Z", new: "X-Sdk-Date: 20191115T033656Z", want: ErrMismatch},
		"signature":       {old: "Signature=7be6", new: "Signature=7be7", want: ErrMismatch},
		"signed headers":  {old: "SignedHeaders=content-type;host;x-sdk-date", new: "SignedHeaders=content-typf;host;x-sdk-date", want: ErrMismatch},
		"unsigned scheme": {old: "Authorization: SDK-HMAC-SHA256", new: "Authorization: SDK-HMAC-SHA257", want: ErrUnsupportedAlgorithm},
		"secret key":      {sk: "MFyfvK41ba2giqM7Uio6PznpdUKGpownRZlmVmHd", want: ErrMismatch},
		// The access key only names the secret key; it is not signed.
		"access key": {old: "Access=QTWAOYTTINDUT2QVKYUC", new: "Access=QTWAOYTTINDUT2QVKYUD"},
	}
	for name, tt := range tests {
		t.Run(name, func(t *testing.T) {
			changed := raw
			if tt.old != "" {
				require.Equal(t, 1, strings.Count(raw, tt.old), "change one place")
				changed = strings.Replace(raw, tt.old, tt.new, 1)
				require.Len(t, changed, len(raw))
			}
			sk := guideSK
			if tt.sk != "" {
				sk = tt.sk
			}
			r := readRequest(t, changed)
			a, err := ParseAuthorization(r.Header.Get(HeaderAuthorization))
			require.NoError(t, err)
			if tt.want == nil {
				assert.NoError(t, Verify(r, a, sk))
			} else {
				assert.ErrorIs(t, Verify(r, a, sk), tt.want)
			}
		})
	}
}
