package rewrite

import (
	"go/ast"
	"go/token"
	"regexp"
	"strconv"
	"strings"
)

// The shapes of the code gen writes. Everything strip removes is recognised
// by these shapes, never by position or by a comment, so instrumentation
// survives edits around it.
//
//	ctx, __span := autotrace.Start(ctx, "shop.Checkout")        // context.Context parameter
//	r, __span := autotrace.StartRequest(r, "shop.Handle")        // *http.Request parameter
//	__span := autotrace.StartHere("shop.Add")                    // neither
//	defer __span.End()   | defer __span.EndErr(&__err)   | defer __span.EndMain()
//	if __span.Recording() { … }                             // attrs= at the start
//	defer autotrace.RecordInt(__span, "n", &n)              // attrs= of a named result
const (
	spanBase   = "__span"
	oneLineTag = "// autotrace: one-line body"
)

// Hygienic names: spanVar is the span variable gen declares (and the only
// one strip takes for gen's); the others are the names gen gives to
// parameters and results it has to name. Each of those patterns says what
// the original was, so strip can restore it exactly:
// an unnamed list (every other member then named _), a _ name, or a single
// unnamed result written in parentheses.
var (
	spanVar      = regexp.MustCompile(`^__span[0-9]*$`)
	unnamedParam = regexp.MustCompile(`^__(ctx|req)[0-9]*$`)
	blankParam   = regexp.MustCompile(`^__(ctx|req)_[0-9]*$`)
	unnamedErr   = regexp.MustCompile(`^__err[0-9]*$`)
	parenErr     = regexp.MustCompile(`^__errp[0-9]*$`)
	blankErr     = regexp.MustCompile(`^__err_[0-9]*$`)
)

func reservedName(s string) bool {
	return unnamedParam.MatchString(s) || blankParam.MatchString(s) ||
		unnamedErr.MatchString(s) || parenErr.MatchString(s) || blankErr.MatchString(s)
}

// genPrefix returns the statements gen wrote at the top of body: the
// adoption of a spawning span (in a goroutine's literal), then the span's
// start and end, each optional; and the start statement, if any.
func genPrefix(body *ast.BlockStmt, alias string) (stmts []ast.Stmt, start ast.Stmt) {
	if body == nil || alias == "" {
		return nil, nil
	}
	list := body.List
	if len(list) > 0 && isAdopt(list[0], alias) {
		stmts, list = list[:1], list[1:]
	}
	if s1, s2, ok := genStmts(list, alias); ok {
		stmts = append(stmts[:len(stmts):len(stmts)], s1, s2)
		start = s1
		span := s1.(*ast.AssignStmt).Lhs[len(s1.(*ast.AssignStmt).Lhs)-1].(*ast.Ident).Name
		rest := list[2:]
		if len(rest) > 0 && isRecordingIf(rest[0], span) {
			stmts, rest = append(stmts, rest[0]), rest[1:]
		}
		for len(rest) > 0 && isRecordDefer(rest[0], alias, span) {
			stmts, rest = append(stmts, rest[0]), rest[1:]
		}
	}
	return stmts, start
}

// isRecordingIf reports whether st is "if SPAN.Recording() { … }", as gen
// writes to record attrs= items at the start.
func isRecordingIf(st ast.Stmt, span string) bool {
	is, ok := st.(*ast.IfStmt)
	if !ok || is.Init != nil || is.Else != nil {
		return false
	}
	call, ok := is.Cond.(*ast.CallExpr)
	return ok && len(call.Args) == 0 && isSel(call.Fun, span, "Recording")
}

// isRecordDefer reports whether st is
// "defer ALIAS.RecordKIND(SPAN, "key", &result)", as gen writes to record a
// named result at return.
func isRecordDefer(st ast.Stmt, alias, span string) bool {
	d, ok := st.(*ast.DeferStmt)
	if !ok || len(d.Call.Args) != 3 {
		return false
	}
	sel, ok := d.Call.Fun.(*ast.SelectorExpr)
	if !ok || !strings.HasPrefix(sel.Sel.Name, "Record") || !isSel(sel, alias, sel.Sel.Name) {
		return false
	}
	id, ok := d.Call.Args[0].(*ast.Ident)
	return ok && id.Name == span
}

// genTop is genPrefix for a function, also recognising the GenEndMain
// statement gen puts at the top of a main.main without a span.
func genTop(fn *function, alias string) (stmts []ast.Stmt, start ast.Stmt) {
	body := fn.body()
	stmts, start = genPrefix(body, alias)
	if len(stmts) == 0 && fn.main && body != nil && len(body.List) > 0 && isEndMain(body.List[0], alias, "GenEndMain") {
		stmts = body.List[:1]
	}
	return stmts, start
}

// genStmts reports whether list starts with the two statements gen writes,
// calling the runtime through alias, and returns them.
func genStmts(list []ast.Stmt, alias string) (start, end ast.Stmt, ok bool) {
	if len(list) < 2 {
		return nil, nil, false
	}
	s1, ok1 := list[0].(*ast.AssignStmt)
	s2, ok2 := list[1].(*ast.DeferStmt)
	if !ok1 || !ok2 || s1.Tok != token.DEFINE || len(s1.Rhs) != 1 {
		return nil, nil, false
	}
	call, ok := s1.Rhs[0].(*ast.CallExpr)
	if !ok || !isSel(call.Fun, alias, "Start", "StartRequest", "StartHere") {
		return nil, nil, false
	}
	span, ok := s1.Lhs[len(s1.Lhs)-1].(*ast.Ident)
	if !ok || !spanVar.MatchString(span.Name) {
		return nil, nil, false
	}
	want := 1
	if call.Fun.(*ast.SelectorExpr).Sel.Name != "StartHere" {
		want = 2
	}
	if len(s1.Lhs) != want || len(call.Args) != want {
		return nil, nil, false
	}
	if lit, ok := call.Args[want-1].(*ast.BasicLit); !ok || lit.Kind != token.STRING {
		return nil, nil, false
	}
	if want == 2 {
		// "ctx, __span := autotrace.Start(ctx, …)" or "_, __span := …(__ctx, …)".
		arg, ok1 := call.Args[0].(*ast.Ident)
		lhs, ok2 := s1.Lhs[0].(*ast.Ident)
		if !ok1 || !ok2 || (lhs.Name != "_" && lhs.Name != arg.Name) {
			return nil, nil, false
		}
	}
	if !isSel(s2.Call.Fun, span.Name, "End", "EndErr", "EndMain") {
		return nil, nil, false
	}
	return s1, s2, true
}

func isSel(e ast.Expr, x string, names ...string) bool {
	sel, ok := e.(*ast.SelectorExpr)
	if !ok {
		return false
	}
	id, ok := sel.X.(*ast.Ident)
	if !ok || id.Name != x {
		return false
	}
	for _, n := range names {
		if sel.Sel.Name == n {
			return true
		}
	}
	return false
}

// runtimeImport returns a file's import of the runtime, from its import
// table, and the name it is known by, or nil when the file does not
// import it (blank and dot imports do not count: generated code cannot
// call through them).
func runtimeImport(imps []fileImport) (*ast.ImportSpec, string) {
	for _, imp := range imps {
		switch {
		case imp.bad || imp.path != RuntimePath:
		case imp.written == "":
			return imp.spec, defaultAlias
		case imp.named():
			return imp.spec, imp.written
		}
	}
	return nil, ""
}

// idents collects every identifier spelled inside n.
func idents(n ast.Node, into map[string]bool) map[string]bool {
	if into == nil {
		into = make(map[string]bool)
	}
	ast.Inspect(n, func(x ast.Node) bool {
		if id, ok := x.(*ast.Ident); ok {
			into[id.Name] = true
		}
		return true
	})
	return into
}

// fresh returns base, or base followed by the smallest number, that is not
// in taken, and marks it taken.
func fresh(base string, taken map[string]bool) string {
	name := base
	for i := 1; taken[name]; i++ {
		name = base + strconv.Itoa(i)
	}
	taken[name] = true
	return name
}
