package cph

import (
	"regexp"
	"testing"

	"github.com/stretchr/testify/assert"
)

// TestVersionIsSemantic holds Version to its doc comment's use: a version
// that goes into the User-Agent as "cph-go/<Version>", so a semantic
// version (MAJOR.MINOR.PATCH, an optional pre-release) with nothing a
// header value cannot carry.
func TestVersionIsSemantic(t *testing.T) {
	semver := regexp.MustCompile(`^(0|[1-9][0-9]*)\.(0|[1-9][0-9]*)\.(0|[1-9][0-9]*)(-[0-9A-Za-z.-]+)?$`)
	assert.Regexp(t, semver, Version)
}
