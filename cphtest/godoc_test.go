package cphtest_test

import (
	"bytes"
	"go/ast"
	"go/doc"
	"go/parser"
	"go/printer"
	"go/token"
	"os"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// The package's documentation (what go doc shows) names no internal
// package: no exported declaration is an alias of, or has a field or
// parameter of, a type of internal/..., and no doc comment points there.
func TestGoDocShowsNoInternalName(t *testing.T) {
	fset := token.NewFileSet()
	entries, err := os.ReadDir(".")
	require.NoError(t, err)
	var files []*ast.File
	for _, e := range entries {
		if !strings.HasSuffix(e.Name(), ".go") || strings.HasSuffix(e.Name(), "_test.go") {
			continue
		}
		f, err := parser.ParseFile(fset, e.Name(), nil, parser.ParseComments)
		require.NoError(t, err)
		files = append(files, f)
	}
	d, err := doc.NewFromFiles(fset, files, "github.com/cph-go/cph/cphtest")
	require.NoError(t, err)

	shown := []string{d.Doc} // the package doc, then each declaration with its doc
	write := func(doc string, decl ast.Node) {
		var b bytes.Buffer
		require.NoError(t, printer.Fprint(&b, fset, decl))
		shown = append(shown, doc+b.String())
	}
	for _, v := range append(d.Consts, d.Vars...) {
		write(v.Doc, v.Decl)
	}
	for _, f := range d.Funcs {
		write(f.Doc, f.Decl)
	}
	for _, typ := range d.Types {
		write(typ.Doc, typ.Decl)
		for _, f := range append(typ.Funcs, typ.Methods...) {
			write(f.Doc, f.Decl)
		}
		for _, v := range append(typ.Consts, typ.Vars...) {
			write(v.Doc, v.Decl)
		}
	}
	require.Greater(t, len(shown), 20, "the check sees the declarations")
	for _, text := range shown {
		for _, name := range []string{"fakegw", "internal/", "sigv.", "wire."} {
			if strings.Contains(text, name) {
				first, _, _ := strings.Cut(strings.TrimSpace(text), "\n")
				assert.Fail(t, "go doc shows an internal name", "%q in the doc of %q", name, first)
			}
		}
	}
}
