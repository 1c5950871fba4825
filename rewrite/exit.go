package rewrite

import (
	"go/ast"
	"slices"
)

// A program can end before the runtime writes what it recorded: main.main
// returns, or os.Exit runs no deferred calls. Gen covers both in the files
// it rewrites:
//
//	defer autotrace.GenEndMain()                  // top of a main.main without a span
//	autotrace.GenShutdownThen(os.Exit)(code)      // was os.Exit(code)
//	autotrace.GenShutdownThen(log.Fatalf)(f, v)   // was log.Fatalf(f, v), also Fatal, Fatalln
//
// (An instrumented main.main's own defer __span.EndMain() shuts down too.)
// The runtime's Gen names are EndMain and ShutdownThen under names only
// gen writes: strip removes those and leaves the hand-written ones, which
// also keep gen from adding its own.

// endMainText is the statement gen puts at the top of a main.main that
// has no span of its own.
func endMainText(alias string) string { return "defer " + alias + ".GenEndMain()" }

// isEndMain reports whether st is "defer ALIAS.NAME()" for one of names:
// GenEndMain, the statement endMainText writes, or EndMain, its
// hand-written counterpart.
func isEndMain(st ast.Stmt, alias string, names ...string) bool {
	d, ok := st.(*ast.DeferStmt)
	return ok && len(d.Call.Args) == 0 && isSel(d.Call.Fun, alias, names...)
}

// handEndMain reports whether body holds a hand-written
// "defer autotrace.EndMain()" among its statements, which does what
// gen's would.
func (g *generator) handEndMain(body *ast.BlockStmt) bool {
	_, alias := runtimeImport(g.imps)
	return alias != "" && slices.ContainsFunc(body.List, func(st ast.Stmt) bool { return isEndMain(st, alias, "EndMain") })
}

// exitFuncs are the functions that end the program without running
// deferred calls, by package path.
var exitFuncs = map[string][]string{
	"os":  {"Exit"},
	"log": {"Fatal", "Fatalf", "Fatalln"},
}

// importName returns the name under which file imports the package at
// path, or "" when it does not, imports it as _ or ., or declares that
// name itself somewhere (a parameter or variable could shadow the
// package: without object resolution gen cannot tell, so it leaves such
// a file's calls alone).
func importName(file *ast.File, imps []fileImport, path string) string {
	name := ""
	for _, imp := range imps {
		if imp.bad || imp.path != path {
			continue
		}
		name = path
		if imp.written != "" {
			name = imp.written
		}
	}
	if name == "" || name == "_" || name == "." || declares(file, name) {
		return ""
	}
	return name
}

// shadowing are the kinds of declaration declares looks at: every name
// a package's could be hidden by, and more (methods, labels).
var shadowing = kinds(declFunc, declMethod, declParam, declTypeParam, declValue, declType, declAlias, declDefine, declLabel)

// declares reports whether file declares name anywhere: a function,
// receiver, parameter, result, variable, constant, type, label or
// type parameter.
func declares(file *ast.File, name string) bool {
	found := false
	walkDeclarations(file, func(d declared) bool {
		found = shadowing.has(d.kind) && d.id.Name == name
		return !found
	})
	return found
}

// exits returns the os.Exit and log.Fatal* expressions of file: in
// calls, deferred calls and as function values alike.
func exits(file *ast.File, imps []fileImport) []*ast.SelectorExpr {
	names := map[string][]string{}
	for path, funcs := range exitFuncs {
		if name := importName(file, imps, path); name != "" {
			names[name] = funcs
		}
	}
	if len(names) == 0 {
		return nil
	}
	var out []*ast.SelectorExpr
	ast.Inspect(file, func(n ast.Node) bool {
		if sel, ok := n.(*ast.SelectorExpr); ok {
			if id, ok := sel.X.(*ast.Ident); ok && slices.Contains(names[id.Name], sel.Sel.Name) {
				out = append(out, sel)
			}
		}
		return true
	})
	return out
}

// exitEdits wraps every os.Exit and log.Fatal* of the file in the
// runtime's ShutdownThen, which shuts the runtime down before exiting;
// not one that other edits replace (say, in a go statement gen rewrites).
func (g *generator) exitEdits(others []edit) []edit {
	// An exit already wrapped, by hand or by gen, is left alone.
	wrapped := map[ast.Expr]bool{}
	if _, alias := runtimeImport(g.imps); alias != "" {
		for _, c := range wrappedExits(g.file, alias, "ShutdownThen", "GenShutdownThen") {
			wrapped[c.Args[0]] = true
		}
	}
	var edits []edit
	for _, sel := range exits(g.file, g.imps) {
		from, to := g.off(sel.Pos()), g.off(sel.End())
		if wrapped[sel] || overlaps(others, from, to) {
			continue
		}
		edits = append(edits,
			edit{from, from, g.runtimeAlias() + ".GenShutdownThen("},
			edit{to, to, ")"})
	}
	return edits
}

// wrappedExits returns the calls ALIAS.NAME(X) in n, for one of names
// (GenShutdownThen, which strip turns back into X, or ShutdownThen, the
// hand-written form), whose argument X is an exit function.
func wrappedExits(n ast.Node, alias string, names ...string) []*ast.CallExpr {
	var out []*ast.CallExpr
	ast.Inspect(n, func(x ast.Node) bool {
		if c, ok := x.(*ast.CallExpr); ok && len(c.Args) == 1 && !c.Ellipsis.IsValid() && isSel(c.Fun, alias, names...) {
			if sel, ok := c.Args[0].(*ast.SelectorExpr); ok && isExitFunc(sel.Sel.Name) {
				out = append(out, c)
			}
		}
		return true
	})
	return out
}

// overlaps reports whether an edit that replaces text touches [from, to].
func overlaps(edits []edit, from, to int) bool {
	for _, e := range edits {
		if e.end > e.start && e.start <= to && from <= e.end {
			return true
		}
	}
	return false
}

func isExitFunc(name string) bool {
	for _, funcs := range exitFuncs {
		if slices.Contains(funcs, name) {
			return true
		}
	}
	return false
}
