package rewrite_test

import (
	"bytes"
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/autotrace/autotrace/rewrite"
)

// handWritten are runtime calls as a user writes them, some in the very
// shapes gen writes but for their names.
var handWritten = []string{
	"hs := autotrace.StartHere(\"manual\")\ndefer hs.End()\nhs.SetInt(\"n\", 3)",
	"hctx, span := autotrace.Start(context.TODO(), \"manual\")\ndefer span.End()\n_ = hctx",
	"ctx, span := autotrace.Start(ctx, \"pkg.F\")\ndefer span.EndErr(nil)",
	"r, span := autotrace.StartRequest(r, \"pkg.F\")\ndefer span.End()",
	"_, span := autotrace.Start(__ctx, \"pkg.F\")\ndefer span.End()",
	"defer autotrace.EndMain()",
	"defer autotrace.Adopt(hs).Release()",
	"if false {\nautotrace.ShutdownThen(os.Exit)(3)\n}",
	"exit := autotrace.ShutdownThen(log.Fatalf)\n_ = exit",
	"go func(f func(), a int) {\ndefer autotrace.Adopt(span).Release()\nf()\n}(g, 1)",
}

// TestStripKeepsHandWritten puts each hand-written snippet at the top of
// every function of every golden input, where gen's own code goes, and
// requires strip to leave the file byte for byte, both as it is and after
// gen: strip(x) == x and strip(gen(x)) == x.
func TestStripKeepsHandWritten(t *testing.T) {
	ins, err := filepath.Glob("../testdata/golden/in/*.go")
	if err != nil || len(ins) == 0 {
		t.Fatalf("no golden inputs: %v", err)
	}
	cases := 0
	for _, in := range ins {
		src, err := os.ReadFile(in)
		if err != nil {
			t.Fatal(err)
		}
		name := filepath.Base(in)
		for _, variant := range withHandWritten(t, src) {
			cases++
			out, err := rewrite.Strip(name, variant)
			if err != nil {
				t.Fatalf("%s: strip: %v\n%s", name, err, variant)
			}
			if !bytes.Equal(out.Src, variant) {
				t.Fatalf("%s: strip changed hand-written code:\n%s\n----\n%s", name, variant, out.Src)
			}
			if len(out.Warnings) == 0 {
				t.Errorf("%s: strip left hand-written code without a warning:\n%s", name, variant)
			}
			gen, err := rewrite.Gen(rewrite.Input{Filename: name, Src: variant})
			if err != nil {
				continue // a variant gen refuses (say, a name it now collides with)
			}
			back, err := stripSrc(name, gen.Src)
			if err != nil || !bytes.Equal(back, variant) {
				t.Fatalf("%s: strip(gen(x)) != x (%v)\nx:\n%s\ngen:\n%s\nstrip:\n%s", name, err, variant, gen.Src, back)
			}
		}
	}
	if cases < 100 {
		t.Fatalf("only %d cases: the inputs lost their functions?", cases)
	}
}

// withHandWritten returns src with each snippet of handWritten inserted at
// the top of each function body of multi-line bodies, the runtime imported
// when src does not already.
func withHandWritten(t *testing.T, src []byte) [][]byte {
	fset := token.NewFileSet()
	f, err := parser.ParseFile(fset, "x.go", src, parser.ParseComments)
	if err != nil {
		t.Fatal(err)
	}
	alias := ""
	for _, imp := range f.Imports {
		if imp.Path.Value == `"`+rewrite.RuntimePath+`"` {
			alias = "autotrace"
			if imp.Name != nil {
				alias = imp.Name.Name
			}
		}
	}
	var bodies []int // offsets just after a "{\n"
	ast.Inspect(f, func(n ast.Node) bool {
		var body *ast.BlockStmt
		switch x := n.(type) {
		case *ast.FuncDecl:
			body = x.Body
		case *ast.FuncLit:
			body = x.Body
		}
		if body != nil {
			off := fset.Position(body.Lbrace).Offset + 1
			if off < len(src) && src[off] == '\n' {
				bodies = append(bodies, off+1)
			}
		}
		return true
	})
	var out [][]byte
	for _, snippet := range handWritten {
		text := snippet
		if alias == "" {
			alias = "autotrace"
		}
		text = strings.ReplaceAll(text, "autotrace.", alias+".")
		for _, off := range bodies {
			var b bytes.Buffer
			b.Write(src[:off])
			b.WriteString(text + "\n")
			b.Write(src[off:])
			v := b.Bytes()
			if !bytes.Contains(src, []byte(rewrite.RuntimePath)) {
				v = addImport(t, v)
			}
			out = append(out, v)
		}
	}
	return out
}

// addImport adds an import of the runtime after the package clause.
func addImport(t *testing.T, src []byte) []byte {
	f, err := parser.ParseFile(token.NewFileSet(), "x.go", src, parser.PackageClauseOnly)
	if err != nil {
		t.Fatal(err)
	}
	end := int(f.Name.End()) - 1 // the file's base is 1
	return append(append(append([]byte{}, src[:end]...), []byte("\n\nimport autotrace \""+rewrite.RuntimePath+"\"")...), src[end:]...)
}

// TestStripRefusesUsedNames: code the user added that uses a name gen
// declared makes strip an error naming the use, and nothing is changed.
func TestStripRefusesUsedNames(t *testing.T) {
	src := `package p

import autotrace "github.com/autotrace/autotrace/runtime"

func F() {
	__span := autotrace.StartHere("p.F")
	defer __span.End()
	__span.SetInt("n", 3)
}
`
	_, err := rewrite.Strip("p.go", []byte(src))
	if err == nil || !strings.Contains(err.Error(), "p.go:8:2: __span is used by code gen did not write") {
		t.Fatalf("strip: %v, want an error at p.go:8:2", err)
	}
	if _, err := rewrite.Gen(rewrite.Input{Filename: "p.go", Src: []byte(src)}); err == nil {
		t.Fatalf("gen re-instrumented a function whose __span other code uses")
	}
}

// TestStripWarnsHandWritten names each function holding hand-written
// runtime calls once.
func TestStripWarnsHandWritten(t *testing.T) {
	src, err := os.ReadFile("../testdata/golden/in/handwritten.go")
	if err != nil {
		t.Fatal(err)
	}
	out, err := rewrite.Strip("handwritten.go", src)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, w := range out.Warnings {
		got = append(got, w.Error())
	}
	want := []string{
		"handwritten.go:13:15: left hand-written autotrace code in main.manual (autotrace.Start)",
		"handwritten.go:21:7: left hand-written autotrace code in main.here (autotrace.StartHere)",
		"handwritten.go:38:8: left hand-written autotrace code in main.main (autotrace.EndMain)",
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("warnings:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}
