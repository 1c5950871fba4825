package rewrite

import (
	"go/ast"
	"go/types"
	"slices"
)

// PackageFacts is TypeFacts for every file of one package, plus what a
// single file cannot show: a function that passes its context or request
// parameter, as it is, to a function or method of the same package that
// keeps it (see keepFacts) keeps it too, since what the callee keeps must
// still be what the outer caller passed. logrus's WithContext(ctx) returns
// std.WithContext(ctx), which stores ctx; echo's ServeHTTP(w, r) hands r
// to c.Reset, which stores it, and callers read the request afterwards.
// The result has one entry per file, in the order of files. info must
// have the maps of NewTypesInfo.
func PackageFacts(files []*ast.File, info *types.Info) [][]Facts {
	return packageFacts(newUnits(files), info)
}

// packageFacts is PackageFacts of the files units.
func packageFacts(units []*unit, info *types.Info) [][]Facts {
	raws := make([][]Facts, len(units))
	out := make([][]Facts, len(units))
	for i, u := range units {
		raws[i] = rawTypeFacts(u, info)
		out[i] = keepAllOf(u.fns, slices.Clone(raws[i]))
	}
	all := keepEntries(units, raws, out)
	byObj := declObjects(all, info)
	keepFixedPoint(all, func(call *ast.CallExpr, _ string) (*keepEntry, int, string) {
		fn, shift := calledFunc(call, info)
		return byObj[fn], shift, ""
	})
	return out
}

// keepEntry is one function in the fixed point of cross-function keeping.
type keepEntry struct {
	fn    *function
	raw   Facts  // before keeping
	facts *Facts // after
}

// keepsParam reports whether e keeps its idx'th parameter, as far as
// the fixed point has found.
func (e *keepEntry) keepsParam(idx int) bool {
	return idx >= 0 && ((e.raw.Ctx == idx && e.facts.Ctx < 0) ||
		(e.raw.Request == idx && e.facts.Request < 0))
}

// keepEntries is the fixed point's entries for the functions of each of
// units, with their facts before keeping (raws) and after keepFacts (out,
// which the fixed point updates), in order.
func keepEntries(units []*unit, raws, out [][]Facts) []*keepEntry {
	var all []*keepEntry
	for i, u := range units {
		for j, fn := range u.fns {
			all = append(all, &keepEntry{fn: fn, raw: raws[i][j], facts: &out[i][j]})
		}
	}
	return all
}

// declObjects maps the objects info defines for the declared functions
// among all to their entries.
func declObjects(all []*keepEntry, info *types.Info) map[*types.Func]*keepEntry {
	out := map[*types.Func]*keepEntry{}
	for _, e := range all {
		if e.fn.decl != nil {
			if obj, ok := info.Defs[e.fn.decl.Name].(*types.Func); ok {
				out[obj] = e
			}
		}
	}
	return out
}

// A calleeResolver is how the fixed point learns which of its entries a
// call calls: the entry (nil for a function of another package, a
// dynamic call, …) and how many arguments precede its first parameter
// (see calledFunc); or why it cannot tell, the call passing the parameter
// named param.
type calleeResolver func(call *ast.CallExpr, param string) (callee *keepEntry, shift int, why string)

// keepFixedPoint is the fixed point of cross-function keeping over all
// (see PackageFacts), calls resolved by resolve; it returns the first
// reason resolve gives, and then facts are incomplete. Only calls whose
// name and argument position match a declared function that keeps that
// parameter are resolved.
func keepFixedPoint(all []*keepEntry, resolve calleeResolver) string {
	byName := map[string][]*keepEntry{} // declared functions and methods
	for _, e := range all {
		if e.fn.decl != nil {
			byName[e.fn.decl.Name.Name] = append(byName[e.fn.decl.Name.Name], e)
		}
	}
	// passesToKeeper reports whether fn's body passes the parameter name
	// to a same-package function that keeps it, or why it cannot tell.
	passesToKeeper := func(fn *function, name string) (found bool, why string) {
		if name == "" {
			return false, ""
		}
		ast.Inspect(fn.body(), func(n ast.Node) bool {
			call, ok := n.(*ast.CallExpr)
			if found || why != "" || !ok {
				return !found && why == ""
			}
			id, sel := calleeIdent(call.Fun)
			if id == nil {
				return true
			}
			for j, a := range call.Args {
				// A method expression's arguments are shifted by one.
				if a, ok := ast.Unparen(a).(*ast.Ident); !ok || a.Name != name || !slices.ContainsFunc(byName[id.Name], func(e *keepEntry) bool {
					return e.keepsParam(j) || sel != nil && e.keepsParam(j-1)
				}) {
					continue
				}
				var callee *keepEntry
				var shift int
				if callee, shift, why = resolve(call, name); why != "" {
					return false
				}
				if callee != nil && callee.keepsParam(j-shift) {
					found = true
				}
			}
			return !found && why == ""
		})
		return found, why
	}
	for changed := true; changed; {
		changed = false
		for _, e := range all {
			if e.fn.body() == nil {
				continue
			}
			params := e.fn.funcType().Params
			for _, p := range [...]struct{ at, kept *int }{{&e.facts.Ctx, &e.facts.KeptCtx}, {&e.facts.Request, &e.facts.KeptRequest}} {
				if *p.at < 0 {
					continue
				}
				found, why := passesToKeeper(e.fn, paramName(params, *p.at))
				if why != "" {
					return why
				}
				if found {
					*p.kept, *p.at, changed = *p.at, -1, true
				}
			}
		}
	}
	return ""
}
