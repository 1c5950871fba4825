package rewrite_test

import (
	"bytes"
	"flag"
	"go/ast"
	"go/format"
	"go/importer"
	"go/parser"
	"go/token"
	"go/types"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/autotrace/autotrace/rewrite"
)

var update = flag.Bool("update", false, "rewrite the golden files under testdata/golden/out")

// runtimeStub declares the runtime API generated code calls, so golden
// outputs can be type-checked without building the runtime.
const runtimeStub = `package autotrace
import ("context"; "fmt"; "net/http"; "time")
type Span struct{}
func Start(ctx context.Context, name string) (context.Context, *Span) { return ctx, nil }
func StartRequest(r *http.Request, name string) (*http.Request, *Span) { return r, nil }
func StartHere(name string) *Span { return nil }
type Adoption struct{}
func Adopt(*Span) Adoption { return Adoption{} }
func (Adoption) Release() {}
func (*Span) End() {}
func (*Span) EndErr(*error) {}
func (*Span) EndMain() {}
func (*Span) Recording() bool { return false }
func (*Span) SetInt(string, int64) {}
func (*Span) SetUint(string, uint64) {}
func (*Span) SetFloat(string, float64) {}
func (*Span) SetBool(string, bool) {}
func (*Span) SetString(string, string) {}
func (*Span) SetDuration(string, time.Duration) {}
func (*Span) SetTime(string, time.Time) {}
func (*Span) SetErrorText(string, error) {}
func (*Span) SetStringer(string, fmt.Stringer) {}
func RecordInt[T ~int | ~int8 | ~int16 | ~int32 | ~int64](*Span, string, *T) {}
func RecordUint[T ~uint | ~uint8 | ~uint16 | ~uint32 | ~uint64 | ~uintptr](*Span, string, *T) {}
func RecordFloat[T ~float32 | ~float64](*Span, string, *T) {}
func RecordBool[T ~bool](*Span, string, *T) {}
func RecordString[T ~string](*Span, string, *T) {}
func RecordTime(*Span, string, *time.Time) {}
func RecordError[E error](*Span, string, *E) {}
func RecordErrorPtr[T any, P interface{ *T; error }](*Span, string, *P) {}
func RecordStringer[T fmt.Stringer](*Span, string, *T) {}
func RecordLen[S ~[]E, E any](*Span, string, *S) {}
func RecordLenString[T ~string](*Span, string, *T) {}
func RecordLenMap[M ~map[K]V, K comparable, V any](*Span, string, *M) {}
func EndMain() {}
func ShutdownThen[F func(int) | func(...any) | func(string, ...any)](exit F) F { return exit }
func GenEndMain() {}
func GenShutdownThen[F func(int) | func(...any) | func(string, ...any)](exit F) F { return exit }
`

// stubImporter serves the runtime stub and the standard library.
type stubImporter struct {
	std types.Importer
	rt  *types.Package
}

func (s *stubImporter) Import(path string) (*types.Package, error) {
	if path == rewrite.RuntimePath {
		return s.rt, nil
	}
	return s.std.Import(path)
}

func newImporter(t testing.TB) *stubImporter {
	t.Helper()
	std := importer.Default()
	fset := token.NewFileSet()
	f, err := parser.ParseFile(fset, "stub.go", runtimeStub, 0)
	if err != nil {
		t.Fatal(err)
	}
	rt, err := (&types.Config{Importer: std}).Check(rewrite.RuntimePath, fset, []*ast.File{f}, nil)
	if err != nil {
		t.Fatal(err)
	}
	return &stubImporter{std: std, rt: rt}
}

// typeCheck parses and type-checks one file as a package of its own.
func typeCheck(t *testing.T, imp types.Importer, name string, src []byte) (*ast.File, *types.Info, *types.Package) {
	t.Helper()
	f, info, pkg, err := tryTypeCheck(imp, name, src)
	if err != nil {
		t.Fatalf("%s does not type-check: %v", name, err)
	}
	return f, info, pkg
}

// tryTypeCheck parses and type-checks one file as a package of its own.
func tryTypeCheck(imp types.Importer, name string, src []byte) (*ast.File, *types.Info, *types.Package, error) {
	fset := token.NewFileSet()
	f, err := parser.ParseFile(fset, name, src, parser.ParseComments)
	if err != nil {
		return nil, nil, nil, err
	}
	info := rewrite.NewTypesInfo()
	pkg, err := (&types.Config{Importer: imp}).Check("example.com/"+f.Name.Name, fset, []*ast.File{f}, info)
	return f, info, pkg, err
}

func input(t *testing.T, imp types.Importer, name string, src []byte) rewrite.Input {
	f, info, pkg := typeCheck(t, imp, name, src)
	names := map[string]bool{}
	for _, n := range pkg.Scope().Names() {
		names[n] = true
	}
	return rewrite.Input{Filename: name, Src: src, Facts: rewrite.TypeFacts(f, info), Signatures: rewrite.Signatures(f, info), GoCalls: rewrite.GoCalls(f, info, pkg), PackageNames: names}
}

// TestGolden instruments every file under testdata/golden/in, compares the
// result with testdata/golden/out, and checks the properties every output
// must have: it parses and type-checks, it is gofmt-clean when the input
// was, gen is idempotent and strip gives the input back byte for byte.
func TestGolden(t *testing.T) {
	imp := newImporter(t)
	ins, err := filepath.Glob("../testdata/golden/in/*.go")
	if err != nil || len(ins) == 0 {
		t.Fatalf("no golden inputs: %v", err)
	}
	for _, in := range ins {
		name := filepath.Base(in)
		t.Run(strings.TrimSuffix(name, ".go"), func(t *testing.T) {
			src, err := os.ReadFile(in)
			if err != nil {
				t.Fatal(err)
			}
			out, err := rewrite.Gen(input(t, imp, name, src))
			if err != nil {
				t.Fatalf("gen: %v", err)
			}
			golden := filepath.Join("../testdata/golden/out", name)
			if *update {
				if err := os.WriteFile(golden, out.Src, 0o644); err != nil {
					t.Fatal(err)
				}
			}
			want, err := os.ReadFile(golden)
			if err != nil {
				t.Fatalf("%v (run go test ./rewrite -run TestGolden -update)", err)
			}
			if !bytes.Equal(out.Src, want) {
				t.Errorf("gen output differs from %s:\n%s", golden, out.Src)
			}
			typeCheck(t, imp, name, out.Src)
			if formatted, err := format.Source(src); err == nil && bytes.Equal(formatted, src) {
				if formatted, err := format.Source(out.Src); err != nil || !bytes.Equal(formatted, out.Src) {
					t.Errorf("output of a gofmt-clean input is not gofmt-clean (err %v)", err)
				}
			}
			again, err := rewrite.Gen(input(t, imp, name, out.Src))
			if err != nil {
				t.Fatalf("gen of gen output: %v", err)
			}
			if !bytes.Equal(again.Src, out.Src) {
				t.Errorf("gen is not idempotent:\n%s", again.Src)
			}
			back, err := stripSrc(name, out.Src)
			if err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(back, src) {
				t.Errorf("strip(gen(x)) != x:\n%s", back)
			}
			if len(out.Spans) == 0 && bytes.Equal(out.Src, src) {
				t.Errorf("nothing instrumented")
			}
		})
	}
}

// stripSrc returns the bytes rewrite.Strip makes of src.
func stripSrc(name string, src []byte) ([]byte, error) {
	out, err := rewrite.Strip(name, src)
	if err != nil {
		return nil, err
	}
	return out.Src, nil
}
