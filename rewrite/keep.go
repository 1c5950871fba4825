package rewrite

import (
	"go/ast"
	"go/token"
	"slices"
)

// keepFacts drops Facts.Ctx and Facts.Request for a parameter the function
// keeps: stores (assigns it to anything, puts it in a composite literal),
// sends or returns as a value; or, for a request, changes (see mutates). Gen would otherwise rebind that parameter to
// the span's child context (or a request carrying it), and what the
// function keeps would no longer be what the caller passed: cobra's
// Command.ExecuteContext(ctx) stores ctx, and its tests check
// cmd.Context() == ctx. Such a function's span takes its parent from the
// goroutine instead, and its body sees the parameter unchanged. Passing
// the parameter to a call (the common case, context.WithValue(ctx, …),
// next(w, r)) is not keeping it.
//
// Parameters are matched by name, so a shadowing variable of the same name
// counts too; that only costs the rebinding, never correctness.
func keepFacts(fn *function, f Facts) Facts {
	if f.Ctx < 0 && f.Request < 0 {
		return f
	}
	body := fn.body()
	if body == nil {
		return f
	}
	if f.Ctx >= 0 && keeps(body, paramName(fn.funcType().Params, f.Ctx)) {
		f.KeptCtx, f.Ctx = f.Ctx, -1
	}
	if r := paramName(fn.funcType().Params, f.Request); f.Request >= 0 && (keeps(body, r) || mutates(body, r, !isHandler(fn.funcType()))) {
		f.KeptRequest, f.Request = f.Request, -1
	}
	return f
}

// keepAllOf applies keepFacts to the facts of every function of fns.
func keepAllOf(fns []*function, facts []Facts) []Facts {
	for i, fn := range fns {
		if i < len(facts) {
			facts[i] = keepFacts(fn, facts[i])
		}
	}
	return facts
}

func isBlank(e ast.Expr) bool {
	id, ok := e.(*ast.Ident)
	return ok && id.Name == "_"
}

// paramName is the name of the idx'th parameter, counting one per name (an
// unnamed parameter counts once); "" when it has no usable name.
func paramName(params *ast.FieldList, idx int) string {
	i := 0
	for _, field := range params.List {
		if len(field.Names) == 0 {
			i++
			continue
		}
		for _, n := range field.Names {
			if i == idx && n.Name != "_" {
				return n.Name
			}
			i++
		}
	}
	return ""
}

// keeps reports whether body stores, sends or returns the bare identifier
// name (possibly parenthesised).
func keeps(body *ast.BlockStmt, name string) bool {
	if name == "" {
		return false
	}
	is := func(e ast.Expr) bool { return isIdent(e, name) }
	anyIs := func(es []ast.Expr) bool { return slices.ContainsFunc(es, is) }
	return anyNode(body, func(n ast.Node) bool {
		switch x := n.(type) {
		case *ast.AssignStmt:
			for i, r := range x.Rhs {
				// ctx = ctx and _ = ctx keep nothing; anything else does.
				if is(r) && !(len(x.Lhs) == len(x.Rhs) && (is(x.Lhs[i]) || isBlank(x.Lhs[i]))) {
					return true
				}
			}
		case *ast.ValueSpec:
			for i, v := range x.Values {
				if is(v) && !(len(x.Names) == len(x.Values) && x.Names[i].Name == "_") {
					return true
				}
			}
		case *ast.CompositeLit:
			for _, e := range x.Elts {
				if kv, ok := e.(*ast.KeyValueExpr); ok {
					e = kv.Value
				}
				if is(e) {
					return true
				}
			}
		case *ast.ReturnStmt:
			return anyIs(x.Results)
		case *ast.SendStmt:
			return is(x.Value)
		}
		return false
	})
}

// requestSetters are the methods of *http.Request that change the request
// they are called on; formParsers are those that fill in r.Form and
// friends, reading the body.
var (
	requestSetters = map[string]bool{"SetPathValue": true, "SetBasicAuth": true, "AddCookie": true}
	formParsers    = map[string]bool{
		"ParseForm": true, "ParseMultipartForm": true, "FormValue": true,
		"PostFormValue": true, "FormFile": true, "MultipartReader": true,
	}
)

// isHandler reports whether ft has a parameter spelled X.ResponseWriter:
// a handler, whose callers (servers, routers, middleware) do not read the
// form of the request after it returns, so it may parse the form on its
// copy and keep its span's context.
func isHandler(ft *ast.FuncType) bool {
	for _, f := range ft.Params.List {
		if sel, ok := f.Type.(*ast.SelectorExpr); ok && sel.Sel.Name == "ResponseWriter" {
			return true
		}
	}
	return false
}

// mutates reports whether body changes the request named name: assigns to
// one of its fields or through it, or calls one of requestSetters (or, when
// forms counts, formParsers) on it. A form parsed on a copy leaves the
// caller's request with its body read and no form.
// Gen's rebinding gives the body a copy of the request (r.WithContext), so
// such a change would be lost to the caller: chi's setPathValue(rctx, r)
// calls r.SetPathValue for the router to read afterwards.
func mutates(body *ast.BlockStmt, name string, forms bool) bool {
	if name == "" {
		return false
	}
	isName := func(e ast.Expr) bool { return isIdent(e, name) }
	return anyNode(body, func(n ast.Node) bool {
		switch x := n.(type) {
		case *ast.AssignStmt:
			for _, l := range x.Lhs {
				switch l := ast.Unparen(l).(type) {
				case *ast.SelectorExpr:
					if isName(l.X) {
						return true
					}
				case *ast.StarExpr:
					if isName(l.X) {
						return true
					}
				}
			}
		case *ast.IncDecStmt:
			sel, ok := ast.Unparen(x.X).(*ast.SelectorExpr)
			return ok && isName(sel.X)
		case *ast.CallExpr:
			sel, ok := ast.Unparen(x.Fun).(*ast.SelectorExpr)
			return ok && isName(sel.X) && (requestSetters[sel.Sel.Name] || forms && formParsers[sel.Sel.Name])
		case *ast.UnaryExpr:
			// &r.Field or &r escapes the request for writing elsewhere.
			if x.Op == token.AND {
				sel, ok := ast.Unparen(x.X).(*ast.SelectorExpr)
				return ok && isName(sel.X)
			}
		}
		return false
	})
}

// isIdent reports whether e is the bare identifier name, possibly
// parenthesised.
func isIdent(e ast.Expr, name string) bool {
	id, ok := ast.Unparen(e).(*ast.Ident)
	return ok && id.Name == name
}

// anyNode reports whether match holds for a node inside root, stopping at
// the first that does.
func anyNode(root ast.Node, match func(ast.Node) bool) bool {
	found := false
	ast.Inspect(root, func(n ast.Node) bool {
		found = found || n != nil && match(n)
		return !found
	})
	return found
}
