package rewrite

import (
	"fmt"
	"go/ast"
	"go/token"
)

// target is a function gen instruments.
type target struct {
	name     string     // from name=, or "" for the runtime-style name
	attrs    []attrItem // from attrs=
	attrsPos token.Pos  // of attrs=, for errors
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
func (s *source) plan(fns []*function, all bool) (*plan, error) {
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
		wanted := span != nil || (fn.decl != nil && (all || fileAll))
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
		}
		p.targets[fn] = t
	}
	if len(errs) > 0 {
		errs.Sort()
		return nil, errs
	}
	return p, nil
}
