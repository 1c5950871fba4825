package rewrite_test

import (
	"strings"
	"testing"

	"github.com/autotrace/autotrace/rewrite"
)

// TestGenErrors checks that wrong input is refused with the position of
// the problem, and that nothing is produced for it.
func TestGenErrors(t *testing.T) {
	tests := []struct {
		name, src, want string
	}{
		{"misspelled", "package p\n\n//autotrace:spna\nfunc F() {}\n", "x.go:3:1: unknown directive //autotrace:spna"},
		{"bad name", "package p\n\n//autotrace:span nom=x\nfunc F() {}\n", "x.go:3:1: malformed directive"},
		{"all with args", "//autotrace:all please\n\npackage p\n", "x.go:1:1: malformed directive"},
		{"misplaced all", "package p\n\n//autotrace:all\nfunc F() {}\n", "x.go:3:1: misplaced //autotrace:all"},
		{"misplaced span", "package p\n\n//autotrace:span\nvar x = 1\n", "x.go:3:1: misplaced //autotrace:span"},
		{"dangling span", "package p\n\nfunc F() {\n\t//autotrace:span\n\tx := 1\n\t_ = x\n}\n", "x.go:4:2: misplaced //autotrace:span"},
		{"span and skip", "package p\n\n//autotrace:span\n//autotrace:skip\nfunc F() {}\n", "x.go:4:1: p.F is marked both"},
		{"no body", "package p\n\n//autotrace:span\nfunc F()\n", "x.go:3:1: //autotrace:span on p.F, which has no body"},
		{"reserved", "package p\n\n//autotrace:span\nfunc F(__ctx int) {}\n", "x.go:4:8: cannot instrument p.F: the name __ctx is reserved"},
		{"syntax", "package p\n\nfunc F( {\n", "x.go:3:9:"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			out, err := rewrite.Gen(rewrite.Input{Filename: "x.go", Src: []byte(tt.src)})
			if err == nil {
				t.Fatalf("no error; output:\n%s", out.Src)
			}
			if out != nil {
				t.Errorf("output returned with an error")
			}
			if !strings.HasPrefix(err.Error(), tt.want) {
				t.Errorf("error = %q, want prefix %q", err, tt.want)
			}
		})
	}
}

func TestUnusedSkipWarns(t *testing.T) {
	src := "package p\n\n//autotrace:skip not needed\nfunc F() {}\n"
	out, err := rewrite.Gen(rewrite.Input{Filename: "x.go", Src: []byte(src)})
	if err != nil {
		t.Fatal(err)
	}
	if string(out.Src) != src {
		t.Errorf("file changed:\n%s", out.Src)
	}
	if len(out.Warnings) != 1 || !strings.Contains(out.Warnings[0].Error(), "x.go:3:1: unused //autotrace:skip") {
		t.Errorf("warnings = %v", out.Warnings)
	}
	out, err = rewrite.Gen(rewrite.Input{Filename: "x.go", Src: []byte(src), All: true})
	if err != nil || len(out.Warnings) != 0 || string(out.Src) != src {
		t.Errorf("with -all: err %v, warnings %v, changed %v", err, out.Warnings, string(out.Src) != src)
	}
}

// TestStale checks that gen refreshes instrumentation that no longer
// matches (a renamed function) and removes it where no directive asks.
func TestStale(t *testing.T) {
	src := `package p

import autotrace "github.com/autotrace/autotrace/runtime"

//autotrace:span
func Renamed() {
	__span := autotrace.StartHere("p.Old")
	defer __span.End()
}

func Unwanted() {
	__span := autotrace.StartHere("p.Unwanted")
	defer __span.End()
}
`
	want := `package p

import autotrace "github.com/autotrace/autotrace/runtime"

//autotrace:span
func Renamed() {
	__span := autotrace.StartHere("p.Renamed")
	defer __span.End()
}

func Unwanted() {
}
`
	out, err := rewrite.Gen(rewrite.Input{Filename: "x.go", Src: []byte(src)})
	if err != nil {
		t.Fatal(err)
	}
	if string(out.Src) != want {
		t.Errorf("got:\n%s", out.Src)
	}
	findings, err := rewrite.Compare("x.go", []byte(src), out.Src)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, f := range findings {
		got = append(got, f.Error())
	}
	wantFindings := []string{
		"x.go:6:1: p.Renamed: instrumentation is stale; run autotrace gen",
		"x.go:11:1: p.Unwanted: instrumented but not selected by any directive; run autotrace gen",
	}
	if strings.Join(got, "\n") != strings.Join(wantFindings, "\n") {
		t.Errorf("findings:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(wantFindings, "\n"))
	}
}
