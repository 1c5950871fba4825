package rewrite

import "go/ast"

// ScopeNames is the set of names a package's files declare at package
// level, as the type checker's package scope holds them (constants,
// variables, types and functions; not methods, init or _): what
// Input.PackageNames wants, from syntax alone. It is exact for a package
// without cgo, whose files are all given.
func ScopeNames(files []*ast.File) map[string]bool {
	names := map[string]bool{}
	for _, f := range files {
		top := topSpecs(f)
		visit := func(d declared) {
			if d.top && d.id.Name != "_" && scopeNames.has(d.kind) && (d.kind != declFunc || d.id.Name != "init") {
				names[d.id.Name] = true
			}
		}
		// Only the declarations themselves: what is at package level is
		// named there.
		for _, d := range f.Decls {
			switch d := d.(type) {
			case *ast.FuncDecl:
				declaredAt(d, top, visit)
			case *ast.GenDecl:
				for _, s := range d.Specs {
					declaredAt(s, top, visit)
				}
			}
		}
	}
	return names
}

// scopeNames are the kinds of declaration the package scope holds.
var scopeNames = kinds(declFunc, declType, declAlias, declValue)
