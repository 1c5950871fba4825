package rewrite

import (
	"go/ast"
	"strconv"
)

// function is one function of a file, a declaration or a literal, with the
// name the Go runtime gives it (as in panics and pprof), qualified by the
// package name rather than the import path.
type function struct {
	decl *ast.FuncDecl // set for declarations
	lit  *ast.FuncLit  // set for literals
	name string
	main bool // main.main
}

func (f *function) node() ast.Node {
	if f.decl != nil {
		return f.decl
	}
	return f.lit
}

func (f *function) funcType() *ast.FuncType {
	if f.decl != nil {
		return f.decl.Type
	}
	return f.lit.Type
}

func (f *function) body() *ast.BlockStmt {
	if f.decl != nil {
		return f.decl.Body
	}
	return f.lit.Body
}

// Counters carries package-wide numbering into one file: the Go runtime
// numbers init functions (pkg.init.0, pkg.init.1, …) and the function
// literals of package-level variables (pkg.init.func1, …) across all files
// of a package, in file order.
type Counters struct {
	Inits       int // init functions in earlier files
	PackageLits int // function literals outside any function in earlier files
}

// Count returns c advanced past the init functions and package-level
// literals of f, for the next file of the package.
func (c Counters) Count(f *ast.File) Counters {
	for _, d := range f.Decls {
		if fd, ok := d.(*ast.FuncDecl); !ok {
			c.PackageLits += countTopLits(d)
		} else if fd.Recv == nil && fd.Name.Name == "init" {
			c.Inits++
		}
	}
	return c
}

// countTopLits counts the literals of a package-level declaration, where
// there are no go statements.
func countTopLits(n ast.Node) int {
	count := 0
	ast.Inspect(n, func(x ast.Node) bool {
		if _, ok := x.(*ast.FuncLit); ok {
			count++
			return false
		}
		return true
	})
	return count
}

// functions lists every function declaration and literal of f, whose
// import table is imps, in source (pre)order. The order is the identity
// used to carry facts from one version of a file to another: stripping
// instrumentation never adds or removes a function.
func functions(f *ast.File, imps []fileImport, c Counters) []*function {
	var out []*function
	pkg := f.Name.Name
	_, alias := runtimeImport(imps)
	packageLits := c.PackageLits
	inits := c.Inits
	for _, d := range f.Decls {
		decl, ok := d.(*ast.FuncDecl)
		if !ok {
			collectLits(&out, d, pkg+".init", ".func", &packageLits, alias)
			continue
		}
		name := declName(decl)
		if decl.Recv == nil && decl.Name.Name == "init" {
			name = "init." + strconv.Itoa(inits)
			inits++
		}
		fn := &function{decl: decl, name: pkg + "." + name}
		fn.main = pkg == "main" && decl.Recv == nil && decl.Name.Name == "main" && decl.Type.TypeParams == nil
		out = append(out, fn)
		if decl.Body != nil {
			n := 0
			collectLits(&out, decl.Body, fn.name, ".func", &n, alias)
		}
	}
	return out
}

// collectLits appends the literals inside n. Literals directly inside a
// named function are parent.func1, parent.func2, …; literals inside a
// literal are parent.1, parent.2, …. The literal gen wraps a go statement
// in is not the user's and is passed over (its arguments are the user's).
func collectLits(out *[]*function, n ast.Node, parent, sep string, counter *int, alias string) {
	ast.Inspect(n, func(x ast.Node) bool {
		if g, ok := x.(*ast.GoStmt); ok && alias != "" {
			if _, wrapped := wrappedGo(g, alias); wrapped {
				for _, a := range g.Call.Args {
					collectLits(out, a, parent, sep, counter, alias)
				}
				return false
			}
		}
		lit, ok := x.(*ast.FuncLit)
		if !ok {
			return true
		}
		*counter++
		fn := &function{lit: lit, name: parent + sep + strconv.Itoa(*counter)}
		*out = append(*out, fn)
		nested := 0
		collectLits(out, lit.Body, fn.name, ".", &nested, alias)
		return false
	})
}

// declName is the runtime's name for a declaration without the package:
// F, F[...], T.M, (*T).M, (*T[...]).M.
func declName(d *ast.FuncDecl) string {
	name := d.Name.Name
	if d.Recv == nil || len(d.Recv.List) == 0 {
		if d.Type.TypeParams != nil {
			name += "[...]"
		}
		return name
	}
	t := d.Recv.List[0].Type
	for {
		p, ok := t.(*ast.ParenExpr)
		if !ok {
			break
		}
		t = p.X
	}
	pointer := false
	if s, ok := t.(*ast.StarExpr); ok {
		pointer, t = true, s.X
	}
	generic := false
	switch x := t.(type) {
	case *ast.IndexExpr:
		t, generic = x.X, true
	case *ast.IndexListExpr:
		t, generic = x.X, true
	}
	recv := "?"
	if id, ok := t.(*ast.Ident); ok {
		recv = id.Name
	}
	if generic {
		recv += "[...]"
	}
	if pointer {
		recv = "(*" + recv + ")"
	}
	return recv + "." + name
}
