package rewrite_test

import (
	"bytes"
	"fmt"
	"go/ast"
	"go/importer"
	"go/parser"
	"go/token"
	"go/types"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/autotrace/autotrace/rewrite"
)

// stdImports is SyntaxPackage's imports for tests: the standard library
// by path, as the driver knows it (its aliases from export data), nothing
// else.
func stdImports(path string) (rewrite.Import, bool) {
	if strings.Contains(strings.Split(path, "/")[0], ".") || path == "C" {
		return rewrite.Import{}, false
	}
	pkg, err := importer.Default().Import(path)
	if err != nil {
		return rewrite.Import{}, false
	}
	return rewrite.Import{Name: pkg.Name(), Std: true, Alias: func(name string) bool {
		// Like the driver's, it says nothing of what is not an alias.
		tn, ok := pkg.Scope().Lookup(name).(*types.TypeName)
		return ok && tn.IsAlias()
	}}, true
}

// syntaxMatchesTypes parses and type-checks srcs as one package, and when
// SyntaxPackage says syntax suffices, checks that its facts and ScopeNames
// are PackageFacts and the package scope's names, and that Gen gives every
// file the same bytes with its inputs as with the typed ones (GoCalls
// too), with and without -all. It returns SyntaxPackage's reason.
func syntaxMatchesTypes(t *testing.T, imp types.Importer, srcs map[string][]byte) string {
	t.Helper()
	fset := token.NewFileSet()
	var names []string
	for name := range srcs {
		names = append(names, name)
	}
	slices.Sort(names)
	var files []*ast.File
	for _, name := range names {
		f, err := parser.ParseFile(fset, name, srcs[name], parser.ParseComments|parser.SkipObjectResolution)
		if err != nil {
			t.Fatal(err)
		}
		files = append(files, f)
	}
	info := rewrite.NewTypesInfo()
	const path = "example.com/p"
	pkg, err := (&types.Config{Importer: imp}).Check(path, fset, files, info)
	if err != nil {
		t.Fatalf("does not type-check: %v", err)
	}
	typedFacts := rewrite.PackageFacts(files, info)
	// The keeping of contexts and requests, from the same facts before
	// keeping, resolved as syntax resolves calls.
	if keeping, why := rewrite.SyntaxKeeping(fset, path, files, info, stdImports); why != "" {
		t.Errorf("keeping from syntax cannot tell: %s", why)
	} else if !reflect.DeepEqual(keeping, typedFacts) {
		t.Errorf("keeping from syntax %v, from types %v", keeping, typedFacts)
	}
	syn, why := rewrite.SyntaxPackage(fset, path, files, stdImports)
	if why != "" {
		return why
	}
	if !reflect.DeepEqual(syn.Facts, typedFacts) {
		t.Errorf("facts from syntax %v, from types %v", syn.Facts, typedFacts)
	}
	scope := map[string]bool{}
	for _, n := range pkg.Scope().Names() {
		scope[n] = true
	}
	if got := rewrite.ScopeNames(files); !reflect.DeepEqual(got, scope) {
		t.Errorf("ScopeNames = %v, package scope %v", got, scope)
	}
	for _, all := range []bool{false, true} {
		var counters rewrite.Counters
		for i, f := range files {
			name := names[i]
			typed := rewrite.Input{Filename: name, Src: srcs[name], Facts: typedFacts[i], GoCalls: rewrite.GoCalls(f, info, pkg), PackageNames: scope, Counters: counters, All: all}
			fast := rewrite.Input{Filename: name, Src: srcs[name], Facts: syn.Facts[i], GoCalls: syn.GoCalls[i], PackageNames: rewrite.ScopeNames(files), Counters: counters, All: all}
			counters = counters.Count(f)
			want, werr := rewrite.Gen(typed)
			got, gerr := rewrite.Gen(fast)
			switch {
			case (werr == nil) != (gerr == nil):
				t.Errorf("%s (all=%v): gen with types: %v; from syntax: %v", name, all, werr, gerr)
			case werr == nil && !bytes.Equal(got.Src, want.Src):
				t.Errorf("%s (all=%v): gen from syntax differs from gen with types:\n%s\nwant:\n%s", name, all, got.Src, want.Src)
			}
		}
	}
	return ""
}

// Over the golden inputs and outputs (each a package of its own), and the
// package of every form of call in keepCallForms: where SyntaxPackage says
// syntax suffices (it must for the calls), its facts are PackageFacts' and
// gen's output is the typed one.
func TestSyntaxPackageGolden(t *testing.T) {
	imp := newImporter(t)
	fast := 0
	for _, dir := range []string{"in", "out"} {
		paths, err := filepath.Glob(filepath.Join("../testdata/golden", dir, "*.go"))
		if err != nil || len(paths) == 0 {
			t.Fatalf("no golden files: %v", err)
		}
		for _, p := range paths {
			src, err := os.ReadFile(p)
			if err != nil {
				t.Fatal(err)
			}
			t.Run(dir+"/"+filepath.Base(p), func(t *testing.T) {
				if why := syntaxMatchesTypes(t, imp, map[string][]byte{filepath.Base(p): src}); why != "" {
					t.Logf("types needed: %s", why)
				} else {
					fast++
				}
			})
		}
	}
	if fast < 5 {
		t.Errorf("only %d golden files need no types; the test proves little", fast)
	}
	// Every form of call a function may pass its context on by: syntax
	// must suffice, and agree.
	for _, c := range keepCallForms {
		t.Run("call/"+c.name, func(t *testing.T) {
			if why := syntaxMatchesTypes(t, imp, keepFormFiles(c.call)); why != "" {
				t.Errorf("needs types (%s), want syntax to suffice", why)
			}
		})
	}
}

// Each case needs types for the reason given, or (want "") is one where
// syntax suffices and gives gen the typed output.
func TestSyntaxPackageCases(t *testing.T) {
	imp := newImporter(t)
	for _, c := range []struct {
		name string
		srcs []string // files of package p
		want string   // in the reason; "" when syntax suffices
	}{
		{"plain", []string{`package p
import ("context"; "net/http"; "io")
func A(ctx context.Context, r *http.Request, w io.Writer) error { return nil }
func B(x int) (int, error) {
	go func() {}()
	return x, nil
}
`}, ""},
		{"alias in package", []string{`package p
import "context"
type Ctx = context.Context
func A(ctx Ctx) {}
`}, "Ctx may be an alias"},
		{"alias elsewhere", []string{`package p
func A() { type E = error; _ = func() E { return nil } }
`}, "E may be an alias"},
		{"dot import of context", []string{`package p
import . "context"
func A(ctx Context) {}
`}, "dot import of context"},
		{"dot import of an unknown package", []string{`package p
import . "example.com/xcontext"
func A(ctx Context) {}
`}, "dot import of example.com/xcontext"},
		{"dot import", []string{`package p
import (
	"context"
	. "strings"
)
type keeper struct{ ctx context.Context }
func (k *keeper) keep(ctx context.Context) { k.ctx = ctx }
func A(ctx context.Context, b *Builder) error {
	ToUpper("x")
	new(keeper).keep(ctx)
	return ctx.Err()
}
`}, ""},
		{"parenthesised", []string{`package p
import "context"
func A(ctx (context.Context)) {}
`}, "parenthesised"},
		{"error shadowed", []string{`package p
type error struct{}
func A() error { return error{} }
`}, "declares error"},
		{"error type parameter", []string{`package p
func A[error any]() error { var e error; return e }
`}, "declares error"},
		{"unknown package", []string{`package p
import "example.com/xcontext"
func A(ctx xcontext.Context) {}
`}, "package xcontext unknown"},
		{"cgo", []string{`package p
import "C"
`}, "imports C"},
		{"attrs", []string{`package p
//autotrace:span attrs=n
func A(n int) {}
`}, "attrs= records values by their types"},
		{"instrumented", []string{`package p
import autotrace "github.com/autotrace/autotrace/runtime"
func A() { __span := autotrace.StartHere("p.A"); defer __span.End() }
`}, "imports github.com/autotrace/autotrace/runtime"},
		{"go of another package's function", []string{`package p
import "io"
func A(w io.Writer, r io.Reader) { go io.Copy(w, r) }
`}, "go statement with types the package alone does not tell"},
		{"go with types by name", []string{`package p
import ("io"; "time")
func work(w io.Writer, d time.Duration, f func(args ...any), c chan<- struct{}) {}
func A(w io.Writer) {
	go work(w, time.Second, nil, nil)
}
`}, ""},
		{"go with an alias of another package", []string{`package p
import "os"
func work(m os.FileMode) {}
func A() {
	go work(0)
}
`}, "go statement with types the package alone does not tell"},
		{"keeper by method, asserted receiver", []string{`package p
import ("context"; "sync")
type Entry struct{ ctx context.Context }
func (e *Entry) WithContext(ctx context.Context) *Entry { return &Entry{ctx: ctx} }
var pool sync.Pool
func WithContext(ctx context.Context) *Entry {
	e := pool.Get().(*Entry)
	return e.WithContext(ctx)
}
`}, ""},
		{"go with local types", []string{`package p
type job struct{}
func work(j *job, n int) {}
func (j *job) run() {}
func A(j *job) {
	go work(j, 1)
	go j.run()
}
`}, ""},
		{"keeper by name", []string{`package p
import "net/http"
var kept *http.Request
func keep(r *http.Request) { kept = r }
func Serve(w http.ResponseWriter, r *http.Request) { keep(r) }
`}, ""},
		{"keeper by method, local receiver", []string{`package p
import ("context"; "net/http")
type Entry struct{ ctx context.Context; req *http.Request }
func (e *Entry) WithContext(ctx context.Context) *Entry { return &Entry{ctx: ctx} }
func (e *Entry) Reset(r *http.Request) { e.req = r }
`, `package p
import ("context"; "net/http")
var std = &Entry{}
func WithContext(ctx context.Context) *Entry { return std.WithContext(ctx) }
func Outer(ctx context.Context) *Entry { return WithContext((ctx)) }
func ServeHTTP(w http.ResponseWriter, r *http.Request) { std.Reset(r) }
func Plain(ctx context.Context) { _ = ctx.Err() }
`}, ""},
		{"keeper by method, unknown receiver", []string{`package p
import ("context"; "sync")
type Entry struct{ ctx context.Context }
func (e *Entry) WithContext(ctx context.Context) *Entry { return &Entry{ctx: ctx} }
var pool sync.Pool
func WithContext(ctx context.Context) *Entry { return pool.Get().(*Entry).WithContext(ctx) }
`}, "passes ctx to WithContext, which may keep it"},
		{"keeper shadowed", []string{`package p
import "context"
var kept context.Context
func keep(ctx context.Context) { kept = ctx }
func A(ctx context.Context) { keep := func(context.Context) {}; keep(ctx) }
`}, ""},
	} {
		t.Run(c.name, func(t *testing.T) {
			srcs := map[string][]byte{}
			for i, s := range c.srcs {
				srcs[fmt.Sprintf("f%d.go", i)] = []byte(s)
			}
			if c.want != "" {
				// SyntaxPackage alone: some of these do not type-check here.
				fset := token.NewFileSet()
				var files []*ast.File
				for i := range c.srcs {
					f, err := parser.ParseFile(fset, fmt.Sprintf("f%d.go", i), srcs[fmt.Sprintf("f%d.go", i)], parser.ParseComments)
					if err != nil {
						t.Fatal(err)
					}
					files = append(files, f)
				}
				if _, why := rewrite.SyntaxPackage(fset, "example.com/p", files, stdImports); !strings.Contains(why, c.want) {
					t.Errorf("reason %q, want %q", why, c.want)
				}
				return
			}
			if why := syntaxMatchesTypes(t, imp, srcs); why != "" {
				t.Errorf("needs types (%s), want syntax to suffice", why)
			}
		})
	}
}
