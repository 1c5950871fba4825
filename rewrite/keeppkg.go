package rewrite

import (
	"go/ast"
	"go/types"
)

// PackageFacts is TypeFacts for every file of one package, plus what a
// single file cannot show: a function that passes its context or request
// parameter, as it is, to a function or method of the same package that
// keeps it (see keepFacts) keeps it too, since what the callee keeps must
// still be what the outer caller passed. logrus's WithContext(ctx) returns
// std.WithContext(ctx), which stores ctx; echo's ServeHTTP(w, r) hands r
// to c.Reset, which stores it, and callers read the request afterwards.
// The result has one entry per file, in the order of files.
func PackageFacts(files []*ast.File, info *types.Info) [][]Facts {
	type fnFacts struct {
		fn    *function
		raw   Facts  // before keeping
		facts *Facts // after
	}
	out := make([][]Facts, len(files))
	var all []*fnFacts
	byObj := map[*types.Func]*fnFacts{}
	for i, f := range files {
		raw := rawTypeFacts(f, info)
		out[i] = keepAll(f, append([]Facts(nil), raw...))
		for j, fn := range functions(f, Counters{}) {
			if j >= len(raw) {
				break
			}
			e := &fnFacts{fn: fn, raw: raw[j], facts: &out[i][j]}
			all = append(all, e)
			if fn.decl != nil {
				if obj, ok := info.Defs[fn.decl.Name].(*types.Func); ok {
					byObj[obj] = e
				}
			}
		}
	}
	// keepsParam reports whether callee keeps its idx'th parameter.
	keepsParam := func(callee *fnFacts, idx int) bool {
		return idx >= 0 && ((callee.raw.Ctx == idx && callee.facts.Ctx < 0) ||
			(callee.raw.Request == idx && callee.facts.Request < 0))
	}
	// passesToKeeper reports whether fn's body passes the parameter name
	// to a same-package function that keeps it.
	passesToKeeper := func(fn *function, name string) bool {
		found := false
		ast.Inspect(fn.body(), func(n ast.Node) bool {
			call, ok := n.(*ast.CallExpr)
			if found || !ok {
				return !found
			}
			fn, shift := calledFunc(call, info)
			callee := byObj[fn]
			if callee == nil {
				return true
			}
			for j, a := range call.Args {
				if id, ok := ast.Unparen(a).(*ast.Ident); ok && id.Name == name && keepsParam(callee, j-shift) {
					found = true
				}
			}
			return !found
		})
		return found
	}
	for changed := true; changed; {
		changed = false
		for _, e := range all {
			if e.fn.body() == nil {
				continue
			}
			params := e.fn.funcType().Params
			if e.facts.Ctx >= 0 && passesToKeeper(e.fn, paramName(params, e.facts.Ctx)) {
				e.facts.KeptCtx, e.facts.Ctx, changed = e.facts.Ctx, -1, true
			}
			if e.facts.Request >= 0 && passesToKeeper(e.fn, paramName(params, e.facts.Request)) {
				e.facts.KeptRequest, e.facts.Request, changed = e.facts.Request, -1, true
			}
		}
	}
	return out
}
