package rewrite

import (
	"go/ast"
	"go/token"
	"strconv"
	"strings"
)

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
	return anyNode(body, func(n ast.Node) bool {
		_, lit := n.(*ast.FuncLit)
		return lit
	})
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
