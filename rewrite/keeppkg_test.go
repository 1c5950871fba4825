package rewrite_test

import (
	"go/ast"
	"go/importer"
	"go/parser"
	"go/token"
	"go/types"
	"testing"

	"github.com/autotrace/autotrace/rewrite"
)

// The callers of a function that keeps its context or request keep it
// too when they pass it on as it is, across the files of a package
// (logrus's WithContext, echo's ServeHTTP).
func TestPackageFactsPropagateKeeping(t *testing.T) {
	srcs := []string{`package p
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
func Derived(ctx context.Context) *Entry { return std.WithContext(context.WithoutCancel(ctx)) }
func Plain(ctx context.Context) { _ = ctx.Err() }
func Lit() { _ = func(ctx context.Context) *Entry { return WithContext(ctx) } }
`}
	fset := token.NewFileSet()
	var files []*ast.File
	for i, src := range srcs {
		f, err := parser.ParseFile(fset, "f"+string(rune('0'+i))+".go", src, 0)
		if err != nil {
			t.Fatal(err)
		}
		files = append(files, f)
	}
	info := rewrite.NewTypesInfo()
	if _, err := (&types.Config{Importer: importer.Default()}).Check("p", fset, files, info); err != nil {
		t.Fatal(err)
	}
	got := map[string]rewrite.Facts{}
	for i, facts := range rewrite.PackageFacts(files, info) {
		names := []string{}
		ast.Inspect(files[i], func(n ast.Node) bool {
			switch x := n.(type) {
			case *ast.FuncDecl:
				names = append(names, x.Name.Name)
			case *ast.FuncLit:
				names = append(names, "lit")
			}
			return true
		})
		for j, f := range facts {
			got[names[j]] = f
		}
	}
	for name, wantCtx := range map[string]int{"WithContext": -1, "Outer": -1, "lit": -1, "Derived": 0, "Plain": 0} {
		if got[name].Ctx != wantCtx {
			t.Errorf("%s: Ctx = %d, want %d", name, got[name].Ctx, wantCtx)
		}
	}
	if got["ServeHTTP"].Request != -1 || got["Reset"].Request != -1 {
		t.Errorf("ServeHTTP, Reset: Request = %d, %d, want -1, -1", got["ServeHTTP"].Request, got["Reset"].Request)
	}
}

// keepForms is a package whose functions keep their context, each reached
// by another form of call; each case is a function A(ctx) calling one.
const keepForms = `package p
import "context"
type Entry struct{ ctx context.Context }
func (e *Entry) Keep(ctx context.Context) { e.ctx = ctx }
func (e Entry) KeepV(ctx context.Context) Entry { e.ctx = ctx; return e }
func (e *Entry) KeepSecond(x any, ctx context.Context) { e.ctx = ctx }
func (e *Entry) Use(ctx context.Context) error { return ctx.Err() }
type List[T any] struct{ ctx context.Context }
func (l *List[T]) Push(ctx context.Context) { l.ctx = ctx }
var kept context.Context
func keep0(ctx context.Context) { kept = ctx }
func keep1[T any](ctx context.Context) { kept = ctx }
func keep2[T, U any](ctx context.Context) { kept = ctx }
func use(ctx context.Context) error { return ctx.Err() }
var std = &Entry{}
var list = &List[int]{}
`

// keepCallForms are the forms a call names its callee by: A keeps ctx
// (kept) when it passes ctx, as it is, where its callee keeps it.
var keepCallForms = []struct {
	name string
	call string // A's body
	kept bool
}{
	{"ident", "keep0(ctx)", true},
	{"parenthesised", "(keep0)(ctx)", true},
	{"one type argument", "keep1[int](ctx)", true},
	{"type arguments", "keep2[int, int](ctx)", true},
	{"parenthesised type arguments", "(keep2[int, string])(ctx)", true},
	{"method value", "std.Keep(ctx)", true},
	{"parenthesised method value", "(std.Keep)(ctx)", true},
	{"method expression", "(*Entry).Keep(std, ctx)", true},
	{"value method expression", "_ = Entry.KeepV(Entry{}, ctx)", true},
	{"method expression, shifted", "(*Entry).KeepSecond(std, ctx, ctx)", true},
	{"method expression, as the receiver's argument", "(*Entry).KeepSecond(std, ctx, nil)", false},
	{"generic method", "list.Push(ctx)", true},
	{"generic method expression", "(*List[int]).Push(list, ctx)", true},
	{"not a keeper", "_ = use(ctx)", false},
	{"not a keeping method", "_ = std.Use(ctx)", false},
	{"not a keeping method expression", "_ = (*Entry).Use(std, ctx)", false},
}

// keepFormFiles is keepForms and the file of one case of keepCallForms.
func keepFormFiles(call string) map[string][]byte {
	return map[string][]byte{
		"forms.go": []byte(keepForms),
		"a.go":     []byte("package p\nimport \"context\"\nfunc A(ctx context.Context) { " + call + " }\n"),
	}
}

// Every form of call resolves its callee, in the typed path and from
// syntax alike: A keeps ctx exactly when its callee keeps the parameter
// ctx is passed as.
func TestKeepCallForms(t *testing.T) {
	for _, c := range keepCallForms {
		t.Run(c.name, func(t *testing.T) {
			fset := token.NewFileSet()
			srcs := keepFormFiles(c.call)
			var files []*ast.File
			for _, name := range []string{"a.go", "forms.go"} {
				f, err := parser.ParseFile(fset, name, srcs[name], parser.ParseComments)
				if err != nil {
					t.Fatal(err)
				}
				files = append(files, f)
			}
			want := rewrite.Facts{Ctx: 0, Request: -1, KeptCtx: -1, KeptRequest: -1}
			if c.kept {
				want.Ctx, want.KeptCtx = -1, 0
			}
			info := rewrite.NewTypesInfo()
			if _, err := (&types.Config{Importer: importer.Default()}).Check("example.com/p", fset, files, info); err != nil {
				t.Fatal(err)
			}
			if got := rewrite.PackageFacts(files, info)[0][0]; got != want {
				t.Errorf("typed: A's facts %+v, want %+v", got, want)
			}
			syn, why := rewrite.SyntaxPackage(fset, "example.com/p", files, stdImports)
			if why != "" {
				t.Fatalf("syntax: needs types: %s", why)
			}
			if got := syn.Facts[0][0]; got != want {
				t.Errorf("syntax: A's facts %+v, want %+v", got, want)
			}
		})
	}
}

// NewTypesInfo has every map TypesInfoMissing asks for, and each one left
// out is named.
func TestTypesInfoMissing(t *testing.T) {
	if got := rewrite.TypesInfoMissing(rewrite.NewTypesInfo()); len(got) != 0 {
		t.Errorf("NewTypesInfo lacks %v", got)
	}
	for _, c := range []struct {
		name string
		drop func(*types.Info)
	}{
		{"Types", func(i *types.Info) { i.Types = nil }},
		{"Defs", func(i *types.Info) { i.Defs = nil }},
		{"Uses", func(i *types.Info) { i.Uses = nil }},
		{"Implicits", func(i *types.Info) { i.Implicits = nil }},
		{"Instances", func(i *types.Info) { i.Instances = nil }},
		{"Selections", func(i *types.Info) { i.Selections = nil }},
	} {
		info := rewrite.NewTypesInfo()
		c.drop(info)
		if got := rewrite.TypesInfoMissing(info); len(got) != 1 || got[0] != c.name {
			t.Errorf("without %s: missing %v", c.name, got)
		}
	}
}
