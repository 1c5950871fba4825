package rewrite

import (
	"fmt"
	"go/ast"
	"go/token"
	"slices"
)

// target is a function gen instruments.
type target struct {
	name     string     // from name=, or "" for the runtime-style name
	attrs    []attrItem // from attrs=
	attrsPos token.Pos  // of attrs=, for errors: in the rule's text when rule is set
	rule     *Rule      // the rule that selected it, if one did
	// propagate is the parameter whose request carries the span's W3C
	// trace context on (rules only), or "".
	propagate string
	// rename is the words of the name the span gets as it ends, from
	// attrs= keys (rules only; see the runtime's Rename).
	rename []string
}

// position is where the byte off bytes after attrs= is, for errors: in
// the file of the function, or in the rule that selected it.
func (t target) position(s *source, off int) token.Position {
	if t.rule != nil {
		return t.rule.at(int(t.attrsPos) + off)
	}
	return s.position(t.attrsPos + token.Pos(off))
}

// plan is what the directives of a file select.
type plan struct {
	targets  map[*function]target
	skipped  map[*function]bool // marked //autotrace:skip
	warnings ErrorList
}

// plan attaches every directive of the file to what it applies to and
// decides which functions to instrument. A directive that applies to
// nothing is an error: it says something the author believes, and it is
// not true.
func (s *source) plan(fns []*function, all bool, rules []Rule) (*plan, error) {
	ds, errs := parseDirectives(s.fset, s.file)
	byComment := func(c *ast.Comment) *directive { return ds[c] }

	fileAll := false
	for _, g := range s.file.Comments {
		if g.Pos() >= s.file.Package {
			break
		}
		for _, c := range g.List {
			if d := byComment(c); d != nil && d.verb == "all" {
				d.used, fileAll = true, true
			}
		}
	}

	// Statements (and package-level declarations) by their first line, for
	// directives written above a statement holding a function literal.
	stmtAt := map[int]ast.Node{}
	ast.Inspect(s.file, func(n ast.Node) bool {
		switch n.(type) {
		case ast.Stmt, *ast.GenDecl:
			if _, isBlock := n.(*ast.BlockStmt); isBlock {
				return true
			}
			line := s.line(n.Pos())
			if _, seen := stmtAt[line]; !seen {
				stmtAt[line] = n
			}
		}
		return true
	})
	firstLit := map[ast.Node]*function{}
	litFn := map[*ast.FuncLit]*function{}
	for _, fn := range fns {
		if fn.lit != nil {
			litFn[fn.lit] = fn
		}
	}
	findLit := func(n ast.Node) *function {
		if fn, ok := firstLit[n]; ok {
			return fn
		}
		var found *function
		ast.Inspect(n, func(x ast.Node) bool {
			if found != nil {
				return false
			}
			if lit, ok := x.(*ast.FuncLit); ok {
				found = litFn[lit]
				return false
			}
			return true
		})
		firstLit[n] = found
		return found
	}

	attached := map[*function][]*directive{}
	declDoc := map[*ast.Comment]*function{}
	for _, fn := range fns {
		if fn.decl != nil && fn.decl.Doc != nil {
			for _, c := range fn.decl.Doc.List {
				declDoc[c] = fn
			}
		}
	}
	for _, g := range s.file.Comments {
		for _, c := range g.List {
			d := byComment(c)
			if d != nil && (d.ref.pkg != "" || d.verb == "rules") {
				continue // a rule for another package: see Rule
			}
			if d == nil || d.verb == "all" {
				if d != nil && !d.used {
					errs = append(errs, &Error{s.position(c.Pos()), "misplaced //autotrace:all: it belongs in the file's header comment, before the package clause"})
				}
				continue
			}
			fn := declDoc[c]
			if fn == nil {
				if n := stmtAt[s.line(g.End())+1]; n != nil {
					fn = findLit(n)
				}
			}
			if fn == nil {
				errs = append(errs, &Error{s.position(c.Pos()), fmt.Sprintf("misplaced //autotrace:%s: it belongs in the doc comment of a function declaration or on the line above a statement holding a function literal", d.verb)})
				continue
			}
			attached[fn] = append(attached[fn], d)
		}
	}

	p := &plan{targets: map[*function]target{}, skipped: map[*function]bool{}}
	for _, fn := range fns {
		var span, skip *directive
		for _, d := range attached[fn] {
			switch {
			case d.verb == "span" && span == nil:
				span = d
			case d.verb == "skip" && skip == nil:
				skip = d
			default:
				errs = append(errs, &Error{s.position(d.pos), fmt.Sprintf("duplicate //autotrace:%s for %s", d.verb, fn.name)})
			}
		}
		if span != nil && skip != nil {
			errs = append(errs, &Error{s.position(skip.pos), fmt.Sprintf("%s is marked both //autotrace:span and //autotrace:skip", fn.name)})
			continue
		}
		var rule *Rule
		if fn.decl != nil && span == nil && len(rules) > 0 {
			name := declName(fn.decl)
			for i := range rules {
				if rules[i].Func == name {
					rule = &rules[i]
					break
				}
			}
		}
		wanted := span != nil || rule != nil || (fn.decl != nil && (all || fileAll))
		if skip != nil {
			p.skipped[fn] = true
			if !wanted && !fn.main { // a skip on main.main also keeps EndMain out
				p.warnings = append(p.warnings, &Error{s.position(skip.pos), fmt.Sprintf("unused //autotrace:skip: %s would not be instrumented anyway", fn.name)})
			}
			continue
		}
		if !wanted {
			continue
		}
		if fn.body() == nil {
			if span != nil {
				errs = append(errs, &Error{s.position(span.pos), fmt.Sprintf("//autotrace:span on %s, which has no body", fn.name)})
			}
			continue
		}
		t := target{}
		if span != nil {
			t.name, t.attrs, t.attrsPos = span.name, span.attrs, span.attrsPos
			if span.propagate != "" || len(span.rename) > 0 || slices.ContainsFunc(span.attrs, func(it attrItem) bool { return it.fn == "end" }) {
				errs = append(errs, &Error{s.position(span.pos), "propagate=, rename= and end(…) belong in rules only (span directives naming a function of another package)"})
				continue
			}
		}
		if rule != nil {
			d, msg := rule.directive()
			if msg != "" {
				errs = append(errs, &Error{rule.Pos, msg})
				continue
			}
			t.name, t.attrs, t.attrsPos, t.rule, t.propagate, t.rename = d.name, d.attrs, d.attrsPos, rule, d.propagate, d.rename
		}
		p.targets[fn] = t
	}
	if len(errs) > 0 {
		errs.Sort()
		return nil, errs
	}
	return p, nil
}
