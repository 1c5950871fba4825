package rewrite

import (
	"embed"
	"fmt"
	"go/parser"
	"go/token"
	"path"
	"sort"
	"strings"
)

// The rule sets shipped with autotrace: ordinary rule text, one file per
// set, in the form a user writes in their own module (copy one to change
// it). A comment line starting "// autotrace-help:" is the set's summary
// for autotrace help rules.
//
//go:embed rules/*.rules
var ruleFiles embed.FS

// ruleSet is one shipped set.
type ruleSet struct {
	summary string
	text    string
	rules   []Rule
}

var ruleSets map[string]*ruleSet

func init() { loadRuleSets() }

func loadRuleSets() {
	out := map[string]*ruleSet{}
	ruleSets = out
	entries, err := ruleFiles.ReadDir("rules")
	if err != nil {
		panic(err)
	}
	for _, e := range entries {
		name := strings.TrimSuffix(e.Name(), ".rules")
		data, err := ruleFiles.ReadFile(path.Join("rules", e.Name()))
		if err != nil {
			panic(err)
		}
		out[name] = &ruleSet{text: string(data)}
	}
	// Parsed after the map is whole: a set's text may not switch on
	// another (parseRuleSets reads the map), but it must see the names.
	for name, s := range out {
		rules, summary, err := parseShipped(name, s.text)
		if err != nil {
			panic(fmt.Sprintf("autotrace: shipped rule set %s: %v", name, err))
		}
		s.rules, s.summary = rules, summary
	}
}

// parseShipped parses the text of the shipped set name: comment lines, as
// they would stand in the header of a Go file.
func parseShipped(name, text string) ([]Rule, string, error) {
	fset := token.NewFileSet()
	f, err := parser.ParseFile(fset, RuleSetFile(name), text+"\npackage rules\n", parser.ParseComments|parser.SkipObjectResolution)
	if err != nil {
		return nil, "", err
	}
	ds, errs := parseDirectives(fset, f)
	if len(errs) > 0 {
		return nil, "", errs
	}
	var rules []Rule
	for c, d := range ds {
		if d.verb != "span" || d.ref.pkg == "" {
			return nil, "", fmt.Errorf("%s: only rules belong in a rule set", fset.Position(c.Pos()))
		}
		rules = append(rules, Rule{Pos: fset.Position(c.Pos()), Text: c.Text, Pkg: d.ref.pkg, Func: d.ref.fn})
	}
	SortRules(rules)
	var summary []string
	for _, line := range strings.Split(text, "\n") {
		if s, ok := strings.CutPrefix(line, "// autotrace-help:"); ok {
			summary = append(summary, strings.TrimSpace(s))
		}
	}
	return rules, strings.Join(summary, " "), nil
}

// RuleSetFile is the name positions in the shipped set name use.
func RuleSetFile(name string) string { return "autotrace/rules/" + name + ".rules" }

// RuleSetNames lists the shipped rule sets, sorted.
func RuleSetNames() []string {
	var out []string
	for n := range ruleSets {
		out = append(out, n)
	}
	sort.Strings(out)
	return out
}

// RuleSet returns the rules of the shipped set name.
func RuleSet(name string) ([]Rule, error) {
	s, ok := ruleSets[name]
	if !ok {
		return nil, fmt.Errorf("unknown rule set %q (sets: %s)", name, strings.Join(RuleSetNames(), ", "))
	}
	return append([]Rule(nil), s.rules...), nil
}

// RuleSetText returns the text of the shipped set name and its summary.
func RuleSetText(name string) (text, summary string, ok bool) {
	s, ok := ruleSets[name]
	if !ok {
		return "", "", false
	}
	return s.text, s.summary, true
}
