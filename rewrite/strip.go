package rewrite

import (
	"fmt"
	"go/ast"
	"go/token"
	"strings"
)

// Strip returns src without what Gen added: the statements at the top of
// instrumented functions, the names Gen gave to parameters and results, and
// the runtime import when nothing else uses it. Strip(Gen(src)) == src.
// Only code in the exact form gen writes goes, recognised by its hygienic
// names (see generated.go) and the runtime's Gen entry points (exit.go);
// hand-written calls of the runtime stay byte for byte, each function
// holding some named in a warning. When code gen did not write uses a name
// gen declared (say, __span), removing it would break the build: that is
// an error, and nothing is returned. It needs no type information. A file
// that does not parse is an error (an ErrorList with positions).
func Strip(filename string, src []byte) (*Output, error) {
	s, err := parse(filename, src)
	if err != nil {
		return nil, err
	}
	r := s.strip()
	if len(r.problems) > 0 {
		return nil, r.problems
	}
	return &Output{Src: r.src, Warnings: r.warnings}, nil
}

// stripped is what strip makes of a file.
type stripped struct {
	src      []byte
	count    int       // functions, go statements and exits that were instrumented
	warnings ErrorList // hand-written runtime calls left in place
	problems ErrorList // names gen declared that other code uses
}

func (s *source) strip() stripped {
	imp, alias := runtimeImport(s.imps)
	if imp == nil {
		return stripped{src: s.src}
	}
	var edits []edit
	removed := map[ast.Node]bool{}
	r := stripped{}
	for _, g := range goStatements(s.file) {
		if _, ok := wrappedGo(g, alias); ok {
			r.count++
			removed[g.Call.Fun] = true
			edits = append(edits, s.unwrapGo(g))
		}
	}
	for _, c := range wrappedExits(s.file, alias, "GenShutdownThen") {
		r.count++
		removed[c.Fun] = true
		edits = append(edits, edit{s.off(c.Pos()), s.off(c.End()), s.text(c.Args[0])})
	}
	type strippedFn struct {
		fn       *function
		declared map[string]bool
	}
	var fns []strippedFn
	for _, fn := range functions(s.file, s.imps, Counters{}) {
		stmts, start := genTop(fn, alias)
		if len(stmts) == 0 {
			continue
		}
		r.count++
		declared := map[string]bool{}
		for _, st := range stmts {
			removed[st] = true
		}
		if start != nil {
			lhs := start.(*ast.AssignStmt).Lhs
			declared[lhs[len(lhs)-1].(*ast.Ident).Name] = true
			edits = append(edits, s.stripSignature(fn.funcType())...)
			for _, id := range hygienicFields(fn.funcType()) {
				declared[id.Name] = true
			}
		}
		fns = append(fns, strippedFn{fn, declared})
		edits = append(edits, s.stripBody(fn.body(), stmts)...)
	}
	for _, f := range fns {
		for _, id := range s.usesOutside(f.fn.body(), f.declared, removed) {
			r.problems = append(r.problems, &Error{s.position(id.Pos()), fmt.Sprintf(
				"%s is used by code gen did not write, and strip would remove its declaration (gen's, at the top of %s): rename it, or remove the instrumentation by hand",
				id.Name, f.fn.name)})
		}
	}
	r.warnings = s.handWritten(alias, removed)
	if len(r.problems) > 0 || r.count == 0 {
		r.src = s.src
		return r
	}
	if !s.usesAlias(alias, removed) {
		edits = append(edits, s.stripImport(imp)...)
	}
	r.src = applyEdits(s.src, edits)
	return r
}

// hygienicFields returns the parameter and result names in ft that gen
// gave (see reservedName), which strip takes away again.
func hygienicFields(ft *ast.FuncType) []*ast.Ident {
	var out []*ast.Ident
	for _, fl := range []*ast.FieldList{ft.Params, ft.Results} {
		if fl == nil {
			continue
		}
		for _, f := range fl.List {
			for _, n := range f.Names {
				if reservedName(n.Name) {
					out = append(out, n)
				}
			}
		}
	}
	return out
}

// usesOutside returns the identifiers in body naming one of names outside
// the removed nodes (a field or method selected by that name is not a use).
func (s *source) usesOutside(body *ast.BlockStmt, names map[string]bool, removed map[ast.Node]bool) []*ast.Ident {
	var out []*ast.Ident
	ast.Inspect(body, func(n ast.Node) bool {
		if removed[n] {
			return false
		}
		switch x := n.(type) {
		case *ast.SelectorExpr:
			ast.Inspect(x.X, func(m ast.Node) bool {
				if id, ok := m.(*ast.Ident); ok && names[id.Name] {
					out = append(out, id)
				}
				return !removed[m]
			})
			return false
		case *ast.Ident:
			if names[x.Name] {
				out = append(out, x)
			}
		}
		return true
	})
	return out
}

// handWritten warns once per function (and once per use outside
// functions) where the runtime is called in code strip leaves in place.
func (s *source) handWritten(alias string, removed map[ast.Node]bool) ErrorList {
	var warnings ErrorList
	warned := map[*function]bool{}
	fns := functions(s.file, s.imps, Counters{})
	innermost := func(pos token.Pos) *function {
		var in *function
		for _, fn := range fns {
			if b := fn.body(); b != nil && b.Pos() <= pos && pos < b.End() {
				if in == nil || in.body().Pos() < b.Pos() {
					in = fn
				}
			}
		}
		return in
	}
	ast.Inspect(s.file, func(n ast.Node) bool {
		if removed[n] {
			return false
		}
		sel, ok := n.(*ast.SelectorExpr)
		if !ok {
			return true
		}
		if id, ok := sel.X.(*ast.Ident); !ok || id.Name != alias {
			return true
		}
		where := ""
		if fn := innermost(sel.Pos()); fn != nil {
			if warned[fn] {
				return true
			}
			warned[fn] = true
			where = " in " + fn.name
		}
		warnings = append(warnings, &Error{s.position(sel.Pos()), fmt.Sprintf("left hand-written autotrace code%s (%s.%s)", where, alias, sel.Sel.Name)})
		return true
	})
	return warnings
}

// stripBody removes the generated statements at the top of body in
// whichever of the three layouts gen wrote them (see bodyEdits).
func (s *source) stripBody(body *ast.BlockStmt, stmts []ast.Stmt) []edit {
	start, end := stmts[0], stmts[len(stmts)-1]
	lbrace, rbrace := s.off(body.Lbrace), s.off(body.Rbrace)
	if s.line(start.Pos()) == s.line(body.Lbrace) {
		// Inline: "{ S1; S2;" + original.
		to := s.off(end.End())
		if to < len(s.src) && s.src[to] == ';' {
			to++
		}
		return []edit{{lbrace + 1, to, ""}}
	}
	after := s.off(end.End())
	if c := s.commentAt(after + 1); c != nil && c.Text == oneLineTag && s.line(c.Pos()) == s.line(end.End()) {
		// Expanded one-line body: put it back on one line.
		var b strings.Builder
		b.WriteByte('{')
		rest := body.List[len(stmts):]
		for i, st := range rest {
			if i == 0 {
				b.WriteByte(' ')
			} else {
				b.WriteString("; ")
			}
			b.WriteString(s.text(st))
		}
		if len(rest) > 0 {
			b.WriteByte(' ')
		}
		b.WriteByte('}')
		return []edit{{lbrace, rbrace + 1, b.String()}}
	}
	// Lines of their own.
	from := s.lineStart(s.off(start.Pos()))
	to := s.lineEnd(s.off(end.End()))
	if to < len(s.src) {
		to++
	}
	return []edit{{from, to, ""}}
}

// stripSignature undoes the names gen gave to parameters and results.
func (s *source) stripSignature(ft *ast.FuncType) []edit {
	var edits []edit
	edits = append(edits, s.unname(ft.Params, unnamedParam.MatchString, blankParam.MatchString, true)...)
	if ft.Results != nil {
		edits = append(edits, s.unname(ft.Results, unnamedErr.MatchString, blankErr.MatchString, false)...)
		edits = append(edits, s.unname(ft.Results, parenErr.MatchString, nil, true)...)
	}
	return edits
}

// unname restores a field list: when a name matches unnamed, every name in
// the list was added by gen and is removed (with the parentheses around a
// single result unless keepParens); a name matching blank becomes _ again.
func (s *source) unname(fl *ast.FieldList, unnamed, blank func(string) bool, keepParens bool) []edit {
	var edits []edit
	all := false
	for _, f := range fl.List {
		for _, n := range f.Names {
			if unnamed(n.Name) {
				all = true
			}
			if blank != nil && blank(n.Name) {
				edits = append(edits, edit{s.off(n.Pos()), s.off(n.End()), "_"})
			}
		}
	}
	if !all {
		return edits
	}
	edits = edits[:0]
	for _, f := range fl.List {
		if len(f.Names) == 1 {
			edits = append(edits, edit{s.off(f.Names[0].Pos()), s.off(f.Type.Pos()), ""})
		}
	}
	if !keepParens && len(fl.List) == 1 && fl.Opening.IsValid() && fl.Closing.IsValid() {
		edits = append(edits,
			edit{s.off(fl.Opening), s.off(fl.Opening) + 1, ""},
			edit{s.off(fl.Closing), s.off(fl.Closing) + 1, ""})
	}
	return edits
}

// usesAlias reports whether alias is used outside the removed statements.
func (s *source) usesAlias(alias string, removed map[ast.Node]bool) bool {
	used := false
	ast.Inspect(s.file, func(n ast.Node) bool {
		if used || removed[n] {
			return false
		}
		if sel, ok := n.(*ast.SelectorExpr); ok {
			if id, ok := sel.X.(*ast.Ident); ok && id.Name == alias {
				used = true
			}
		}
		return true
	})
	return used
}

// stripImport removes the runtime import. Gen adds it in one of three
// layouts (see importEdit); those come out byte for byte. An import someone
// moved since is removed with its line.
func (s *source) stripImport(imp *ast.ImportSpec) []edit {
	for _, d := range s.file.Decls {
		gd, ok := d.(*ast.GenDecl)
		if !ok || gd.Tok != token.IMPORT {
			continue
		}
		for _, spec := range gd.Specs {
			if spec != imp {
				continue
			}
			if gd.Lparen.IsValid() {
				from := s.off(imp.Pos())
				if from >= 2 && string(s.src[from-2:from]) == "\n\t" && s.off(gd.Rparen) == s.off(imp.End())+1 {
					return []edit{{from - 2, s.off(gd.Rparen), ""}}
				}
				if len(gd.Specs) > 1 {
					return []edit{{s.lineStart(from), s.lineEnd(from) + 1, ""}}
				}
			}
			from, to := s.off(gd.Pos()), s.off(gd.End())
			if from > 0 && s.src[from-1] == '\n' {
				from--
			}
			if len(s.file.Imports) == 1 && from > 0 && s.src[from-1] == '\n' && s.line(s.file.Name.Pos()) == s.line(gd.Pos())-2 {
				from-- // the blank line gen put between package and import
			}
			return []edit{{from, to, ""}}
		}
	}
	return nil
}
