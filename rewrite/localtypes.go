package rewrite

import (
	"errors"
	"go/ast"
	"go/token"
	"go/types"
)

// localTypes type-checks one package from its own files alone. Imports
// are stand-ins: for a package imports knows, each exported name the files
// select from it that it does not declare as an alias is a defined type of
// its own (a struct, as far as the check knows); anything else is missing.
// So whatever depends on another package's values has an invalid type,
// other packages' types are right by name only, and everything else has
// the type a complete check would give it. SyntaxPackage uses it, only
// when syntax cannot tell, to resolve calls and go statements.
type localTypes struct {
	fset     *token.FileSet
	path     string
	units    []*unit // the package's files
	imports  func(path string) (Import, bool)
	info     *types.Info
	pkg      *types.Package
	fakes    map[*types.Package]bool   // the stand-ins
	asserted map[types.Object]ast.Expr // see varType
	keepers  map[string]bool           // names of functions that may keep a parameter
}

// standIns is the importer of localTypes.
type standIns struct {
	l     *localTypes
	names map[string]map[string]bool // path -> exported names selected from it
}

func (s *standIns) Import(path string) (*types.Package, error) {
	imp, ok := s.l.imports(path)
	if !ok {
		return nil, errors.New("not loaded")
	}
	pkg := types.NewPackage(path, imp.Name)
	for name := range s.names[path] {
		if imp.Alias == nil || imp.Alias(name) {
			continue
		}
		tn := types.NewTypeName(token.NoPos, pkg, name, nil)
		types.NewNamed(tn, types.NewStruct(nil, nil), nil)
		pkg.Scope().Insert(tn)
	}
	pkg.MarkComplete()
	s.l.fakes[pkg] = true
	return pkg, nil
}

// selected collects, file by file, the exported names selected from each
// import, as the compiler names it, where stand-ins can matter: in the
// types of functions (go statements spell them) and of type assertions
// (varType). Elsewhere a missing name only makes more invalid.
func (l *localTypes) selected() map[string]map[string]bool {
	out := map[string]map[string]bool{}
	for _, u := range l.units {
		f := u.file
		byName := importNames(u.imps, compilerName(l.imports))
		collect := func(n ast.Node) {
			ast.Inspect(n, func(n ast.Node) bool {
				if sel, ok := n.(*ast.SelectorExpr); ok && sel.Sel.IsExported() {
					if x, ok := sel.X.(*ast.Ident); ok && byName[x.Name] != "" {
						path := byName[x.Name]
						if out[path] == nil {
							out[path] = map[string]bool{}
						}
						out[path][sel.Sel.Name] = true
					}
				}
				return true
			})
		}
		ast.Inspect(f, func(n ast.Node) bool {
			switch x := n.(type) {
			case *ast.FuncType:
				collect(x)
			case *ast.TypeAssertExpr:
				if x.Type != nil {
					collect(x.Type)
				}
			}
			return true
		})
	}
	return out
}

// check runs the type checker once; errors (every use of an import's
// values) are expected and ignored.
func (l *localTypes) check() (*types.Info, *types.Package) {
	if l.info == nil {
		l.info = NewTypesInfo()
		l.fakes = map[*types.Package]bool{}
		conf := types.Config{Importer: &standIns{l, l.selected()}, Error: func(error) {}}
		l.pkg, _ = conf.Check(l.path, l.fset, l.pruned(), l.info)
	}
	return l.info, l.pkg
}

// pruned is the files without the bodies of the function declarations
// whose types nothing asks about: those without a go statement whose
// function is not a literal or a call of a function named like one of
// keepers. (The types of what is left do not depend on what is gone;
// checking every body is most of the time a check takes.) The files are
// shallow copies: the syntax they share is not changed.
func (l *localTypes) pruned() []*ast.File {
	out := make([]*ast.File, len(l.units))
	for i, u := range l.units {
		f := u.file
		g := *f
		g.Decls = make([]ast.Decl, len(f.Decls))
		for j, d := range f.Decls {
			if fd, ok := d.(*ast.FuncDecl); ok && fd.Body != nil && !l.asked(fd.Body) {
				c := *fd
				c.Body = nil
				d = &c
			}
			g.Decls[j] = d
		}
		out[i] = &g
	}
	return out
}

// asked reports whether body holds what callee or spellsGo may be asked
// about.
func (l *localTypes) asked(body *ast.BlockStmt) bool {
	found := false
	ast.Inspect(body, func(n ast.Node) bool {
		switch x := n.(type) {
		case *ast.GoStmt:
			if _, lit := x.Call.Fun.(*ast.FuncLit); !lit {
				found = true
			}
		case *ast.CallExpr:
			if id, _ := calleeIdent(x.Fun); id != nil && l.keepers[id.Name] {
				found = true
			}
		}
		return !found
	})
	return found
}

// callee is calledFunc(call) as a complete check would resolve it, when
// local types alone can tell (ok): a plain or generic function name
// resolves by scope; pkg.F never calls this package; v.M does when v's
// type is known and M is its own method or field (one that embedding
// promotes might be shadowed by an unknown embedded type), T.M likewise.
func (l *localTypes) callee(call *ast.CallExpr) (fn *types.Func, shift int, ok bool) {
	info, _ := l.check()
	if _, f := calleeIdent(call.Fun); f != nil {
		sel, found := info.Selections[f]
		if !found {
			if x, isIdent := f.X.(*ast.Ident); isIdent {
				if _, isPkg := info.Uses[x].(*types.PkgName); isPkg {
					return nil, 0, true
				}
				if t := l.varType(x); t != nil {
					fn, ok := l.method(t, f.Sel.Name)
					return fn, 0, ok
				}
			}
			return nil, 0, false // v's type is unknown
		}
		if len(sel.Index()) > 1 {
			return nil, 0, false
		}
	}
	fn, shift = calledFunc(call, info)
	return fn, shift, true
}

// varType is the type of the variable x when the local check could not
// work it out but its declaration says it: v := y.(T) or v, ok := y.(T),
// whatever y is (a variable's type is fixed where it is declared).
func (l *localTypes) varType(x *ast.Ident) types.Type {
	info, _ := l.check()
	if l.asserted == nil {
		l.asserted = map[types.Object]ast.Expr{}
		for _, u := range l.units {
			f := u.file
			ast.Inspect(f, func(n ast.Node) bool {
				as, ok := n.(*ast.AssignStmt)
				if !ok || as.Tok != token.DEFINE || len(as.Rhs) != 1 || (len(as.Lhs) != 1 && len(as.Lhs) != 2) {
					return true
				}
				ta, ok := ast.Unparen(as.Rhs[0]).(*ast.TypeAssertExpr)
				if !ok || ta.Type == nil {
					return true
				}
				if id, ok := as.Lhs[0].(*ast.Ident); ok && info.Defs[id] != nil {
					l.asserted[info.Defs[id]] = ta.Type
				}
				return true
			})
		}
	}
	v, ok := info.Uses[x].(*types.Var)
	if !ok {
		return nil
	}
	e, ok := l.asserted[v]
	if !ok {
		return nil
	}
	// The checker skips T when y is invalid: evaluate it where it is.
	if err := types.CheckExpr(l.fset, l.pkg, e.Pos(), e, info); err != nil {
		return nil
	}
	tv, ok := info.Types[e]
	if !ok || !tv.IsType() || !localOnly(tv.Type, l.pkg, l.fakes) {
		return nil
	}
	return tv.Type
}

// method is the method name of a variable of type t, as calledFunc
// resolves a call of it, when local types tell: a field (not a method
// call) or a method of t's own; not a promoted one.
func (l *localTypes) method(t types.Type, name string) (*types.Func, bool) {
	obj, index, _ := types.LookupFieldOrMethod(t, true, l.pkg, name)
	switch obj := obj.(type) {
	case *types.Var:
		return nil, len(index) == 1
	case *types.Func:
		if len(index) == 1 {
			return obj.Origin(), true
		}
	}
	return nil, false
}

// spellsGo reports whether GoCalls' entry for g, a go statement whose
// function is not a literal, is from local types what a complete check
// gives: the function's type involves only this package's types, the
// universe's, and other packages' by name.
func (l *localTypes) spellsGo(g *ast.GoStmt) bool {
	info, pkg := l.check()
	tv, found := info.Types[g.Call.Fun]
	if !found || !tv.IsValue() {
		return false // a stand-in named where a function is: not what it is
	}
	t := tv.Type
	if id, _ := calleeIdent(g.Call.Fun); id != nil {
		if inst, ok := info.Instances[id]; ok {
			t = inst.Type
		}
	}
	return localOnly(t, pkg, l.fakes)
}

// localOnly reports whether t is valid and mentions no type of another
// package, other than the stand-ins of fakes, where types.TypeString and
// checkNameable look: named types by their name and type arguments,
// aliases also by what they stand for.
func localOnly(t types.Type, pkg *types.Package, fakes map[*types.Package]bool) bool {
	seen := map[types.Type]bool{}
	var ok func(types.Type) bool
	ok = func(t types.Type) bool {
		if t == nil {
			return false
		}
		if seen[t] {
			return true
		}
		seen[t] = true
		switch x := t.(type) {
		case *types.Basic:
			return x.Kind() != types.Invalid
		case *types.Alias:
			if obj := x.Obj(); obj.Pkg() != nil && obj.Pkg() != pkg && !fakes[obj.Pkg()] {
				return false
			}
			return ok(types.Unalias(x)) && typeListLocal(x.TypeArgs(), ok)
		case *types.Named:
			if obj := x.Obj(); obj.Pkg() != nil && obj.Pkg() != pkg && !fakes[obj.Pkg()] {
				return false
			}
			// Spelled by name: what it is made of does not matter.
			return typeListLocal(x.TypeArgs(), ok)
		case *types.TypeParam:
			return true
		case *types.Pointer:
			return ok(x.Elem())
		case *types.Slice:
			return ok(x.Elem())
		case *types.Array:
			return ok(x.Elem())
		case *types.Map:
			return ok(x.Key()) && ok(x.Elem())
		case *types.Chan:
			return ok(x.Elem())
		case *types.Signature:
			return tupleLocal(x.Params(), ok) && tupleLocal(x.Results(), ok)
		case *types.Tuple:
			return tupleLocal(x, ok)
		case *types.Struct:
			for i := 0; i < x.NumFields(); i++ {
				if !ok(x.Field(i).Type()) {
					return false
				}
			}
			return true
		case *types.Interface:
			for i := 0; i < x.NumEmbeddeds(); i++ {
				if !ok(x.EmbeddedType(i)) {
					return false
				}
			}
			for i := 0; i < x.NumExplicitMethods(); i++ {
				if !ok(x.ExplicitMethod(i).Type()) {
					return false
				}
			}
			return true
		case *types.Union:
			for i := 0; i < x.Len(); i++ {
				if !ok(x.Term(i).Type()) {
					return false
				}
			}
			return true
		}
		return false
	}
	return ok(t)
}

func tupleLocal(t *types.Tuple, ok func(types.Type) bool) bool {
	for i := 0; i < t.Len(); i++ {
		if !ok(t.At(i).Type()) {
			return false
		}
	}
	return true
}

func typeListLocal(l *types.TypeList, ok func(types.Type) bool) bool {
	for i := 0; i < l.Len(); i++ {
		if !ok(l.At(i)) {
			return false
		}
	}
	return true
}
