package cph

import (
	"fmt"
	"net/http"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// The metadata provider's behaviour is tested against cphtest's
// MetadataServer, in credentials_metadata_external_test.go. What stays
// here looks at the provider from inside, sending nothing.

func TestMetadataCredentialsDefaultAddress(t *testing.T) {
	p, ok := MetadataCredentials().(*metadataProvider)
	require.True(t, ok)
	// Only looked at: no test ever sends anything to it.
	assert.Equal(t, "http://169.254.169.254", p.endpoint)
	assert.NoError(t, p.err)
	assert.Nil(t, p.hc.Transport.(*http.Transport).Proxy, "never through a proxy")
	assert.Empty(t, p.cache().creds, "making it fetches nothing")
}

func TestWithMetadataEndpoint(t *testing.T) {
	tests := map[string]struct {
		opts []MetadataOption
		want string
	}{
		"none":                    {nil, "http://169.254.169.254"},
		"empty keeps the default": {[]MetadataOption{WithMetadataEndpoint("")}, "http://169.254.169.254"},
		"nil option skipped":      {[]MetadataOption{nil}, "http://169.254.169.254"},
		"plain http to any host":  {[]MetadataOption{WithMetadataEndpoint("http://metadata.example.com:8080")}, "http://metadata.example.com:8080"},
		"https":                   {[]MetadataOption{WithMetadataEndpoint("https://metadata.example.com")}, "https://metadata.example.com"},
		"trailing slash dropped":  {[]MetadataOption{WithMetadataEndpoint("http://127.0.0.1:8080/")}, "http://127.0.0.1:8080"},
		"path kept":               {[]MetadataOption{WithMetadataEndpoint("http://127.0.0.1:8080/imds/")}, "http://127.0.0.1:8080/imds"},
		"the last wins":           {[]MetadataOption{WithMetadataEndpoint("http://127.0.0.1:1"), WithMetadataEndpoint("http://127.0.0.1:2")}, "http://127.0.0.1:2"},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			p := MetadataCredentials(tc.opts...).(*metadataProvider)
			require.NoError(t, p.err)
			assert.Equal(t, tc.want, p.endpoint)
			assert.Equal(t, `cph.MetadataCredentials{Endpoint:"`+tc.want+`"}`, fmt.Sprint(p))
		})
	}
}
