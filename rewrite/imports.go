package rewrite

import (
	"go/ast"
	"strconv"
	"strings"
)

// unit is one file as the analyses of a package read it: its import
// table and its functions (with Counters{}: the names do not matter to
// them), each worked out once.
type unit struct {
	file *ast.File
	imps []fileImport
	fns  []*function
}

func newUnit(f *ast.File) *unit {
	imps := importsOf(f)
	return &unit{file: f, imps: imps, fns: functions(f, imps, Counters{})}
}

func newUnits(files []*ast.File) []*unit {
	out := make([]*unit, len(files))
	for i, f := range files {
		out[i] = newUnit(f)
	}
	return out
}

// fileImport is one import of a file, as written.
type fileImport struct {
	spec    *ast.ImportSpec
	path    string // unquoted; "" when bad
	bad     bool   // the path does not unquote
	written string // the name written before the path ("_" and "." too), or ""
}

// importsOf is the import table of f: its imports in order, each read
// once, for every view of them the rewriter takes (importNames,
// runtimeImport, importName, GoCalls' spelling of types). It is built once
// per file: a unit and a source keep it.
func importsOf(f *ast.File) []fileImport {
	out := make([]fileImport, len(f.Imports))
	for i, imp := range f.Imports {
		path, err := strconv.Unquote(imp.Path.Value)
		out[i] = fileImport{spec: imp, path: path, bad: err != nil}
		if imp.Name != nil {
			out[i].written = imp.Name.Name
		}
	}
	return out
}

// named reports whether imp gives its package a name in the file that
// code can select through (not a blank or dot import, nor a bad path).
func (imp fileImport) named() bool {
	return !imp.bad && imp.written != "_" && imp.written != "."
}

// spelledName is imp's name as syntax alone tells it: the written one,
// else the last element of its path (which need not be its package's
// name).
func spelledName(imp fileImport) string {
	if imp.written != "" {
		return imp.written
	}
	return imp.path[strings.LastIndexByte(imp.path, '/')+1:]
}

// compilerName is imp's name as the compiler knows it, imports telling
// the name of a package it knows: the written one, else the package's; ""
// when imports does not know it.
func compilerName(imports func(path string) (Import, bool)) func(fileImport) string {
	return func(imp fileImport) string {
		if imp.written != "" {
			return imp.written
		}
		if info, ok := imports(imp.path); ok {
			return info.Name
		}
		return ""
	}
}

// importNames maps the name of each import of imps, as name gives it
// ("" leaves it out), to its path; bad paths are left out. A later import
// of the same name wins.
func importNames(imps []fileImport, name func(fileImport) string) map[string]string {
	out := map[string]string{}
	for _, imp := range imps {
		if n := name(imp); !imp.bad && n != "" {
			out[n] = imp.path
		}
	}
	return out
}
