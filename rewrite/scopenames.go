package rewrite

import (
	"go/ast"
	"go/token"
)

// ScopeNames is the set of names a package's files declare at package
// level, as the type checker's package scope holds them (constants,
// variables, types and functions; not methods, init or _): what
// Input.PackageNames wants, from syntax alone. It is exact for a package
// without cgo, whose files are all given.
func ScopeNames(files []*ast.File) map[string]bool {
	names := map[string]bool{}
	add := func(id *ast.Ident) {
		if id.Name != "_" {
			names[id.Name] = true
		}
	}
	for _, f := range files {
		for _, d := range f.Decls {
			switch d := d.(type) {
			case *ast.FuncDecl:
				if d.Recv == nil && d.Name.Name != "init" {
					add(d.Name)
				}
			case *ast.GenDecl:
				if d.Tok == token.IMPORT {
					continue
				}
				for _, s := range d.Specs {
					switch s := s.(type) {
					case *ast.TypeSpec:
						add(s.Name)
					case *ast.ValueSpec:
						for _, n := range s.Names {
							add(n)
						}
					}
				}
			}
		}
	}
	return names
}
