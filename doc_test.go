package cph_test

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/cph-go/cph/internal/godoctest"
)

// The package's documentation (what go doc shows) names no internal
// package: no exported declaration is an alias of, or has a field or
// parameter of, a type of internal/..., no exported value is spelt
// with one (SigningHMACSHA256 once read sigv.HMACSHA256), and no doc
// comment points there.
func TestGoDocShowsNoInternalName(t *testing.T) {
	shown, err := godoctest.Shown(".", "github.com/cph-go/cph")
	require.NoError(t, err)
	require.Greater(t, len(shown), 50, "the check sees the declarations")
	internal := []string{"internal/", "sigv.", "wire.", "fakegw", "bufpool.", "jsonscan.", "strtab.", "redact.", "flight.", "ini.", "alloctest", "benchdata"}
	for _, text := range shown {
		for _, name := range internal {
			if strings.Contains(text, name) {
				first, _, _ := strings.Cut(strings.TrimSpace(text), "\n")
				assert.Fail(t, "go doc shows an internal name", "%q in the doc of %q", name, first)
			}
		}
	}
}
