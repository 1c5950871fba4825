package rewrite_test

import (
	"go/ast"
	"go/parser"
	"go/token"
	"go/types"
	"strings"
	"testing"

	"github.com/autotrace/autotrace/rewrite"
)

// TestParseRules checks what rule directives in a user's file say, and
// that a malformed one is an error at its file:line:col.
func TestParseRules(t *testing.T) {
	tests := []struct {
		name, src string
		want      []string // PKG FUNC KEY, in order
		err       string
	}{
		{"function", "// rules\npackage p\n\n//autotrace:span example.com/dep.Work attrs=n\n",
			[]string{"example.com/dep Work attrs=n @x.go:4:1"}, ""},
		{"pointer method", "//autotrace:span database/sql.(*DB).QueryContext name=q attrs=query\npackage p\n",
			[]string{"database/sql (*DB).QueryContext name=q attrs=query @x.go:1:1"}, ""},
		{"value method, no slash", "package p\n\nfunc F() {\n\t//autotrace:span fmt.pp.doPrintf\n}\n",
			[]string{"fmt pp.doPrintf  @x.go:4:2"}, ""},
		{"in-file span is no rule", "package p\n\n//autotrace:span name=x\nfunc F() {}\n", nil, ""},
		{"rule set", "//autotrace:rules database-sql\npackage p\n", nil, ""},
		{"no function", "package p\n\n//autotrace:span example.com/dep\n", nil, `x.go:3:1: malformed directive //autotrace:span example.com/dep: "example.com/dep": want IMPORT/PATH.FUNC`},
		{"bad receiver", "package p\n\n//autotrace:span dep.(T).M\n", nil, `x.go:3:1: malformed directive //autotrace:span dep.(T).M: "dep.(T).M": want`},
		{"two functions", "package p\n\n//autotrace:span dep.F dep.G\n", nil, "x.go:3:1: malformed directive //autotrace:span dep.F dep.G: want //autotrace:span [PKG.FUNC]"},
		{"bad attrs", "package p\n\n\n//autotrace:span dep.F attrs=a..b\n", nil, `x.go:4:1: malformed directive //autotrace:span dep.F attrs=a..b: attrs item "a..b"`},
		{"unknown set", "package p\n\n//autotrace:rules http-serve\n", nil, `x.go:3:1: malformed directive //autotrace:rules http-serve: unknown rule set "http-serve" (sets: database-sql, http-client, http-server)`},
		{"empty rules", "package p\n\n//autotrace:rules\n", nil, "x.go:3:1: malformed directive //autotrace:rules: want //autotrace:rules SET…"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rules, err := rewrite.ParseRuleFile("x.go", []byte(tt.src))
			if tt.err != "" {
				if err == nil || !strings.HasPrefix(err.Error(), tt.err) {
					t.Fatalf("error %v, want prefix %q", err, tt.err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if tt.name == "rule set" {
				want, _ := rewrite.RuleSet("database-sql")
				if len(rules) != len(want) || len(want) == 0 {
					t.Fatalf("%d rules, want the set's %d", len(rules), len(want))
				}
				return
			}
			var got []string
			for _, r := range rules {
				got = append(got, r.Pkg+" "+r.Func+" "+strings.TrimPrefix(r.Key(), r.Pkg+"."+r.Func)+" @"+r.Pos.String())
			}
			for i := range got {
				got[i] = strings.Replace(got[i], "  name", " name", 1)
				got[i] = strings.Replace(got[i], "  attrs", " attrs", 1)
			}
			if strings.Join(got, "\n") != strings.Join(tt.want, "\n") {
				t.Fatalf("rules\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(tt.want, "\n"))
			}
		})
	}
}

// depSrc is a dependency's file that rules name.
const depSrc = `package dep

import "context"

type DB struct{ dsn string }

func (db *DB) Query(ctx context.Context, query string, args ...any) (int, error) {
	return len(query), nil
}

func Plain(n int) int { return n }

func helper() {}

type Writer interface{ Write(p []byte) (int, error) }

type buf struct{ n int }

func (b *buf) Write(p []byte) (int, error) { b.n += len(p); return len(p), nil }

func Serve(w Writer) { w.Write(nil) }

type Resp struct {
	Code int
	body []byte
}

func Fetch() (resp *Resp, err error) { return &Resp{Code: 200}, nil }
`

// ruleGen instruments depSrc, as the package example.com/dep, by the
// rules in the user's file rules.go holding src.
func ruleGen(t *testing.T, src string) (string, error) {
	t.Helper()
	rules, err := rewrite.ParseRuleFile("rules.go", []byte(src))
	if err != nil {
		return "", err
	}
	fset := token.NewFileSet()
	f, err := parser.ParseFile(fset, "dep.go", depSrc, parser.ParseComments)
	if err != nil {
		t.Fatal(err)
	}
	info := rewrite.NewTypesInfo()
	conf := types.Config{Importer: fakeContext{}}
	pkg, err := conf.Check("example.com/dep", fset, []*ast.File{f}, info)
	if err != nil {
		t.Fatal(err)
	}
	prep := rewrite.Prepare{Fset: fset, Sources: []rewrite.Source{{Filename: "dep.go", Src: []byte(depSrc), File: f}}}
	for _, r := range rules {
		if r.Pkg == "example.com/dep" {
			prep.Rules = append(prep.Rules, r)
		}
	}
	if errs := prep.RuleErrors("example.com/dep"); len(errs) > 0 {
		return "", errs
	}
	ins, err := prep.Typed(rewrite.Checked{Files: []*ast.File{f}, Pkg: pkg, Info: info})
	if err != nil {
		t.Fatal(err)
	}
	out, err := rewrite.Gen(ins[0])
	if err != nil {
		return "", err
	}
	return string(out.Src), nil
}

// TestRuleGen checks that a rule instruments the function it names as
// the same directive in its doc comment would, and that what is wrong
// with a rule is an error at the rule, in the user's file.
func TestRuleGen(t *testing.T) {
	tests := []struct {
		name, rules string
		want        []string // in the output, in order
		err         string
	}{
		{"method with ctx and attrs", "package p\n\n//autotrace:span example.com/dep.(*DB).Query name=db.query attrs=q=query,dsn=db.dsn,n=len(args)\n",
			[]string{`ctx, __span := autotrace.Start(ctx, "db.query")`, `defer __span.EndErr(&__err)`, `__span.SetString("q", query)`, `__span.SetString("dsn", db.dsn)`, `__span.SetInt("n", int64(len(args)))`}, ""},
		{"function, runtime name", "package p\n\n//autotrace:span example.com/dep.Plain\n",
			[]string{`__span := autotrace.StartHere("dep.Plain")`, `defer __span.End()`}, ""},
		{"end of a field", "package p\n\n//autotrace:span example.com/dep.(*DB).Query attrs=dsn=end(db.dsn)\n",
			[]string{"if db != nil {\n\t\tdefer autotrace.RecordString(__span, \"dsn\", &db.dsn)\n\t}"}, ""},
		{"end through a type assertion", "package p\n\n//autotrace:span example.com/dep.Serve attrs=n=end(w.(*buf).n)\n",
			[]string{"if __v, __ok := w.(*buf); __ok && __v != nil {\n\t\tdefer autotrace.RecordInt(__span, \"n\", &__v.n)\n\t}"}, ""},
		{"assertion that cannot hold", "package p\n\n//autotrace:span example.com/dep.Serve attrs=n=end(w.(*DB).dsn)\n", nil, "rules.go:3:46: attrs item end(w.(*DB).dsn): w (Writer) can never hold *DB"},
		{"assertion outside end", "package p\n\n//autotrace:span example.com/dep.Serve attrs=n=w.(*buf).n\n", nil, `rules.go:3:1: malformed directive //autotrace:span example.com/dep.Serve attrs=n=w.(*buf).n: attrs item "n=w.(*buf).n": want NAME`},
		{"end of a result's field", "package p\n\n//autotrace:span example.com/dep.Fetch attrs=code=end(resp.Code)\n",
			[]string{`defer __span.EndErr(&err)`, `defer autotrace.RecordField(__span, "code", &resp, "Code")`}, ""},
		{"result field not recordable", "package p\n\n//autotrace:span example.com/dep.Fetch attrs=b=end(resp.body)\n", nil, "rules.go:3:46: attrs item end(resp.body): resp.body has type []byte, which end(…) of a result cannot record"},
		{"unknown function", "package p\n\n//autotrace:span example.com/dep.Nope\n", nil, "rules.go:3:1: package example.com/dep has no function or method Nope"},
		{"value receiver spelled wrong", "package p\n\n//autotrace:span example.com/dep.DB.Query\n", nil, "rules.go:3:1: package example.com/dep has no function or method DB.Query"},
		{"unknown attr", "package p\n\n\n//autotrace:span example.com/dep.(*DB).Query attrs=query,nope\n", nil, "rules.go:4:58: attrs item nope: dep.(*DB).Query has no parameter, receiver or named result nope"},
		{"unknown field", "package p\n\n//autotrace:span example.com/dep.(*DB).Query attrs=db.name\n", nil, "rules.go:3:52: attrs item db.name: db (*DB) has no field name"},
		{"renamed at its end", "package p\n\n//autotrace:span example.com/dep.(*DB).Query name=db attrs=q=query,dsn=end(db.dsn) rename=q,dsn|q\n",
			[]string{`defer __span.EndErr(&__err)`, `defer autotrace.Rename(__span, "q", "dsn|q")`, `__span.SetString("q", query)`, `defer autotrace.RecordString(__span, "dsn", &db.dsn)`}, ""},
		{"rename of no attribute", "package p\n\n//autotrace:span example.com/dep.(*DB).Query attrs=q=query rename=q,nope\n", nil, "rules.go:3:1: malformed directive //autotrace:span example.com/dep.(*DB).Query attrs=q=query rename=q,nope: rename=: nope is not a key of this directive's attrs="},
		{"propagate without request", "package p\n\n//autotrace:span example.com/dep.Plain propagate=n\n", nil, "rules.go:3:1: propagate=n: n is not the *http.Request parameter"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			out, err := ruleGen(t, tt.rules)
			if tt.err != "" {
				if err == nil || !strings.HasPrefix(err.Error(), tt.err) {
					t.Fatalf("error %v, want prefix %q", err, tt.err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			rest := out
			for _, w := range tt.want {
				i := strings.Index(rest, w)
				if i < 0 {
					t.Fatalf("output lacks %q (in order):\n%s", w, out)
				}
				rest = rest[i+len(w):]
			}
			if strings.Contains(out, `"dep.helper"`) {
				t.Fatalf("helper instrumented:\n%s", out)
			}
		})
	}
}

// TestInFileRuleOnly checks that what only rules may say is refused in a
// function's own doc comment.
func TestInFileRuleOnly(t *testing.T) {
	for _, arg := range []string{"propagate=r", "attrs=r rename=r"} {
		src := "package p\n\n//autotrace:span " + arg + "\nfunc F(r int) {}\n"
		_, err := rewrite.Gen(rewrite.Input{Filename: "x.go", Src: []byte(src)})
		if err == nil || !strings.HasPrefix(err.Error(), "x.go:3:1: propagate=, rename= and end(…) belong in rules only") {
			t.Errorf("%s: error %v", arg, err)
		}
	}
}

// TestShippedRuleSets checks that each shipped set parses, has a
// summary for help rules, and names functions only by full import path.
func TestShippedRuleSets(t *testing.T) {
	names := rewrite.RuleSetNames()
	if strings.Join(names, " ") != "database-sql http-client http-server" {
		t.Fatalf("sets %v", names)
	}
	for _, n := range names {
		rules, err := rewrite.RuleSet(n)
		_, summary, _ := rewrite.RuleSetText(n)
		if err != nil || len(rules) == 0 || summary == "" {
			t.Fatalf("%s: %d rules, summary %q, %v", n, len(rules), summary, err)
		}
		for _, r := range rules {
			if !strings.HasPrefix(r.Pos.Filename, "autotrace/rules/") {
				t.Errorf("%s: position %s", n, r.Pos)
			}
		}
	}
}

// fakeContext imports a context package with the Context interface only.
type fakeContext struct{}

func (fakeContext) Import(path string) (*types.Package, error) {
	fset := token.NewFileSet()
	f, err := parser.ParseFile(fset, "context.go", "package context\n\ntype Context interface{ Done() <-chan struct{} }\n", 0)
	if err != nil {
		return nil, err
	}
	return (&types.Config{}).Check("context", fset, []*ast.File{f}, nil)
}
