package rewrite

import (
	"fmt"
	"go/ast"
	"go/parser"
	"go/types"
	"strings"
)

// attrStmts returns the statements that record the attrs= items of t,
// each computed only when the span records: an if for what is recorded at
// the start, and for each named result a deferred runtime Record call,
// registered after the span's End so that it runs before it, after the
// function's own deferred calls (no function literal: it would shift the
// numbering of the function's own literals, func1, func2…).
func (g *generator) attrStmts(fn *function, t target, sig *types.Signature, span string) ([]string, error) {
	if sig == nil {
		return nil, ErrorList{{t.position(g.source, 0), fmt.Sprintf("attrs= needs the types of %s, which are missing (does the package type-check?)", fn.name)}}
	}
	codes, problems := resolveAttrs(fn.name, g.runtimeAlias(), span, sig, t.attrs)
	if len(problems) > 0 {
		// Every bad item, each at its place in the directive.
		var list ErrorList
		for _, p := range problems {
			list = append(list, &Error{t.position(g.source, len("attrs=")+p.item.off), p.msg})
		}
		return nil, list
	}
	if msg := g.shadowedBuiltin(fn, sig, t.attrs, codes); msg != "" {
		return nil, ErrorList{{t.position(g.source, 0), msg}}
	}
	// Items behind the same nil checks share one if.
	type group struct {
		conds string
		calls []string
	}
	var groups []group
	var atEnd []string
	for _, c := range codes {
		switch conds := strings.Join(c.conds, " && "); {
		case c.atEnd && c.assert != "":
			atEnd = append(atEnd, "if "+c.assert+"; "+strings.Join(c.conds, " && ")+" {\n\tdefer "+c.call+"\n}")
		case c.atEnd && len(c.conds) > 0:
			atEnd = append(atEnd, "if "+strings.Join(c.conds, " && ")+" {\n\tdefer "+c.call+"\n}")
		case c.atEnd:
			atEnd = append(atEnd, "defer "+c.call)
		case len(groups) > 0 && conds != "" && groups[len(groups)-1].conds == conds:
			groups[len(groups)-1].calls = append(groups[len(groups)-1].calls, c.call)
		default:
			groups = append(groups, group{conds, []string{c.call}})
		}
	}
	var atStart []string
	for _, gr := range groups {
		body := strings.Join(gr.calls, "\n")
		if gr.conds != "" {
			body = "if " + gr.conds + " {\n\t" + indentLines(body) + "\n}"
		}
		atStart = append(atStart, body)
	}
	guard := func(stmts []string) string {
		return "if " + span + ".Recording() {\n\t" + indentLines(strings.Join(stmts, "\n")) + "\n}"
	}
	var out []string
	if len(atStart) > 0 {
		out = append(out, guard(atStart))
	}
	out = append(out, atEnd...)
	return out, nil
}

// shadowedBuiltin returns why the recording code cannot be written when a
// predeclared name it uses (len, int64, nil…) means something else where
// it goes: a parameter, result, type parameter, import or package-level
// name of that name. Gen adds no identifier that a user's could shadow.
func (g *generator) shadowedBuiltin(fn *function, sig *types.Signature, items []attrItem, codes []attrCode) string {
	declared := map[string]string{}
	if fn.lit != nil {
		// A literal also sees the names of the functions around it: any
		// declared in its top-level declaration counts (conservatively).
		for _, d := range g.file.Decls {
			if d.Pos() <= fn.lit.Pos() && fn.lit.End() <= d.End() {
				for n := range declaredNames(d, valueNames) {
					declared[n] = "the enclosing function"
				}
			}
		}
	}
	for n := range g.in.PackageNames {
		declared[n] = "the package"
	}
	for _, imp := range g.imps {
		if imp.written != "" {
			declared[imp.written] = "an import"
		}
	}
	vars := []*types.Var{sig.Recv()}
	for v := range sig.Params().Variables() {
		vars = append(vars, v)
	}
	for v := range sig.Results().Variables() {
		vars = append(vars, v)
	}
	for _, v := range vars {
		if v != nil {
			declared[v.Name()] = "the function's signature"
		}
	}
	for _, tps := range []*types.TypeParamList{sig.TypeParams(), sig.RecvTypeParams()} {
		for i := range tps.Len() {
			declared[tps.At(i).Obj().Name()] = "the function's type parameters"
		}
	}
	for i, c := range codes {
		for _, text := range append([]string{c.call}, c.conds...) {
			e, err := parser.ParseExpr(text)
			if err != nil {
				return fmt.Sprintf("internal error: generated %q does not parse: %v", text, err)
			}
			var bad string
			ast.Inspect(e, func(n ast.Node) bool {
				if id, ok := n.(*ast.Ident); ok && bad == "" && types.Universe.Lookup(id.Name) != nil {
					if where, ok := declared[id.Name]; ok {
						bad = fmt.Sprintf("attrs item %s: the code recording it needs Go's %s, a name declared by %s", items[i].text, id.Name, where)
					}
				}
				return bad == ""
			})
			if bad != "" {
				return bad
			}
		}
	}
	return ""
}
