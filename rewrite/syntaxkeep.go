package rewrite

import (
	"go/ast"
	"go/token"
	"go/types"
)

// syntaxPackageFacts is PackageFacts from syntax: keepFacts file by file,
// then the same fixed point of cross-function keeping (keepFixedPoint).
// Its calls resolve without types where that is certain (a call f(x),
// f[T](x) or f[T, U](x) names the package's function f when nothing else
// in the package declares that name); the rest, when their name and
// argument position match a function that keeps that parameter, resolve
// with local types (method values and expressions among them), or are
// reported as needing complete ones.
func syntaxPackageFacts(files []*ast.File, local *localTypes, where func(ast.Node, string, ...any) string, forEach func(int, func(int))) ([][]Facts, string) {
	out := make([][]Facts, len(files))
	fnss := make([][]*function, len(files))
	raws := make([][]Facts, len(files))
	forEach(len(files), func(i int) {
		fnss[i] = functions(files[i], Counters{})
		raws[i] = rawSyntaxFactsOf(files[i], fnss[i])
		out[i] = keepAllOf(fnss[i], append([]Facts(nil), raws[i]...))
	})
	if why := syntaxKeeping(files, fnss, raws, out, local, where); why != "" {
		return nil, why
	}
	return out, ""
}

// syntaxKeeping is syntaxPackageFacts' fixed point, given the functions
// of each file, their facts before keeping (raws) and after keepFacts
// (out, which it updates).
func syntaxKeeping(files []*ast.File, fnss [][]*function, raws, out [][]Facts, local *localTypes, where func(ast.Node, string, ...any) string) string {
	all := keepEntries(fnss, raws, out)
	funcs := map[string]*keepEntry{} // package-level functions by name
	local.keepers = map[string]bool{}
	for _, e := range all {
		if d := e.fn.decl; d != nil {
			if d.Recv == nil {
				funcs[d.Name.Name] = e
			}
			if e.raw.Ctx >= 0 || e.raw.Request >= 0 {
				local.keepers[d.Name.Name] = true // may keep, now or once callers are known
			}
		}
	}
	var shadowed map[string]bool         // computed when first needed
	var byObj map[*types.Func]*keepEntry // likewise, from local types
	return keepFixedPoint(all, func(call *ast.CallExpr, param string) (*keepEntry, int, string) {
		id, sel := calleeIdent(call.Fun)
		if shadowed == nil {
			shadowed = localNames(files)
		}
		if f := funcs[id.Name]; sel == nil && f != nil && !shadowed[id.Name] {
			return f, 0, ""
		}
		obj, shift, ok := local.callee(call)
		if !ok {
			return nil, 0, where(call, "passes %s to %s, which may keep it", param, id.Name)
		}
		if byObj == nil {
			info, _ := local.check()
			byObj = declObjects(all, info)
		}
		return byObj[obj], shift, ""
	})
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
