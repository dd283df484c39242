// Package godoctest reads a package the way go doc shows it, for tests
// that hold a package's public face to a rule (say, that it names no
// internal package).
package godoctest

import (
	"bytes"
	"go/ast"
	"go/doc"
	"go/parser"
	"go/printer"
	"go/token"
	"os"
	"path/filepath"
	"strings"
)

// Shown returns what go doc -all shows of the package in dir, whose import
// path is importPath: the package doc, then each exported declaration
// (constants, variables, functions, types with their methods and
// constructors) printed with its doc comment. Test files are left out.
func Shown(dir, importPath string) ([]string, error) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return nil, err
	}
	fset := token.NewFileSet()
	var files []*ast.File
	for _, e := range entries {
		name := e.Name()
		if !strings.HasSuffix(name, ".go") || strings.HasSuffix(name, "_test.go") {
			continue
		}
		f, err := parser.ParseFile(fset, filepath.Join(dir, name), nil, parser.ParseComments)
		if err != nil {
			return nil, err
		}
		files = append(files, f)
	}
	d, err := doc.NewFromFiles(fset, files, importPath)
	if err != nil {
		return nil, err
	}
	shown := []string{d.Doc}
	write := func(text string, decl ast.Node) error {
		var b bytes.Buffer
		if err := printer.Fprint(&b, fset, decl); err != nil {
			return err
		}
		shown = append(shown, text+b.String())
		return nil
	}
	var errs []error
	for _, v := range append(d.Consts, d.Vars...) {
		errs = append(errs, write(v.Doc, v.Decl))
	}
	for _, f := range d.Funcs {
		errs = append(errs, write(f.Doc, f.Decl))
	}
	for _, typ := range d.Types {
		errs = append(errs, write(typ.Doc, typ.Decl))
		for _, f := range append(typ.Funcs, typ.Methods...) {
			errs = append(errs, write(f.Doc, f.Decl))
		}
		for _, v := range append(typ.Consts, typ.Vars...) {
			errs = append(errs, write(v.Doc, v.Decl))
		}
	}
	for _, err := range errs {
		if err != nil {
			return nil, err
		}
	}
	return shown, nil
}
