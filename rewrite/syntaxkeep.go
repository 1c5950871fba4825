package rewrite

import (
	"go/ast"
	"go/token"
	"go/types"
	"slices"

	"github.com/autotrace/autotrace/internal/parallel"
)

// syntaxPackageFacts is PackageFacts from syntax: keepFacts file by file,
// then the same fixed point of cross-function keeping. Its calls resolve
// without types where that is certain (a call f(x) or f[T](x) names the
// package's function f when nothing else in the package declares that
// name); the rest, when their name and argument position match a function
// that keeps that parameter, resolve with local types, or are reported as
// needing complete ones.
func syntaxPackageFacts(files []*ast.File, local *localTypes, where func(ast.Node, string, ...any) string) ([][]Facts, string) {
	out := make([][]Facts, len(files))
	var all []*keepEntry
	funcs := map[string]*keepEntry{}    // package-level functions by name
	byName := map[string][]*keepEntry{} // functions and methods by name
	fnss := make([][]*function, len(files))
	raws := make([][]Facts, len(files))
	parallel.For(len(files), 0, func(i int) {
		fnss[i] = functions(files[i], Counters{})
		raws[i] = rawSyntaxFactsOf(files[i], fnss[i])
		out[i] = keepAllOf(fnss[i], append([]Facts(nil), raws[i]...))
	})
	for i := range files {
		fns, raw := fnss[i], raws[i]
		for j, fn := range fns {
			e := &keepEntry{fn: fn, raw: raw[j], facts: &out[i][j]}
			all = append(all, e)
			if fn.decl != nil {
				byName[fn.decl.Name.Name] = append(byName[fn.decl.Name.Name], e)
				if fn.decl.Recv == nil {
					funcs[fn.decl.Name.Name] = e
				}
			}
		}
	}
	local.keepers = map[string]bool{}
	for name, es := range byName {
		for _, e := range es {
			if e.raw.Ctx >= 0 || e.raw.Request >= 0 {
				local.keepers[name] = true // may keep, now or once callers are known
			}
		}
	}
	keepsParam := func(callee *keepEntry, idx int) bool {
		return idx >= 0 && ((callee.raw.Ctx == idx && callee.facts.Ctx < 0) ||
			(callee.raw.Request == idx && callee.facts.Request < 0))
	}
	var shadowed map[string]bool         // computed when first needed
	var byObj map[*types.Func]*keepEntry // likewise, from local types
	// passesToKeeper is PackageFacts' passesToKeeper, or why it cannot
	// tell.
	passesToKeeper := func(fn *function, name string) (bool, string) {
		found, why := false, ""
		ast.Inspect(fn.body(), func(n ast.Node) bool {
			call, ok := n.(*ast.CallExpr)
			if found || why != "" || !ok {
				return !found && why == ""
			}
			id, sel := calleeIdent(call.Fun)
			if id == nil {
				return true
			}
			callee := id.Name
			for j, a := range call.Args {
				// A method expression's arguments are shifted by one.
				if a, ok := ast.Unparen(a).(*ast.Ident); !ok || a.Name != name || !slices.ContainsFunc(byName[callee], func(e *keepEntry) bool {
					return keepsParam(e, j) || sel != nil && keepsParam(e, j-1)
				}) {
					continue
				}
				f, shift := funcs[callee], 0
				if shadowed == nil {
					shadowed = localNames(files)
				}
				if sel != nil || f == nil || shadowed[callee] {
					obj, s, ok := local.callee(call)
					if !ok {
						why = where(call, "passes %s to %s, which may keep it", name, callee)
						return false
					}
					if byObj == nil {
						byObj = declObjects(all, local)
					}
					f, shift = byObj[obj], s
				}
				if f != nil && keepsParam(f, j-shift) {
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
			if e.facts.Ctx >= 0 {
				found, why := passesToKeeper(e.fn, paramName(params, e.facts.Ctx))
				if why != "" {
					return nil, why
				}
				if found {
					e.facts.KeptCtx, e.facts.Ctx, changed = e.facts.Ctx, -1, true
				}
			}
			if e.facts.Request >= 0 {
				found, why := passesToKeeper(e.fn, paramName(params, e.facts.Request))
				if why != "" {
					return nil, why
				}
				if found {
					e.facts.KeptRequest, e.facts.Request, changed = e.facts.Request, -1, true
				}
			}
		}
	}
	return out, ""
}

// keepEntry is one function in syntaxPackageFacts' fixed point.
type keepEntry struct {
	fn    *function
	raw   Facts  // before keeping
	facts *Facts // after
}

// declObjects maps the local type checker's objects of the declared
// functions among all to their entries.
func declObjects(all []*keepEntry, local *localTypes) map[*types.Func]*keepEntry {
	info, _ := local.check()
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

// localNames is every name the files declare other than as a
// package-level function: anything that could shadow one, or share its
// name at package level (which would not compile).
func localNames(files []*ast.File) map[string]bool {
	names := map[string]bool{}
	add := func(ids ...*ast.Ident) {
		for _, id := range ids {
			names[id.Name] = true
		}
	}
	for _, f := range files {
		ast.Inspect(f, func(n ast.Node) bool {
			switch x := n.(type) {
			case *ast.FuncDecl:
				if x.Recv != nil {
					ast.Inspect(x.Recv, func(n ast.Node) bool {
						if id, ok := n.(*ast.Ident); ok {
							add(id)
						}
						return true
					})
				}
			case *ast.FuncType:
				for _, fl := range []*ast.FieldList{x.TypeParams, x.Params, x.Results} {
					if fl != nil {
						for _, field := range fl.List {
							add(field.Names...)
						}
					}
				}
			case *ast.TypeSpec:
				add(x.Name)
				if x.TypeParams != nil {
					for _, field := range x.TypeParams.List {
						add(field.Names...)
					}
				}
			case *ast.ValueSpec:
				add(x.Names...)
			case *ast.ImportSpec:
				if x.Name != nil {
					add(x.Name)
				}
			case *ast.AssignStmt:
				if x.Tok == token.DEFINE {
					for _, l := range x.Lhs {
						if id, ok := l.(*ast.Ident); ok {
							add(id)
						}
					}
				}
			case *ast.RangeStmt:
				if x.Tok == token.DEFINE {
					for _, e := range []ast.Expr{x.Key, x.Value} {
						if id, ok := e.(*ast.Ident); ok {
							add(id)
						}
					}
				}
			}
			return true
		})
	}
	return names
}
