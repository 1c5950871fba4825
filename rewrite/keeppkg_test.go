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
	info := &types.Info{
		Defs:       map[*ast.Ident]types.Object{},
		Uses:       map[*ast.Ident]types.Object{},
		Types:      map[ast.Expr]types.TypeAndValue{},
		Selections: map[*ast.SelectorExpr]*types.Selection{},
	}
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
