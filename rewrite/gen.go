package rewrite

import (
	"bytes"
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"go/types"
	"strconv"
	"strings"
)

// Input is one file and the package facts the rewriter needs about it.
type Input struct {
	Filename string // used in positions of errors and findings
	Src      []byte

	// Facts holds one entry per function of Src, in the order Functions
	// lists them (TypeFacts computes it). Nil means SyntaxFacts.
	Facts []Facts

	// PackageNames are the package-level identifiers of the whole package,
	// so generated names never shadow one declared in another file.
	PackageNames map[string]bool

	// Counters number init functions and package-level literals across the
	// package's earlier files, for runtime-style span names.
	Counters Counters

	// GoCalls holds one entry per go statement of Src, in source order
	// (GoCalls computes it). Nil leaves go statements whose function is not
	// a literal alone.
	GoCalls []GoCall

	// Signatures holds the type checker's signature of every function of
	// Src, in the order of Facts (Signatures computes it), or is nil. Span
	// directives with attrs= need it: without, they are an error.
	Signatures []*types.Signature

	// All instruments every function declaration not marked skip.
	All bool

	// File, when set, is Src parsed with comments (parser.ParseComments)
	// into Fset, which Gen then uses rather than parsing Src again. Gen
	// does not change it.
	File *ast.File
	Fset *token.FileSet
}

// Span is one function Gen instrumented.
type Span struct {
	Name string         // span name, e.g. shop.(*Cart).Add
	Pos  token.Position // of the func keyword in the output
}

// Output is Gen's result for one file.
type Output struct {
	Src      []byte
	Spans    []Span
	Warnings ErrorList // e.g. //autotrace:skip where nothing would be instrumented
}

// Gen instruments one file: it strips any earlier instrumentation and
// instruments what the directives (and Input.All) select. It returns an
// ErrorList, and no output, when the file does not parse or a directive is
// wrong; the caller must then leave the file alone.
func Gen(in Input) (*Output, error) {
	orig, err := in.source()
	if err != nil {
		return nil, err
	}
	s := orig
	if r := orig.strip(); len(r.problems) > 0 {
		return nil, r.problems
	} else if r.count > 0 {
		if s, err = parse(in.Filename, r.src); err != nil {
			return nil, fmt.Errorf("%s: internal error: stripped file does not parse: %v", in.Filename, err)
		}
	}
	fns := functions(s.file, in.Counters)
	facts := in.Facts
	if facts == nil {
		facts = SyntaxFacts(s.file)
	}
	if len(facts) != len(fns) {
		return nil, fmt.Errorf("%s: internal error: %d facts for %d functions", in.Filename, len(facts), len(fns))
	}
	plan, err := s.plan(fns, in.All)
	if err != nil {
		return nil, err
	}
	g := &generator{source: s, in: in}
	out := &Output{Warnings: plan.warnings}
	gos := map[*ast.GoStmt]int{}
	for i, st := range goStatements(s.file) {
		gos[st] = i
	}
	litFn := map[*ast.FuncLit]*function{}
	for _, fn := range fns {
		if fn.lit != nil {
			litFn[fn.lit] = fn
		}
	}
	var edits []edit
	var problems ErrorList
	top := map[*function][]string{} // statements for the top of a body, in order
	for i, fn := range fns {
		t, ok := plan.targets[fn]
		if !ok {
			continue
		}
		// Every name gen adds in a function starts with "__": without
		// one in its text, none of its identifiers can be in the way.
		taken := map[string]bool{}
		if bytes.Contains(s.src[s.off(fn.node().Pos()):s.off(fn.node().End())], []byte("__")) {
			taken = idents(fn.node(), nil)
		}
		var sig *types.Signature
		if i < len(in.Signatures) {
			sig = in.Signatures[i]
		}
		span, stmts, e, err := g.instrument(fn, t, facts[i], sig, taken)
		if list, ok := err.(ErrorList); ok {
			problems = append(problems, list...) // every function's, not just the first
			continue
		} else if err != nil {
			return nil, err
		}
		top[fn] = append(top[fn], stmts...)
		edits = append(edits, e...)
		// The go statements this function's span is innermost for.
		ast.Inspect(fn.body(), func(n ast.Node) bool {
			switch x := n.(type) {
			case *ast.FuncLit:
				_, own := plan.targets[litFn[x]]
				return !own
			case *ast.GoStmt:
				if lit, ok := x.Call.Fun.(*ast.FuncLit); ok {
					top[litFn[lit]] = append(top[litFn[lit]], adoptText(g.runtimeAlias(), span))
				} else if j := gos[x]; j < len(in.GoCalls) {
					edits = append(edits, g.wrapGo(x, in.GoCalls[j], g.runtimeAlias(), span, taken)...)
				}
			}
			return true
		})
	}
	if len(problems) > 0 {
		problems.Sort()
		return nil, problems
	}
	for _, fn := range fns {
		if _, ok := plan.targets[fn]; fn.main && !ok && !plan.skipped[fn] && fn.body() != nil && !g.handEndMain(fn.body()) {
			top[fn] = append(top[fn], endMainText(g.runtimeAlias()))
		}
	}
	// os.Exit and log.Fatal shut the runtime down first in every file gen
	// rewrites anyway, and in every file of package main, where most
	// programs decide to exit.
	var exits []edit
	if len(edits) > 0 || len(top) > 0 || s.file.Name.Name == "main" {
		exits = g.exitEdits(edits)
	}
	var bodies []edit
	for _, fn := range fns {
		if stmts := top[fn]; len(stmts) > 0 {
			body := fn.body()
			// A one-line body is expanded from its statements' original
			// text: not when gen also edits inside it (a go statement, a
			// function literal, an os.Exit), as the edits would overlap.
			from, to := g.off(body.Lbrace), g.off(body.Rbrace)
			inner := hasFuncLit(body) || editsWithin(edits, from, to) || editsWithin(exits, from, to)
			bodies = append(bodies, g.bodyEdits(body, stmts, !inner)...)
		}
	}
	// Insertions at one offset apply in this order: statements at the
	// top of a body go before an os.Exit that starts it.
	edits = append(append(edits, bodies...), exits...)
	if len(edits) > 0 && g.alias == "" {
		edits = append(edits, g.importEdit())
	}
	out.Src = applyEdits(s.src, edits)
	if len(edits) > 0 {
		// Positions of what was instrumented, in the output.
		// (What follows needs no comments: parsing is cheaper without.)
		res, err := parseMode(in.Filename, out.Src, 0)
		if err != nil {
			return nil, fmt.Errorf("%s: internal error: output does not parse: %v", in.Filename, err)
		}
		_, alias := runtimeImport(res.file)
		for _, fn := range functions(res.file, in.Counters) {
			if _, start := genPrefix(fn.body(), alias); start != nil {
				call := start.(*ast.AssignStmt).Rhs[0].(*ast.CallExpr)
				lit := call.Args[len(call.Args)-1].(*ast.BasicLit)
				name, _ := strconv.Unquote(lit.Value)
				out.Spans = append(out.Spans, Span{Name: name, Pos: res.position(fn.funcType().Pos())})
			}
		}
	}
	return out, nil
}

// source is Src parsed: File if given, else parsed now.
func (in Input) source() (*source, error) {
	if in.File != nil && in.Fset != nil {
		return &source{name: in.Filename, src: in.Src, fset: in.Fset, tf: in.Fset.File(in.File.Pos()), file: in.File}, nil
	}
	return parse(in.Filename, in.Src)
}

// generator writes the edits for one file.
type generator struct {
	*source
	in    Input
	alias string // how the file refers to the runtime; "" until imported
	added string // the alias gen will import the runtime as
}

func (g *generator) runtimeAlias() string {
	if g.alias != "" {
		return g.alias
	}
	if _, a := runtimeImport(g.file); a != "" {
		g.alias = a
		return a
	}
	if g.added == "" {
		taken := map[string]bool{}
		if bytes.Contains(g.src, []byte(defaultAlias)) { // else no identifier starts with it
			taken = idents(g.file, nil)
		}
		for n := range g.in.PackageNames {
			taken[n] = true
		}
		g.added = fresh(defaultAlias, taken)
	}
	return g.added
}

// instrument returns the name of the span variable for one function, the
// two statements that start and end its span, and the edits its signature
// needs. taken holds the identifiers of the function; names gen adds are
// added to it.
func (g *generator) instrument(fn *function, t target, facts Facts, sig *types.Signature, taken map[string]bool) (string, []string, []edit, error) {
	ft := fn.funcType()
	for _, fl := range []*ast.FieldList{ft.Params, ft.Results} {
		if fl == nil {
			continue
		}
		for _, f := range fl.List {
			for _, n := range f.Names {
				if reservedName(n.Name) {
					return "", nil, nil, ErrorList{{g.position(n.Pos()), fmt.Sprintf("cannot instrument %s: the name %s is reserved for autotrace; rename it", fn.name, n.Name)}}
				}
			}
		}
	}
	alias := g.runtimeAlias()
	span := fresh(spanBase, taken)
	name := fn.name
	if t.name != "" {
		name = t.name
	}
	var edits []edit
	var start string
	switch {
	case facts.Ctx >= 0:
		ctx, e := g.nameParam(ft.Params, facts.Ctx, "__ctx", taken)
		edits = append(edits, e...)
		start = fmt.Sprintf("%s, %s := %s.Start(%s, %s)", ctx, span, alias, ctx, strconv.Quote(name))
	case facts.Request >= 0:
		req, e := g.nameParam(ft.Params, facts.Request, "__req", taken)
		edits = append(edits, e...)
		start = fmt.Sprintf("%s, %s := %s.StartRequest(%s, %s)", req, span, alias, req, strconv.Quote(name))
	case facts.KeptCtx >= 0:
		// The function keeps its context: the span's parent comes from it,
		// but what the function keeps is what its caller passed.
		ctx, e := g.nameParam(ft.Params, facts.KeptCtx, "__ctx", taken)
		edits = append(edits, e...)
		start = fmt.Sprintf("_, %s := %s.Start(%s, %s)", span, alias, ctx, strconv.Quote(name))
	case facts.KeptRequest >= 0:
		req, e := g.nameParam(ft.Params, facts.KeptRequest, "__req", taken)
		edits = append(edits, e...)
		start = fmt.Sprintf("_, %s := %s.StartRequest(%s, %s)", span, alias, req, strconv.Quote(name))
	default:
		start = fmt.Sprintf("%s := %s.StartHere(%s)", span, alias, strconv.Quote(name))
	}
	var end string
	switch {
	case fn.main:
		end = fmt.Sprintf("defer %s.EndMain()", span)
	case facts.Error && ft.Results != nil && len(ft.Results.List) > 0:
		errName, e := g.nameError(ft.Results, taken)
		edits = append(edits, e...)
		end = fmt.Sprintf("defer %s.EndErr(&%s)", span, errName)
	default:
		end = fmt.Sprintf("defer %s.End()", span)
	}
	stmts := []string{start, end}
	if len(t.attrs) > 0 {
		rec, err := g.attrStmts(fn, t, sig, span)
		if err != nil {
			return "", nil, nil, err
		}
		stmts = append(stmts, rec...)
	}
	return span, stmts, edits, nil
}

// attrStmts returns the statements that record the attrs= items of t,
// each computed only when the span records: an if for what is recorded at
// the start, and for each named result a deferred runtime Record call,
// registered after the span's End so that it runs before it, after the
// function's own deferred calls (no function literal: it would shift the
// numbering of the function's own literals, func1, func2…).
func (g *generator) attrStmts(fn *function, t target, sig *types.Signature, span string) ([]string, error) {
	if sig == nil {
		return nil, ErrorList{{g.position(t.attrsPos), fmt.Sprintf("attrs= needs the types of %s, which are missing (does the package type-check?)", fn.name)}}
	}
	codes, problems := resolveAttrs(fn.name, g.runtimeAlias(), span, sig, t.attrs)
	if len(problems) > 0 {
		// Every bad item, each at its place in the directive.
		var list ErrorList
		for _, p := range problems {
			list = append(list, &Error{g.position(t.attrsPos + token.Pos(len("attrs=")+p.item.off)), p.msg})
		}
		return nil, list
	}
	if msg := g.shadowedBuiltin(fn, sig, t.attrs, codes); msg != "" {
		return nil, ErrorList{{g.position(t.attrsPos), msg}}
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
		case c.atEnd:
			atEnd = append(atEnd, c.call)
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
	for _, call := range atEnd {
		out = append(out, "defer "+call)
	}
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
				for n := range declaredNames(d) {
					declared[n] = "the enclosing function"
				}
			}
		}
	}
	for n := range g.in.PackageNames {
		declared[n] = "the package"
	}
	for _, imp := range g.file.Imports {
		if imp.Name != nil {
			declared[imp.Name.Name] = "an import"
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

// declaredNames returns the names n declares anywhere inside it.
func declaredNames(n ast.Node) map[string]bool {
	names := map[string]bool{}
	ast.Inspect(n, func(x ast.Node) bool {
		switch x := x.(type) {
		case *ast.AssignStmt:
			if x.Tok == token.DEFINE {
				for _, e := range x.Lhs {
					if id, ok := e.(*ast.Ident); ok {
						names[id.Name] = true
					}
				}
			}
		case *ast.RangeStmt:
			if x.Tok == token.DEFINE {
				for _, e := range []ast.Expr{x.Key, x.Value} {
					if id, ok := e.(*ast.Ident); ok {
						names[id.Name] = true
					}
				}
			}
		case *ast.ValueSpec:
			for _, id := range x.Names {
				names[id.Name] = true
			}
		case *ast.TypeSpec:
			names[x.Name.Name] = true
		case *ast.Field:
			for _, id := range x.Names {
				names[id.Name] = true
			}
		}
		return true
	})
	return names
}

// indentLines indents every line of s but the first by one tab.
func indentLines(s string) string { return strings.ReplaceAll(s, "\n", "\n\t") }

// oneLine joins the lines of a generated statement into one, as Go allows:
// "{" and "}" need no semicolon next to them.
func oneLine(stmt string) string {
	lines := strings.Split(stmt, "\n")
	var b strings.Builder
	for i, l := range lines {
		l = strings.TrimSpace(l)
		if i > 0 {
			if strings.HasSuffix(b.String(), "{") || strings.HasPrefix(l, "}") {
				b.WriteByte(' ')
			} else {
				b.WriteString("; ")
			}
		}
		b.WriteString(l)
	}
	return b.String()
}

// nameParam returns the name of the idx'th parameter, naming it first if it
// is unnamed or _. Naming one parameter of an unnamed list names them all
// (the others _), as Go requires.
func (g *generator) nameParam(params *ast.FieldList, idx int, base string, taken map[string]bool) (string, []edit) {
	i := 0
	for _, f := range params.List {
		if len(f.Names) == 0 {
			break // an unnamed list
		}
		for _, n := range f.Names {
			if i == idx {
				if n.Name != "_" {
					return n.Name, nil
				}
				name := fresh(base+"_", taken)
				return name, []edit{{g.off(n.Pos()), g.off(n.End()), name}}
			}
			i++
		}
	}
	var edits []edit
	name := fresh(base, taken)
	for j, f := range params.List {
		text := "_ "
		if j == idx {
			text = name + " "
		}
		edits = append(edits, edit{g.off(f.Type.Pos()), g.off(f.Type.Pos()), text})
	}
	return name, edits
}

// nameError returns the name of the last result, an error, naming it first
// when it is unnamed or _.
func (g *generator) nameError(results *ast.FieldList, taken map[string]bool) (string, []edit) {
	last := results.List[len(results.List)-1]
	if len(last.Names) > 0 {
		n := last.Names[len(last.Names)-1]
		if n.Name != "_" {
			return n.Name, nil
		}
		name := fresh("__err_", taken)
		return name, []edit{{g.off(n.Pos()), g.off(n.End()), name}}
	}
	base := "__err"
	if len(results.List) == 1 && results.Opening.IsValid() {
		base = "__errp" // keep "(error)" as written
	}
	name := fresh(base, taken)
	var edits []edit
	for j, f := range results.List {
		text := "_ "
		if j == len(results.List)-1 {
			text = name + " "
		}
		at := g.off(f.Type.Pos())
		if !results.Opening.IsValid() {
			text = "(" + text
		}
		edits = append(edits, edit{at, at, text})
	}
	if !results.Opening.IsValid() {
		edits = append(edits, edit{g.off(last.Type.End()), g.off(last.Type.End()), ")"})
	}
	return name, edits
}

// bodyEdits places the two statements at the top of body. A body whose
// brace ends its line gets them as lines of their own (the gofmt'd case). A
// one-line body in gofmt's layout, "{ a(); b() }" or "{}", is expanded to
// lines, and the tag on the defer line lets strip put it back on one line.
// Anything else gets them inline after the brace, which changes no line.
func (g *generator) bodyEdits(body *ast.BlockStmt, stmts []string, expand bool) []edit {
	lbrace, rbrace := g.off(body.Lbrace), g.off(body.Rbrace)
	nl := g.lineEnd(lbrace)
	rest := strings.TrimSpace(string(g.src[lbrace+1 : nl]))
	if nl < rbrace && (rest == "" || strings.HasPrefix(rest, "//")) {
		in := g.indent(lbrace) + "\t"
		return []edit{{nl + 1, nl + 1, in + indentedJoin(stmts, in) + "\n"}}
	}
	if expand && g.canonicalOneLine(body) {
		outer := g.indent(lbrace)
		in := outer + "\t"
		var b strings.Builder
		b.WriteString("{\n" + in + indentedJoin(stmts, in) + " " + oneLineTag + "\n")
		for _, st := range body.List {
			b.WriteString(in + g.text(st) + "\n")
		}
		b.WriteString(outer + "}")
		return []edit{{lbrace, rbrace + 1, b.String()}}
	}
	inline := make([]string, len(stmts))
	for i, st := range stmts {
		inline[i] = oneLine(st)
	}
	return []edit{{lbrace + 1, lbrace + 1, " " + strings.Join(inline, "; ") + ";"}}
}

// indentedJoin writes statements on lines of their own, each line
// indented by in (the first by the caller).
func indentedJoin(stmts []string, in string) string {
	return strings.ReplaceAll(strings.Join(stmts, "\n"), "\n", "\n"+in)
}

// hasFuncLit reports whether body holds a function literal.
func hasFuncLit(body *ast.BlockStmt) bool {
	found := false
	ast.Inspect(body, func(n ast.Node) bool {
		_, lit := n.(*ast.FuncLit)
		found = found || lit
		return !found
	})
	return found
}

// editsWithin reports whether an edit falls strictly between offsets
// from and to.
func editsWithin(edits []edit, from, to int) bool {
	for _, e := range edits {
		if e.start > from && e.end <= to {
			return true
		}
	}
	return false
}

// canonicalOneLine reports whether body is "{}" or "{ s1; s2 }" exactly as
// gofmt writes a one-line body, with no comments.
func (g *generator) canonicalOneLine(body *ast.BlockStmt) bool {
	if g.line(body.Lbrace) != g.line(body.Rbrace) || g.hasComment(body.Lbrace, body.Rbrace) {
		return false
	}
	lbrace, rbrace := g.off(body.Lbrace), g.off(body.Rbrace)
	if len(body.List) == 0 {
		return rbrace == lbrace+1
	}
	prev, sep := lbrace+1, " "
	for _, st := range body.List {
		if string(g.src[prev:g.off(st.Pos())]) != sep {
			return false
		}
		prev, sep = g.off(st.End()), "; "
	}
	return string(g.src[prev:rbrace]) == " "
}

// importEdit adds the runtime import in one of the three layouts strip
// recognises: a group of its own at the end of the last parenthesised import
// declaration, a declaration of its own after the last unparenthesised one,
// or, in a file without imports, a declaration after the package clause.
func (g *generator) importEdit() edit {
	spec := g.added + " " + strconv.Quote(RuntimePath)
	if g.added == defaultAlias {
		// The package is named autotrace but its path ends in runtime: name
		// it, as goimports would, so readers need not guess.
		spec = defaultAlias + " " + strconv.Quote(RuntimePath)
	}
	var last *ast.GenDecl
	for _, d := range g.file.Decls {
		if gd, ok := d.(*ast.GenDecl); ok && gd.Tok == token.IMPORT {
			last = gd
		}
	}
	switch {
	case last != nil && last.Lparen.IsValid():
		at := g.off(last.Rparen)
		return edit{at, at, "\n\t" + spec + "\n"}
	case last != nil:
		at := g.off(last.End())
		return edit{at, at, "\nimport " + spec}
	default:
		at := g.lineEnd(g.off(g.file.Name.Pos()))
		return edit{at, at, "\n\nimport " + spec}
	}
}
