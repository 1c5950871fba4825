package rewrite_test

import (
	"bytes"
	"go/ast"
	"go/importer"
	"go/parser"
	"go/token"
	"go/types"
	"path/filepath"
	"reflect"
	"strconv"
	"strings"
	"testing"

	"github.com/autotrace/autotrace/rewrite"
)

// prepareSrcs is a package of three files: b's Outer keeps its context
// because a's Keep does (keeping crosses files), a numbers an init
// function and a package-level literal that b's come after, and c stands
// for a file cgo translated: a Source the type checker never saw.
var prepareSrcs = []string{`package p

import "context"

type holder struct{ ctx context.Context }

var h holder

var hook = func() {}

func init() {}

// Keep stores its context.
func Keep(ctx context.Context) { h.ctx = ctx }
`, `package p

import "context"

func init() {}

func Outer(ctx context.Context) { Keep(ctx) }

func work(n int) {}

func Spawn(ctx context.Context) error {
	go work(1)
	return ctx.Err()
}
`, `package p

import "context"

func Translated(ctx context.Context) {}
`}

// preparedPackage parses prepareSrcs and type-checks its first two files.
func preparedPackage(t *testing.T) (rewrite.Prepare, rewrite.Checked) {
	t.Helper()
	prep := rewrite.Prepare{Fset: token.NewFileSet(), All: true}
	for i, src := range prepareSrcs {
		name := string(rune('a'+i)) + ".go"
		f, err := parser.ParseFile(prep.Fset, name, src, parser.ParseComments|parser.SkipObjectResolution)
		if err != nil {
			t.Fatal(err)
		}
		prep.Sources = append(prep.Sources, rewrite.Source{Filename: name, Src: []byte(src), File: f})
	}
	c := rewrite.Checked{Files: []*ast.File{prep.Sources[0].File, prep.Sources[1].File}, Info: rewrite.NewTypesInfo()}
	var err error
	if c.Pkg, err = (&types.Config{Importer: importer.Default()}).Check("p", prep.Fset, c.Files, c.Info); err != nil {
		t.Fatal(err)
	}
	return prep, c
}

// Prepare.Typed gives each Source what the loaders assembled by hand
// before it (PackageFacts, GoCalls, Signatures, the package scope, the
// numbering of earlier files), and Gen the same bytes with it.
func TestPrepareTyped(t *testing.T) {
	prep, c := preparedPackage(t)
	ins, err := prep.Typed(c)
	if err != nil {
		t.Fatal(err)
	}
	if len(ins) != len(prep.Sources) {
		t.Fatalf("%d inputs for %d sources", len(ins), len(prep.Sources))
	}
	facts := rewrite.PackageFacts(c.Files, c.Info)
	names := map[string]bool{}
	for _, n := range c.Pkg.Scope().Names() {
		names[n] = true
	}
	// By construction: a has one init and one package-level literal.
	counters := []rewrite.Counters{{}, {Inits: 1, PackageLits: 1}, {Inits: 2, PackageLits: 1}}
	for i, s := range prep.Sources {
		hand := rewrite.Input{Filename: s.Filename, Src: s.Src, PackageNames: names, Counters: counters[i], All: true}
		if i < len(c.Files) {
			hand.Facts = facts[i]
			hand.GoCalls = rewrite.GoCalls(s.File, c.Info, c.Pkg)
			hand.Signatures = rewrite.Signatures(s.File, c.Info)
		}
		if !reflect.DeepEqual(ins[i], hand) {
			t.Errorf("%s: Typed gives\n%+v\nby hand\n%+v", s.Filename, ins[i], hand)
		}
		got, gerr := rewrite.Gen(ins[i])
		want, werr := rewrite.Gen(hand)
		if gerr != nil || werr != nil || !bytes.Equal(got.Src, want.Src) {
			t.Errorf("%s: gen %v %v, outputs differ:\n%s\nwant:\n%s", s.Filename, gerr, werr, got.Src, want.Src)
		}
	}
	// What the test is about must be there: keeping across files, a go
	// statement spelled, the numbering in span names.
	if f := ins[1].Facts[1]; f.KeptCtx != 0 || f.Ctx != -1 {
		t.Errorf("Outer: %+v, want its context kept (Keep in another file stores it)", f)
	}
	if g := ins[1].GoCalls; len(g) != 1 || g[0].Fun != "func(int)" {
		t.Errorf("Spawn's go statement: %+v", g)
	}
	out, err := rewrite.Gen(ins[1])
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Contains(out.Src, []byte(`"p.init.1"`)) {
		t.Errorf("b's init is not numbered after a's:\n%s", out.Src)
	}
}

// Typed refuses a types.Info without a map it reads, naming it: a
// loader cannot omit one.
func TestPrepareTypedMissingMap(t *testing.T) {
	prep, c := preparedPackage(t)
	c.Info.Selections = nil
	if _, err := prep.Typed(c); err == nil || !strings.Contains(err.Error(), "Selections") {
		t.Errorf("Typed without Selections: %v, want an error naming it", err)
	}
}

// Prepare.Syntax gives the facts and go statements types give, runs its
// per-file work through ForEach, and numbers files as Typed does.
func TestPrepareSyntax(t *testing.T) {
	prep, c := preparedPackage(t)
	prep.Sources = prep.Sources[:2]
	typed, err := prep.Typed(c)
	if err != nil {
		t.Fatal(err)
	}
	calls := 0
	prep.ForEach = func(n int, do func(int)) {
		calls++
		for i := n - 1; i >= 0; i-- { // any order will do
			do(i)
		}
	}
	syn, why := prep.Syntax("p", stdImports)
	if why != "" {
		t.Fatalf("Syntax: types needed: %s", why)
	}
	if calls == 0 {
		t.Error("Syntax did not run its per-file work through ForEach")
	}
	for i := range syn {
		if !reflect.DeepEqual(syn[i].Facts, typed[i].Facts) || !reflect.DeepEqual(syn[i].GoCalls, typed[i].GoCalls) || syn[i].Counters != typed[i].Counters || !reflect.DeepEqual(syn[i].PackageNames, typed[i].PackageNames) {
			t.Errorf("%s: from syntax %+v, from types %+v", syn[i].Filename, syn[i], typed[i])
		}
		if syn[i].File != prep.Sources[i].File || syn[i].Fset != prep.Fset {
			t.Errorf("%s: Syntax does not hand Gen the parsed file", syn[i].Filename)
		}
	}
}

// The rewriter is a library that starts no goroutine: concurrency belongs
// to the drivers (Prepare.ForEach).
func TestRewriteStartsNoGoroutine(t *testing.T) {
	paths, err := filepath.Glob("*.go")
	if err != nil || len(paths) == 0 {
		t.Fatalf("no files: %v", err)
	}
	fset := token.NewFileSet()
	for _, p := range paths {
		if strings.HasSuffix(p, "_test.go") {
			continue
		}
		f, err := parser.ParseFile(fset, p, nil, 0)
		if err != nil {
			t.Fatal(err)
		}
		for _, imp := range f.Imports {
			if path, _ := strconv.Unquote(imp.Path.Value); path == "sync" || strings.HasSuffix(path, "/internal/parallel") {
				t.Errorf("%s imports %s", fset.Position(imp.Pos()), path)
			}
		}
		ast.Inspect(f, func(n ast.Node) bool {
			if g, ok := n.(*ast.GoStmt); ok {
				t.Errorf("%s: go statement", fset.Position(g.Pos()))
			}
			return true
		})
	}
}
