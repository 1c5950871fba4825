package rewrite

import (
	"bytes"
	"fmt"
	"go/ast"
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

	// Rules are the rules for functions of this file's package (written
	// elsewhere): each function a rule names is instrumented as if the
	// rule stood in its doc comment. Prepare.Rules sets them.
	Rules []Rule

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
	fns := functions(s.file, s.imps, in.Counters)
	facts := in.Facts
	if facts == nil {
		facts = keepAllOf(fns, rawSyntaxFacts(s.imps, fns))
	}
	if len(facts) != len(fns) {
		return nil, fmt.Errorf("%s: internal error: %d facts for %d functions", in.Filename, len(facts), len(fns))
	}
	plan, err := s.plan(fns, in.All, in.Rules)
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
		_, alias := runtimeImport(res.imps)
		for _, fn := range functions(res.file, res.imps, in.Counters) {
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
		return &source{name: in.Filename, src: in.Src, fset: in.Fset, tf: in.Fset.File(in.File.Pos()), file: in.File, imps: importsOf(in.File)}, nil
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
	if _, a := runtimeImport(g.imps); a != "" {
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
	// The names strip would take away are the user's here: refuse them.
	if reserved := hygienicFields(ft); len(reserved) > 0 {
		n := reserved[0]
		return "", nil, nil, ErrorList{{g.position(n.Pos()), fmt.Sprintf("cannot instrument %s: the name %s is reserved for autotrace; rename it", fn.name, n.Name)}}
	}
	alias := g.runtimeAlias()
	span := fresh(spanBase, taken)
	name := fn.name
	if t.name != "" {
		name = t.name
	}
	var edits []edit
	var start, propagate string
	if t.propagate != "" && facts.Request < 0 && facts.KeptRequest >= 0 && paramName(ft.Params, facts.KeptRequest) == t.propagate {
		// The body sees a copy of the request with the trace context in
		// its headers anyway: it may as well carry the span's context.
		facts.Request, facts.KeptRequest = facts.KeptRequest, -1
	}
	switch {
	case facts.Ctx >= 0:
		ctx, e := g.nameParam(ft.Params, facts.Ctx, "__ctx", taken)
		edits = append(edits, e...)
		start = fmt.Sprintf("%s, %s := %s.Start(%s, %s)", ctx, span, alias, ctx, strconv.Quote(name))
	case facts.Request >= 0:
		req, e := g.nameParam(ft.Params, facts.Request, "__req", taken)
		edits = append(edits, e...)
		start = fmt.Sprintf("%s, %s := %s.StartRequest(%s, %s)", req, span, alias, req, strconv.Quote(name))
		if t.propagate == req {
			propagate = fmt.Sprintf("%s = %s.Propagate(%s)", req, alias, req)
		}
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
	if t.propagate != "" && propagate == "" {
		return "", nil, nil, ErrorList{{t.rule.Pos, fmt.Sprintf("propagate=%s: %s is not the *http.Request parameter the span of %s starts from", t.propagate, t.propagate, fn.name)}}
	}
	stmts := []string{start, end}
	if len(t.rename) > 0 {
		// Deferred after End, it runs before it, and after the calls
		// deferred below that record attributes at return.
		words := make([]string, len(t.rename))
		for i, w := range t.rename {
			words[i] = strconv.Quote(w)
		}
		stmts = append(stmts, fmt.Sprintf("defer %s.Rename(%s, %s)", alias, span, strings.Join(words, ", ")))
	}
	if propagate != "" {
		stmts = append(stmts, propagate)
	}
	if len(t.attrs) > 0 {
		rec, err := g.attrStmts(fn, t, sig, span)
		if err != nil {
			return "", nil, nil, err
		}
		stmts = append(stmts, rec...)
	}
	return span, stmts, edits, nil
}
