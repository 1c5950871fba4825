package rewrite

import (
	"go/ast"
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
func syntaxPackageFacts(scans []*fileScan, local *localTypes, where func(ast.Node, string, ...any) string) ([][]Facts, string) {
	units := make([]*unit, len(scans))
	raws := make([][]Facts, len(scans))
	out := make([][]Facts, len(scans))
	decls := make([][]declared, len(scans))
	for i, sc := range scans {
		units[i], raws[i], out[i], decls[i] = sc.unit, sc.raw, sc.facts, sc.decls
	}
	if why := syntaxKeeping(keepEntries(units, raws, out), decls, local, where); why != "" {
		return nil, why
	}
	return out, ""
}

// syntaxKeeping is syntaxPackageFacts' fixed point over the entries all
// of the package's functions, decls being what each file declares.
func syntaxKeeping(all []*keepEntry, decls [][]declared, local *localTypes, where func(ast.Node, string, ...any) string) string {
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
			shadowed = localNames(decls)
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

// shadowers are the kinds of declaration localNames collects.
var shadowers = kinds(declDefine, declValue, declType, declAlias, declTypeParam, declParam, declRecvType, declImport)

// localNames is every name the files declare (decls, file by file) other
// than as a package-level function: anything that could shadow one, or
// share its name at package level (which would not compile).
func localNames(decls [][]declared) map[string]bool {
	names := map[string]bool{}
	for _, ds := range decls {
		for _, d := range ds {
			if shadowers.has(d.kind) {
				names[d.id.Name] = true
			}
		}
	}
	return names
}
