package godoctest_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/cph-go/cph/internal/godoctest"
)

func TestShown(t *testing.T) {
	dir := t.TempDir()
	src := `// Package p is a sample.
package p

// Exported is shown.
const Exported = 1

const hidden = 2

// T is a type.
type T struct{ X int }

// M is a method of T.
func (T) M() {}

// New makes a T.
func New() T { return T{} }
`
	require.NoError(t, os.WriteFile(filepath.Join(dir, "p.go"), []byte(src), 0o644))
	require.NoError(t, os.WriteFile(filepath.Join(dir, "p_test.go"), []byte("package p\n\n// InTest is not shown.\nconst InTest = 3\n"), 0o644))
	shown, err := godoctest.Shown(dir, "example.com/p")
	require.NoError(t, err)
	all := strings.Join(shown, "\n")
	for _, want := range []string{"Package p is a sample.", "Exported is shown.", "type T struct", "M is a method of T.", "New makes a T."} {
		assert.Contains(t, all, want)
	}
	assert.NotContains(t, all, "hidden")
	assert.NotContains(t, all, "InTest")
}

func TestShownBadDir(t *testing.T) {
	_, err := godoctest.Shown(filepath.Join(t.TempDir(), "none"), "example.com/none")
	assert.Error(t, err)
}
