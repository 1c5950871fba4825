package rewrite_test

import (
	"bytes"
	"go/parser"
	"go/token"
	"testing"

	"github.com/autotrace/autotrace/rewrite"
)

// TestOneLineBodyWithGoStatements: a one-line body that gen must also edit
// inside (a go statement it wraps, a literal that adopts the span) keeps
// its line and gets the statements inline, instead of being expanded from
// its original text over those edits (gen panicked on overlapping edits).
// The output is valid, idempotent, and strips back byte for byte.
func TestOneLineBodyWithGoStatements(t *testing.T) {
	src := []byte(`package gp

type job struct{}

func (j *job) run() {}

func work(j *job, n int) {}

func A(j *job) { go work(j, 1); go j.run() }

func B(x int) (int, error) { go func() {}(); return x, nil }

func C() { f := func() { go work(nil, 2) }; f() }
`)
	imp := newImporter(t)
	in := input(t, imp, "gp.go", src)
	in.All = true
	out, err := rewrite.Gen(in)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := parser.ParseFile(token.NewFileSet(), "out.go", out.Src, 0); err != nil {
		t.Fatalf("output does not parse: %v\n%s", err, out.Src)
	}
	for _, want := range []string{`func A(j *job) { __span := autotrace.StartHere("gp.A"); defer __span.End(); go func(__f func(*job, int)`, "defer autotrace.Adopt(__span).Release()"} {
		if !bytes.Contains(out.Src, []byte(want)) {
			t.Errorf("output lacks %q:\n%s", want, out.Src)
		}
	}
	in2 := input(t, imp, "gp.go", out.Src)
	in2.All = true
	again, err := rewrite.Gen(in2)
	if err != nil || !bytes.Equal(again.Src, out.Src) {
		t.Errorf("gen not idempotent (%v):\n%s\n----\n%s", err, out.Src, again.Src)
	}
	back, err := stripSrc("gp.go", out.Src)
	if err != nil || !bytes.Equal(back, src) {
		t.Errorf("strip(gen(x)) != x (%v):\n%s", err, back)
	}
}
