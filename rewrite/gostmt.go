package rewrite

import (
	"fmt"
	"go/ast"
	"go/types"
	"regexp"
	"strconv"
	"strings"
)

// Go statements in an instrumented function hand its span to the new
// goroutine, so that the spans the goroutine starts without a context are
// its children (the runtime's Adopt):
//
//	go func(i int) {                            go func(i int) {
//		work(i)                       →           defer autotrace.Adopt(__span).Release()
//	}(i)                                          work(i)
//	                                            }(i)
//
//	go worker(ctx, jobs)              →         go func(__f func(context.Context, chan Job), __a0 context.Context, __a1 chan Job) {
//	                                              defer autotrace.Adopt(__span).Release()
//	                                              __f(__a0, __a1)
//	                                            }(worker, ctx, jobs)
//
// In the second form the function value and arguments are still evaluated
// by the go statement, in the same order, as the arguments of the literal;
// only their types have to be spelled, so it needs type information and is
// skipped where a type cannot be named in the file (or for builtins and
// multi-value arguments): those goroutines start their own traces, as
// before.

// GoCall is what the rewriter needs to know to hand a span through one go
// statement whose function is not a literal: the function's type and the
// type of each argument position, spelled as in the file. A zero GoCall
// means the statement is left alone.
type GoCall struct {
	Fun    string   // e.g. func(context.Context, ...string) error
	Params []string // e.g. context.Context, ...string
}

var funParam = regexp.MustCompile(`^__f[0-9]*$`)

// goStatements lists the go statements of f in source order: the identity
// GoCalls facts are matched by.
func goStatements(n ast.Node) []*ast.GoStmt {
	var out []*ast.GoStmt
	ast.Inspect(n, func(x ast.Node) bool {
		if g, ok := x.(*ast.GoStmt); ok {
			out = append(out, g)
		}
		return true
	})
	return out
}

// GoCalls derives a GoCall for every go statement of f, in source order,
// from the type checker's view of the package pkg.
func GoCalls(f *ast.File, info *types.Info, pkg *types.Package) []GoCall {
	return goCalls(f, importsOf(f), info, pkg)
}

// goCalls is GoCalls of f, whose import table is imps.
func goCalls(f *ast.File, imps []fileImport, info *types.Info, pkg *types.Package) []GoCall {
	names := map[string]string{} // import path -> name in this file
	for _, imp := range imps {
		switch {
		case !imp.named():
		case imp.written != "":
			names[imp.path] = imp.written
		default:
			if pn, ok := info.Implicits[imp.spec].(*types.PkgName); ok {
				names[imp.path] = pn.Name()
			}
		}
	}
	_, alias := runtimeImport(imps)
	var out []GoCall
	for _, g := range goStatements(f) {
		if lit, ok := wrappedGo(g, alias); ok {
			out = append(out, unwrappedCall(lit, info, pkg, names))
			continue
		}
		out = append(out, goCall(g.Call, info, pkg, names))
	}
	return out
}

// unwrappedCall is the GoCall of a go statement gen already wrapped: the
// literal's parameters spell it, so gen on gen's output changes nothing.
func unwrappedCall(lit *ast.FuncLit, info *types.Info, pkg *types.Package, names map[string]string) GoCall {
	tv, ok := info.Types[lit]
	if !ok {
		return GoCall{}
	}
	sig := tv.Type.(*types.Signature)
	bad := false
	spell := speller(pkg, names, &bad)
	c := GoCall{Fun: spell(sig.Params().At(0).Type())}
	for i := 1; i < sig.Params().Len(); i++ {
		t := sig.Params().At(i).Type()
		if sig.Variadic() && i == sig.Params().Len()-1 {
			c.Params = append(c.Params, "..."+spell(t.(*types.Slice).Elem()))
		} else {
			c.Params = append(c.Params, spell(t))
		}
	}
	if bad {
		return GoCall{}
	}
	return c
}

// speller spells types as the file names them; bad is set for a type it
// cannot name.
func speller(pkg *types.Package, names map[string]string, bad *bool) func(types.Type) string {
	qual := func(p *types.Package) string {
		if p == pkg {
			return ""
		}
		if name, ok := names[p.Path()]; ok {
			return name
		}
		*bad = true
		return p.Name()
	}
	return func(t types.Type) string {
		checkNameable(t, pkg, bad)
		return types.TypeString(t, qual)
	}
}

func goCall(call *ast.CallExpr, info *types.Info, pkg *types.Package, names map[string]string) GoCall {
	if _, ok := call.Fun.(*ast.FuncLit); ok {
		return GoCall{}
	}
	if id, ok := ast.Unparen(call.Fun).(*ast.Ident); ok {
		if _, builtin := info.Uses[id].(*types.Builtin); builtin {
			return GoCall{}
		}
	}
	tv, ok := info.Types[call.Fun]
	if !ok || tv.IsType() {
		return GoCall{}
	}
	t := tv.Type
	if id, _ := calleeIdent(call.Fun); id != nil {
		if inst, ok := info.Instances[id]; ok {
			t = inst.Type
		}
	}
	sig, ok := t.Underlying().(*types.Signature)
	if !ok || sig.TypeParams().Len() > 0 {
		return GoCall{}
	}
	n := sig.Params().Len()
	if len(call.Args) == 1 && n > 1 {
		return GoCall{} // f(g()) with a multi-value g
	}
	bad := false
	spell := speller(pkg, names, &bad)
	var params []string
	for i := range call.Args {
		switch {
		case sig.Variadic() && i >= n-1 && call.Ellipsis.IsValid():
			params = append(params, "..."+spell(sig.Params().At(n-1).Type().(*types.Slice).Elem()))
		case sig.Variadic() && i >= n-1:
			params = append(params, spell(sig.Params().At(n-1).Type().(*types.Slice).Elem()))
		case i < n:
			params = append(params, spell(sig.Params().At(i).Type()))
		default:
			return GoCall{}
		}
	}
	fun := spellSig(sig, spell)
	if bad {
		return GoCall{}
	}
	return GoCall{Fun: fun, Params: params}
}

// spellSig writes a signature without parameter names.
func spellSig(sig *types.Signature, spell func(types.Type) string) string {
	var b strings.Builder
	b.WriteString("func(")
	n := sig.Params().Len()
	for i := 0; i < n; i++ {
		if i > 0 {
			b.WriteString(", ")
		}
		t := sig.Params().At(i).Type()
		if sig.Variadic() && i == n-1 {
			b.WriteString("..." + spell(t.(*types.Slice).Elem()))
		} else {
			b.WriteString(spell(t))
		}
	}
	b.WriteString(")")
	switch r := sig.Results(); r.Len() {
	case 0:
	case 1:
		b.WriteString(" " + spell(r.At(0).Type()))
	default:
		b.WriteString(" (")
		for i := 0; i < r.Len(); i++ {
			if i > 0 {
				b.WriteString(", ")
			}
			b.WriteString(spell(r.At(i).Type()))
		}
		b.WriteString(")")
	}
	return b.String()
}

// checkNameable sets bad when t mentions a type this package cannot name:
// an unexported type of another package, or a type local to a function
// (it may not be in scope where the go statement is).
func checkNameable(t types.Type, pkg *types.Package, bad *bool) {
	seen := map[types.Type]bool{}
	var walk func(types.Type)
	walk = func(t types.Type) {
		if *bad || seen[t] {
			return
		}
		seen[t] = true
		switch x := t.(type) {
		case *types.Alias:
			walk(types.Unalias(x))
		case *types.Named:
			obj := x.Obj()
			if obj.Pkg() != nil && obj.Pkg() != pkg && !obj.Exported() {
				*bad = true
			}
			if obj.Pkg() != nil && obj.Parent() != obj.Pkg().Scope() {
				*bad = true // declared inside a function
			}
			for i := 0; i < x.TypeArgs().Len(); i++ {
				walk(x.TypeArgs().At(i))
			}
		case *types.Pointer:
			walk(x.Elem())
		case *types.Slice:
			walk(x.Elem())
		case *types.Array:
			walk(x.Elem())
		case *types.Map:
			walk(x.Key())
			walk(x.Elem())
		case *types.Chan:
			walk(x.Elem())
		case *types.Signature:
			for i := 0; i < x.Params().Len(); i++ {
				walk(x.Params().At(i).Type())
			}
			for i := 0; i < x.Results().Len(); i++ {
				walk(x.Results().At(i).Type())
			}
		case *types.Struct:
			for i := 0; i < x.NumFields(); i++ {
				if !x.Field(i).Exported() && x.Field(i).Pkg() != pkg {
					*bad = true
				}
				walk(x.Field(i).Type())
			}
		case *types.Interface:
			for i := 0; i < x.NumMethods(); i++ {
				if !x.Method(i).Exported() && x.Method(i).Pkg() != pkg {
					*bad = true
				}
				walk(x.Method(i).Type())
			}
		case *types.TypeParam:
			// In scope wherever the go statement is.
		}
	}
	walk(t)
}

// adoptText is the statement that hands span to a new goroutine.
func adoptText(alias, span string) string {
	return fmt.Sprintf("defer %s.Adopt(%s).Release()", alias, span)
}

// isAdopt reports whether st is the statement adoptText writes.
func isAdopt(st ast.Stmt, alias string) bool {
	d, ok := st.(*ast.DeferStmt)
	if !ok || len(d.Call.Args) != 0 {
		return false
	}
	sel, ok := d.Call.Fun.(*ast.SelectorExpr)
	if !ok || sel.Sel.Name != "Release" {
		return false
	}
	inner, ok := sel.X.(*ast.CallExpr)
	if !ok || len(inner.Args) != 1 || !isSel(inner.Fun, alias, "Adopt") {
		return false
	}
	id, ok := inner.Args[0].(*ast.Ident)
	return ok && spanVar.MatchString(id.Name)
}

// wrappedGo reports whether g is a go statement gen wrapped in a literal
// (the second form above), and returns the literal.
func wrappedGo(g *ast.GoStmt, alias string) (*ast.FuncLit, bool) {
	lit, ok := g.Call.Fun.(*ast.FuncLit)
	if !ok || len(g.Call.Args) == 0 || len(lit.Type.Params.List) == 0 || len(lit.Body.List) != 2 {
		return nil, false
	}
	first := lit.Type.Params.List[0]
	if len(first.Names) != 1 || !funParam.MatchString(first.Names[0].Name) || !isAdopt(lit.Body.List[0], alias) {
		return nil, false
	}
	es, ok := lit.Body.List[1].(*ast.ExprStmt)
	if !ok {
		return nil, false
	}
	call, ok := es.X.(*ast.CallExpr)
	if !ok {
		return nil, false
	}
	id, ok := call.Fun.(*ast.Ident)
	return lit, ok && id.Name == first.Names[0].Name
}

// wrapGo returns the edit that wraps a go statement's call in a literal
// handing span to the goroutine, or nil when it cannot be done.
func (g *generator) wrapGo(gs *ast.GoStmt, facts GoCall, alias, span string, taken map[string]bool) []edit {
	call := gs.Call
	if facts.Fun == "" || len(facts.Params) != len(call.Args) || g.off(call.Fun.End()) != g.off(call.Lparen) {
		return nil
	}
	f := ""
	args := make([]string, len(call.Args))
	for k := 0; ; k++ {
		f = "__f" + strings.Repeat("_", k)
		ok := !taken[f]
		for i := range args {
			args[i] = "__a" + strings.Repeat("_", k) + strconv.Itoa(i)
			ok = ok && !taken[args[i]]
		}
		if ok {
			break
		}
	}
	// The names are the literal's own: they need not be unique in the
	// function, only not hide what the literal refers to (the runtime and
	// the span), which taken already holds.
	params := []string{f + " " + facts.Fun}
	callArgs := make([]string, len(args))
	for i, a := range args {
		params = append(params, a+" "+facts.Params[i])
		callArgs[i] = a
		if strings.HasPrefix(facts.Params[i], "...") {
			callArgs[i] += "..."
		}
	}
	outer := g.indent(g.off(gs.Pos()))
	in := outer + "\t"
	rest := string(g.src[g.off(call.Lparen)+1 : g.off(call.Rparen)])
	fun := g.text(call.Fun)
	if strings.TrimSpace(rest) != "" {
		fun += ", "
	}
	text := "func(" + strings.Join(params, ", ") + ") {\n" +
		in + adoptText(alias, span) + "\n" +
		in + f + "(" + strings.Join(callArgs, ", ") + ")\n" +
		outer + "}(" + fun + rest + ")"
	return []edit{{g.off(call.Pos()), g.off(call.End()), text}}
}

// unwrapGo returns the edit that gives a wrapped go statement its
// original call back.
func (s *source) unwrapGo(gs *ast.GoStmt) edit {
	call := gs.Call
	first := call.Args[0]
	after := string(s.src[s.off(first.End()):s.off(call.Rparen)])
	after = strings.TrimPrefix(after, ", ")
	return edit{s.off(call.Pos()), s.off(call.End()), s.text(first) + "(" + after + ")"}
}
