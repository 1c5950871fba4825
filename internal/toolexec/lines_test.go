package toolexec

import (
	"fmt"
	"go/parser"
	"go/token"
	"strings"
	"testing"
)

func TestLineMap(t *testing.T) {
	x := strings.Split("a|b|func f() error {|c|d|}|e", "|")
	y := strings.Split("a|b|func f() (__err error) {|s1|s2|c|d|}|e", "|")
	got := fmt.Sprint(lineMap(x, y))
	if want := "[0 1 2 2 2 3 4 5 6]"; got != want {
		t.Errorf("lineMap = %s, want %s", got, want)
	}
}

// TestLineDirectives checks that every statement of a rewritten file keeps
// the line it had in the original.
func TestLineDirectives(t *testing.T) {
	orig := "package p\n\nimport \"fmt\"\n\nfunc f() error {\n\tfmt.Println(1)\n\treturn nil\n}\n\nfunc g() { fmt.Println(2) }\n\nvar s = `\n}\n`\n\nfunc h() {\n\tfmt.Println(3)\n}\n"
	out := "package p\n\nimport \"fmt\"\nimport autotrace \"x\"\n\nfunc f() (__err error) {\n\t__span := autotrace.StartHere(\"p.f\")\n\tdefer __span.EndErr(&__err)\n\tfmt.Println(1)\n\treturn nil\n}\n\nfunc g() {\n\t__span := autotrace.StartHere(\"p.g\")\n\tdefer __span.End() // autotrace: one-line body\n\tfmt.Println(2)\n}\n\nvar s = `\n}\n`\n\nfunc h() {\n\t__span := autotrace.StartHere(\"p.h\")\n\tdefer __span.End()\n\tfmt.Println(3)\n}\n"
	res := withLineDirectives("/src/p.go", []byte(orig), []byte(out))
	fset := token.NewFileSet()
	f, err := parser.ParseFile(fset, "gen.go", res, 0)
	if err != nil {
		t.Fatalf("%v\n%s", err, res)
	}
	want := map[string]int{"fmt.Println(1)": 6, "fmt.Println(2)": 10, "fmt.Println(3)": 17, "return nil": 7}
	seen := 0
	for _, d := range f.Decls {
		pos := fset.Position(d.Pos())
		if pos.Filename != "/src/p.go" {
			t.Errorf("decl at %v, want in /src/p.go", pos)
		}
	}
	lines := strings.Split(string(res), "\n")
	_ = lines
	// Check the statements by scanning the AST positions.
	inspectStmts(f, func(text string, line int) {
		if w, ok := want[text]; ok {
			seen++
			if line != w {
				t.Errorf("%s at line %d, want %d\n%s", text, line, w, res)
			}
		}
	}, fset, res)
	if seen != len(want) {
		t.Errorf("saw %d of %d statements", seen, len(want))
	}
	if !strings.Contains(string(res), "var s = `\n}\n`") {
		t.Errorf("raw string changed:\n%s", res)
	}
}
