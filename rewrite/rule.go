package rewrite

import (
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"sort"
	"strings"
)

// A Rule is a span directive written in one package that names a function
// of another (a dependency, the standard library):
//
//	//autotrace:span database/sql.(*DB).queryDC name=sql.query attrs=db.statement=query
//
// It takes effect where that package is compiled (go build -toolexec),
// with the same rules as the directive in that function's doc comment.
type Rule struct {
	Pos  token.Position // of the directive
	Text string         // the directive, as written
	Pkg  string         // the import path of the package it names
	Func string         // the function in it: F, T.M or (*T).M
}

// ruleRef is the PKG.FUNC of a rule.
type ruleRef struct{ pkg, fn string }

// parseRuleRef parses PKG.FUNC, where PKG is an import path and FUNC is
// F, T.M or (*T).M, as the Go runtime names functions; it returns what is
// wrong, or "".
func parseRuleRef(s string) (ruleRef, string) {
	want := fmt.Sprintf("%q: want IMPORT/PATH.FUNC, IMPORT/PATH.TYPE.METHOD or IMPORT/PATH.(*TYPE).METHOD", s)
	slash := strings.LastIndex(s, "/")
	dot := strings.Index(s[slash+1:], ".")
	if dot < 0 {
		return ruleRef{}, want
	}
	ref := ruleRef{pkg: s[:slash+1+dot], fn: s[slash+1+dot+1:]}
	for _, elem := range strings.Split(ref.pkg, "/") {
		if elem == "" || strings.ContainsAny(elem, "()*[]\"\\`") {
			return ruleRef{}, want
		}
	}
	parts := strings.Split(ref.fn, ".")
	switch {
	case len(parts) == 1 && token.IsIdentifier(parts[0]):
	case len(parts) == 2 && token.IsIdentifier(parts[1]) &&
		(token.IsIdentifier(parts[0]) || strings.HasPrefix(parts[0], "(*") && strings.HasSuffix(parts[0], ")") && token.IsIdentifier(parts[0][2:len(parts[0])-1])):
	default:
		return ruleRef{}, want
	}
	return ref, ""
}

// parseRuleSets parses the arguments of //autotrace:rules: one or more
// names of the rule sets shipped with autotrace.
func parseRuleSets(args string) ([]string, string) {
	names := strings.Fields(args)
	if len(names) == 0 {
		return nil, "want //autotrace:rules SET… (sets: " + strings.Join(RuleSetNames(), ", ") + ")"
	}
	for _, n := range names {
		if _, ok := ruleSets[n]; !ok {
			return nil, fmt.Sprintf("unknown rule set %q (sets: %s)", n, strings.Join(RuleSetNames(), ", "))
		}
	}
	return names, ""
}

// ParseRules returns the rules of f, a file of the package that writes
// them, and the rules of the shipped sets its //autotrace:rules directives
// switch on; with every malformed directive of f as an error. fset holds f.
func ParseRules(fset *token.FileSet, f *ast.File) ([]Rule, ErrorList) {
	ds, errs := parseDirectives(fset, f)
	var out []Rule
	var sets []string
	for c, d := range ds {
		switch {
		case d.verb == "span" && d.ref.pkg != "":
			out = append(out, Rule{Pos: fset.Position(c.Pos()), Text: c.Text, Pkg: d.ref.pkg, Func: d.ref.fn})
		case d.verb == "rules":
			sets = append(sets, d.sets...)
		}
	}
	for _, n := range sets {
		rs, _ := RuleSet(n)
		out = append(out, rs...)
	}
	SortRules(out)
	errs.Sort()
	return out, errs
}

// ParseRuleFile is ParseRules of the Go source src of the file filename.
func ParseRuleFile(filename string, src []byte) ([]Rule, error) {
	fset := token.NewFileSet()
	f, err := parser.ParseFile(fset, filename, src, parser.ParseComments|parser.SkipObjectResolution)
	if err != nil {
		return nil, err
	}
	rules, errs := ParseRules(fset, f)
	if len(errs) > 0 {
		return nil, errs
	}
	return rules, nil
}

// SortRules orders rules by package, function and position.
func SortRules(rules []Rule) {
	sort.SliceStable(rules, func(i, j int) bool {
		a, b := rules[i], rules[j]
		if a.Pkg != b.Pkg {
			return a.Pkg < b.Pkg
		}
		if a.Func != b.Func {
			return a.Func < b.Func
		}
		return posLess(a.Pos, b.Pos)
	})
}

func posLess(a, b token.Position) bool {
	if a.Filename != b.Filename {
		return a.Filename < b.Filename
	}
	if a.Line != b.Line {
		return a.Line < b.Line
	}
	return a.Column < b.Column
}

// directive parses the rule's text again (a Rule travels as text, for
// the build cache and between processes).
func (r Rule) directive() (*directive, string) {
	d, msg := parseDirective(&ast.Comment{Text: r.Text})
	if msg == "" && d.ref.pkg == "" {
		msg = "not a rule: " + r.Text
	}
	return d, msg
}

// at is the position of the byte off bytes into the rule's text.
func (r Rule) at(off int) token.Position {
	p := r.Pos
	p.Column += off
	if p.Offset >= 0 {
		p.Offset += off
	}
	return p
}

// Key is what the rule asks for, without where it is written: what the
// build cache keys on, so that moving a rule rebuilds nothing.
func (r Rule) Key() string {
	_, args, _ := strings.Cut(strings.TrimPrefix(r.Text, directivePrefix+"span"), " ")
	return strings.Join(strings.Fields(args), " ")
}
