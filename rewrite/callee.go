package rewrite

import (
	"go/ast"
	"go/types"
)

// calleeIdent is the identifier that names what a call of fun calls, in
// every form a call names a function or method: f, pkg.F, v.M (a method
// value) and T.M or (*T).M (a method expression), each possibly
// instantiated with one type argument or more (f[T], f[T, U], pkg.F[T],
// List[T].M) and parenthesised anywhere; and, for the forms that select,
// the selector it ends. id is nil for anything else: a literal, the result
// of a call, a conversion to a composite type. (An element of a slice of
// functions, fs[i], is spelled as f[T] is: the name then is a variable's.)
func calleeIdent(fun ast.Expr) (id *ast.Ident, sel *ast.SelectorExpr) {
	fun = ast.Unparen(fun)
	switch x := fun.(type) {
	case *ast.IndexExpr:
		fun = ast.Unparen(x.X)
	case *ast.IndexListExpr:
		fun = ast.Unparen(x.X)
	}
	switch x := fun.(type) {
	case *ast.Ident:
		return x, nil
	case *ast.SelectorExpr:
		return x.Sel, x
	}
	return nil, nil
}

// calledFunc is the function or method a call calls directly, its generic
// origin for an instance, or nil (a dynamic call, a conversion, a
// builtin); and how many of the call's arguments precede the function's
// first parameter: 1 for a method expression (T.M(v, x)), whose first
// argument is the receiver, else 0.
func calledFunc(call *ast.CallExpr, info *types.Info) (fn *types.Func, shift int) {
	id, sel := calleeIdent(call.Fun)
	if id == nil {
		return nil, 0
	}
	fn, ok := info.Uses[id].(*types.Func)
	if !ok {
		return nil, 0
	}
	if sel != nil {
		if s, ok := info.Selections[sel]; ok && s.Kind() == types.MethodExpr {
			shift = 1
		}
	}
	return fn.Origin(), shift
}
