package toolexec

import (
	"bytes"
	"fmt"
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"strings"

	"github.com/autotrace/autotrace/rewrite"
)

// moduleRules reads the rules (rewrite.Rule) written in the main modules'
// directories mains: in every .go file but tests, outside vendor and
// testdata directories, directories whose name starts with . or _, and
// nested modules, whatever its build tags. Positions are relative to cwd
// when below it. It also returns the stamps whose change makes the answer
// stale: every directory walked (a file added or removed) and every .go
// file read.
//
// The go command compiles a dependency before the packages that import
// it, so the rules for it must be known before any compile: the session,
// computed once per go command and cached while these stamps hold, has
// them.
func moduleRules(mains []string, cwd string) ([]rewrite.Rule, []stamp) {
	var rules []rewrite.Rule
	var stamps []stamp
	for _, root := range mains {
		filepath.WalkDir(root, func(path string, d os.DirEntry, err error) error {
			if err != nil {
				return nil
			}
			name := d.Name()
			if d.IsDir() {
				if path != root && (name == "vendor" || name == "testdata" || strings.HasPrefix(name, ".") || strings.HasPrefix(name, "_") || fileExists(filepath.Join(path, "go.mod"))) {
					return filepath.SkipDir
				}
				stamps = append(stamps, stampOf(path))
				return nil
			}
			if !strings.HasSuffix(name, ".go") || strings.HasSuffix(name, "_test.go") {
				return nil
			}
			stamps = append(stamps, stampOf(path))
			data, err := os.ReadFile(path)
			if err != nil || !bytes.Contains(data, []byte("//autotrace:")) {
				return nil
			}
			shown := path
			if rel, err := filepath.Rel(cwd, path); err == nil && !strings.HasPrefix(rel, "..") {
				shown = rel
			}
			fset := token.NewFileSet()
			f, err := parser.ParseFile(fset, shown, data, parser.ParseComments|parser.SkipObjectResolution)
			if err != nil {
				return nil // the package's own compile reports it
			}
			// Malformed directives are the error of the package that
			// holds them, reported when it is compiled (or by gen).
			found, _ := rewrite.ParseRules(fset, f)
			rules = append(rules, found...)
			return nil
		})
	}
	return rules, stamps
}

// rulesFor returns the rules for the package of import path path: those
// of the session (the main modules') and of the sets -rules switches on,
// each once.
func rulesFor(opts Options, s *session, path string) []rewrite.Rule {
	var all []rewrite.Rule
	if s != nil {
		all = append(all, s.Rules...)
	}
	for _, n := range opts.Rules {
		set, _ := rewrite.RuleSet(n) // checked by checkRuleSets
		all = append(all, set...)
	}
	var out []rewrite.Rule
	seen := map[string]bool{}
	for _, r := range all {
		if r.Pkg == path && !seen[r.Key()] {
			seen[r.Key()] = true
			out = append(out, r)
		}
	}
	return out
}

// checkRuleSets reports a name in -rules that is not a shipped set.
func checkRuleSets(opts Options) error {
	for _, n := range opts.Rules {
		if _, err := rewrite.RuleSet(n); err != nil {
			return fmt.Errorf("autotrace: -rules: %v", err)
		}
	}
	return nil
}

// rulesKey is what the session's rules ask for, for the build cache: not
// where they are written, so that moving one rebuilds nothing.
func rulesKey(rules []rewrite.Rule) string {
	var b strings.Builder
	for _, r := range rules {
		b.WriteString(r.Key())
		b.WriteByte('\n')
	}
	return b.String()
}
