package rewrite

import (
	"errors"
	"go/ast"
	"go/token"
	"go/types"
)

// localTypes type-checks one package from its own files alone: every
// import fails, so whatever depends on another package has an invalid
// type, and everything else has the type a complete check would give it.
// SyntaxPackage uses it, only when syntax cannot tell, to resolve calls
// and go statements that involve nothing but the package's own types.
type localTypes struct {
	fset  *token.FileSet
	path  string
	files []*ast.File
	info  *types.Info
	pkg   *types.Package
}

type noImports struct{}

func (noImports) Import(path string) (*types.Package, error) {
	return nil, errors.New("not loaded")
}

// check runs the type checker once; errors (every use of an import) are
// expected and ignored.
func (l *localTypes) check() (*types.Info, *types.Package) {
	if l.info == nil {
		l.info = &types.Info{
			Types:      map[ast.Expr]types.TypeAndValue{},
			Defs:       map[*ast.Ident]types.Object{},
			Uses:       map[*ast.Ident]types.Object{},
			Selections: map[*ast.SelectorExpr]*types.Selection{},
			Implicits:  map[ast.Node]types.Object{},
			Instances:  map[*ast.Ident]types.Instance{},
		}
		conf := types.Config{Importer: noImports{}, Error: func(error) {}}
		l.pkg, _ = conf.Check(l.path, l.fset, l.files, l.info)
	}
	return l.info, l.pkg
}

// callee is calledFunc(call) as a complete check would resolve it, when
// local types alone can tell (ok): a plain or generic function name
// resolves by scope; pkg.F never calls this package; v.M does when v's
// type is known and M is its own method or field (one that embedding
// promotes might be shadowed by an unknown embedded type).
func (l *localTypes) callee(call *ast.CallExpr) (fn *types.Func, ok bool) {
	info, _ := l.check()
	if f, isSel := ast.Unparen(call.Fun).(*ast.SelectorExpr); isSel {
		sel, found := info.Selections[f]
		if !found {
			if x, isIdent := f.X.(*ast.Ident); isIdent {
				if _, isPkg := info.Uses[x].(*types.PkgName); isPkg {
					return nil, true
				}
			}
			return nil, false // v's type is unknown
		}
		if len(sel.Index()) > 1 {
			return nil, false
		}
	}
	return calledFunc(call, info), true
}

// goCall is GoCalls' entry for a go statement whose function is not a
// literal, when local types alone give what a complete check would (ok):
// the function's type involves only this package's types and the
// universe's.
func (l *localTypes) goCall(g *ast.GoStmt, names map[string]string) (GoCall, bool) {
	info, pkg := l.check()
	tv, found := info.Types[g.Call.Fun]
	if !found {
		return GoCall{}, false
	}
	t := tv.Type
	if id := funIdent(g.Call.Fun); id != nil {
		if inst, ok := info.Instances[id]; ok {
			t = inst.Type
		}
	}
	if !localOnly(t, pkg) {
		return GoCall{}, false
	}
	return goCall(g.Call, info, pkg, names), true
}

// localOnly reports whether t is valid and mentions no type of another
// package where types.TypeString and checkNameable look: named types by
// their name and type arguments, aliases also by what they stand for.
func localOnly(t types.Type, pkg *types.Package) bool {
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
			if obj := x.Obj(); obj.Pkg() != nil && obj.Pkg() != pkg {
				return false
			}
			return ok(types.Unalias(x)) && typeListLocal(x.TypeArgs(), ok)
		case *types.Named:
			if obj := x.Obj(); obj.Pkg() != nil && obj.Pkg() != pkg {
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
