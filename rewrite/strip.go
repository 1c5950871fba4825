package rewrite

import (
	"go/ast"
	"go/token"
	"strings"
)

// Strip returns src without what Gen added: the statements at the top of
// instrumented functions, the names Gen gave to parameters and results, and
// the runtime import when nothing else uses it. Strip(Gen(src)) == src.
// It needs no type information. A file that does not parse is an error
// (an ErrorList with positions) and nothing is returned.
func Strip(filename string, src []byte) ([]byte, error) {
	s, err := parse(filename, src)
	if err != nil {
		return nil, err
	}
	out, _ := s.strip()
	return out, nil
}

// strip returns the stripped bytes and how many functions were
// instrumented.
func (s *source) strip() ([]byte, int) {
	imp, alias := runtimeImport(s.file)
	if imp == nil {
		return s.src, 0
	}
	var edits []edit
	removed := map[ast.Node]bool{}
	count := 0
	for _, g := range goStatements(s.file) {
		if _, ok := wrappedGo(g, alias); ok {
			count++
			removed[g.Call.Fun] = true
			edits = append(edits, s.unwrapGo(g))
		}
	}
	for _, c := range wrappedExits(s.file, alias) {
		count++
		removed[c.Fun] = true
		edits = append(edits, edit{s.off(c.Pos()), s.off(c.End()), s.text(c.Args[0])})
	}
	for _, fn := range functions(s.file, Counters{}) {
		stmts, start := genTop(fn, alias)
		if len(stmts) == 0 {
			continue
		}
		count++
		for _, st := range stmts {
			removed[st] = true
		}
		edits = append(edits, s.stripBody(fn.body(), stmts)...)
		if start != nil {
			edits = append(edits, s.stripSignature(fn.funcType())...)
		}
	}
	if count == 0 {
		return s.src, 0
	}
	if !s.usesAlias(alias, removed) {
		edits = append(edits, s.stripImport(imp)...)
	}
	return applyEdits(s.src, edits), count
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
