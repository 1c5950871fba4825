package driver

import (
	"bytes"
	"errors"
	"fmt"
	"go/ast"
	"os"
	"regexp"
	"sort"

	"golang.org/x/tools/go/packages"

	"github.com/autotrace/autotrace/internal/toolexec"
	"github.com/autotrace/autotrace/rewrite"
)

// maybeRule matches a line that may hold a rule: a span directive whose
// first argument is not KEY=VALUE, or //autotrace:rules. Files without
// one are not parsed again.
var maybeRule = regexp.MustCompile(`//autotrace:(span[ \t]+[^= \t\n]+([ \t\n]|$)|rules)`)

// Rules resolves the rules written in the files of results (see
// rewrite.Rule) as a build under -toolexec would: it loads every package
// they name, with types, and instruments it in memory. It returns how many
// rules there are and every problem (an unknown package, function or
// attrs item), at its rule's position. Gen cannot rewrite a dependency: a
// rule takes effect only in a build under -toolexec.
func Rules(opts Options, results []*Result) (int, error) {
	var rules []rewrite.Rule
	for _, r := range results {
		if !maybeRule.Match(r.File.Src) {
			continue
		}
		rs, err := rewrite.ParseRuleFile(r.File.Path, r.File.Src)
		if err != nil {
			return 0, err // Gen has reported malformed directives already
		}
		rules = append(rules, rs...)
	}
	if len(rules) == 0 {
		return 0, nil
	}
	byPkg := map[string][]rewrite.Rule{}
	var paths []string
	for _, r := range rules {
		if byPkg[r.Pkg] == nil {
			paths = append(paths, r.Pkg)
		}
		byPkg[r.Pkg] = append(byPkg[r.Pkg], r)
	}
	sort.Strings(paths)
	cfg := &packages.Config{
		Mode:       packages.NeedName | packages.NeedFiles | packages.NeedCompiledGoFiles | packages.NeedSyntax | packages.NeedTypes | packages.NeedTypesInfo,
		Dir:        opts.Dir,
		Env:        toolexec.NestedEnv(),
		BuildFlags: buildFlags(opts),
	}
	pkgs, err := packages.Load(cfg, paths...)
	if err != nil {
		return 0, err
	}
	loaded := map[string]*packages.Package{}
	for _, p := range pkgs {
		loaded[p.PkgPath] = p
	}
	var problems rewrite.ErrorList
	for _, path := range paths {
		p := loaded[path]
		if p == nil || len(p.Errors) > 0 || p.Types == nil || len(p.Syntax) == 0 {
			msg := "not found"
			if p != nil && len(p.Errors) > 0 {
				msg = p.Errors[0].Msg
			}
			for _, r := range byPkg[path] {
				problems = append(problems, &rewrite.Error{Pos: r.Pos, Msg: fmt.Sprintf("cannot load package %s, which the rule names: %s", path, msg)})
			}
			continue
		}
		problems = append(problems, ruleProblems(p, byPkg[path])...)
	}
	if len(problems) > 0 {
		return len(rules), Relative(opts.Dir, problems)
	}
	return len(rules), nil
}

// ruleProblems instruments p, in memory, by rules, and returns what is
// wrong.
func ruleProblems(p *packages.Package, rules []rewrite.Rule) rewrite.ErrorList {
	prep := rewrite.Prepare{Fset: p.Fset, Rules: rules}
	var own []bool
	for _, f := range p.Syntax {
		name := p.Fset.File(f.Pos()).Name()
		src, err := os.ReadFile(name)
		if err != nil {
			return rewrite.ErrorList{{Pos: rules[0].Pos, Msg: err.Error()}}
		}
		prep.Sources = append(prep.Sources, rewrite.Source{Filename: name, Src: src, File: f})
		own = append(own, !ast.IsGenerated(f) && !bytes.HasSuffix([]byte(name), []byte("_test.go")))
	}
	problems := prep.RuleErrors(p.PkgPath)
	ins, err := prep.Typed(rewrite.Checked{Files: p.Syntax, Pkg: p.Types, Info: p.TypesInfo})
	if err != nil {
		return append(problems, &rewrite.Error{Pos: rules[0].Pos, Msg: err.Error()})
	}
	for i, in := range ins {
		if !own[i] {
			continue
		}
		if _, err := rewrite.Gen(in); err != nil {
			var list rewrite.ErrorList
			if errors.As(err, &list) {
				problems = append(problems, list...)
			} else {
				problems = append(problems, &rewrite.Error{Pos: rules[0].Pos, Msg: err.Error()})
			}
		}
	}
	return problems
}
