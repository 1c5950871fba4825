package rewrite_test

import (
	"strings"
	"testing"

	"github.com/autotrace/autotrace/rewrite"
)

// attrsHeader declares what the error cases refer to.
const attrsHeader = `package p

import "time"

type T struct {
	N    int
	C    complex64
	when time.Time
}

func (T) M() {}

`

// TestAttrsErrors checks that every attrs= item gen cannot record is an
// error at the directive, naming the item and its type, with no output.
func TestAttrsErrors(t *testing.T) {
	imp := newImporter(t)
	tests := []struct {
		name, fn, want string
		at             string // the error's position, when not x.go:13 (the directive)
	}{
		{"unknown item", "//autotrace:span attrs=nope\nfunc F(n int) {}", "x.go:13:24: attrs item nope: p.F has no parameter, receiver or named result nope", ""},
		{"every bad item, each at its place", "//autotrace:span attrs=n,s=t,xs,nope\nfunc F(n int, t T, xs []int) {}",
			"x.go:13:26: attrs item t: t has type T, which autotrace cannot record (want bool, a number, string, time.Duration, time.Time, error, or str(…) of a fmt.Stringer)\n" +
				"x.go:13:30: attrs item xs: xs has type []int, which autotrace cannot record (want bool, a number, string, time.Duration, time.Time, error, or str(…) of a fmt.Stringer)\n" +
				"x.go:13:33: attrs item nope: p.F has no parameter, receiver or named result nope", ""},
		{"every malformed item", "//autotrace:span attrs=n,,=n,a..b\nfunc F(n int) {}", `attrs item "": want NAME, NAME.FIELD…, len(…) or str(…), optionally KEY=ITEM; attrs item "=n": bad key ""; attrs item "a..b": want`, ""},
		{"typo in a field", "//autotrace:span attrs=t.M2\nfunc F(t T) {}", "attrs item t.M2: t (T) has no field M2", ""},
		{"method, not field", "//autotrace:span attrs=t.M\nfunc F(t T) {}", "attrs item t.M: t (T) has no field M", ""},
		{"complex", "//autotrace:span attrs=t.C\nfunc F(t T) {}", "attrs item t.C: t.C has type complex64, which autotrace cannot record", ""},
		{"struct", "//autotrace:span attrs=t\nfunc F(t T) {}", "attrs item t: t has type T, which autotrace cannot record", ""},
		{"pointer to struct", "//autotrace:span attrs=t\nfunc F(t *T) {}", "attrs item t: t has type *T", ""},
		{"slice", "//autotrace:span attrs=xs\nfunc F(xs []int) {}", "attrs item xs: xs has type []int", ""},
		{"func", "//autotrace:span attrs=f\nfunc F(f func()) {}", "attrs item f: f has type func()", ""},
		{"another package's unexported field", "//autotrace:span attrs=w.wall\nfunc F(w time.Time) {}", "attrs item w.wall: w (time.Time) has no field wall", ""},
		{"len of an int", "//autotrace:span attrs=len(n)\nfunc F(n int) {}", "attrs item len(n): len of n (int)", ""},
		{"str of a non-Stringer", "//autotrace:span attrs=str(n)\nfunc F(n int) {}", "attrs item str(n): n (int) is not a fmt.Stringer", ""},
		{"field of a result", "//autotrace:span attrs=r.N\nfunc F() (r T) { return }", "attrs item r.N: a named result is recorded whole", ""},
		{"unsupported result", "//autotrace:span attrs=r\nfunc F() (r []int) { return }", "attrs item r: the result r has type []int", ""},
		{"type parameter of any", "//autotrace:span attrs=x\nfunc F[X any](x X) {}", "attrs item x: x has type X", ""},
		{"mixed type parameter", "//autotrace:span attrs=x\nfunc F[X ~int | ~string](x X) {}", "attrs item x: x has type X", ""},
		{"len shadowed by a parameter", "//autotrace:span attrs=len(xs)\nfunc F(len int, xs []int) {}", "attrs item len(xs): the code recording it needs Go's len, a name declared by the function's signature", ""},
		{"int64 shadowed by a type parameter", "//autotrace:span attrs=n\nfunc F[int64 any](n int) {}", "attrs item n: the code recording it needs Go's int64, a name declared by the function's type parameters", ""},
		{"len shadowed around a literal", "func F() int {\n\tlen := 3\n\t//autotrace:span attrs=len(xs)\n\tf := func(xs []int) {}\n\tf(nil)\n\treturn len\n}", "attrs item len(xs): the code recording it needs Go's len, a name declared by the enclosing function", "x.go:15:19:"},
		{"unnamed parameter", "//autotrace:span attrs=_\nfunc F(_ int) {}", "malformed directive", ""},
		{"empty", "//autotrace:span attrs=\nfunc F(n int) {}", "malformed directive", ""},
		{"empty item", "//autotrace:span attrs=n,,n\nfunc F(n int) {}", "malformed directive", ""},
		{"bad path", "//autotrace:span attrs=t..N\nfunc F(t T) {}", "malformed directive", ""},
		{"empty key", "//autotrace:span attrs==n\nfunc F(n int) {}", "malformed directive", ""},
		{"duplicate key", "//autotrace:span attrs=n,n\nfunc F(n int) {}", `attrs key "n" twice`, ""},
		{"attrs twice", "//autotrace:span attrs=n attrs=n\nfunc F(n int) {}", "malformed directive", ""},
		{"unknown argument", "//autotrace:span attr=n\nfunc F(n int) {}", "malformed directive", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			src := []byte(attrsHeader + tt.fn + "\n")
			out, err := rewrite.Gen(input(t, imp, "x.go", src))
			if err == nil {
				t.Fatalf("no error; output:\n%s", out.Src)
			}
			if out != nil {
				t.Errorf("output returned with an error")
			}
			at := tt.at
			if at == "" {
				at = "x.go:13:"
			}
			if !strings.Contains(err.Error(), tt.want) || !strings.HasPrefix(err.Error(), at) {
				t.Errorf("error = %q, want %s… %q", err, at, tt.want)
			}
		})
	}
}

// TestAttrsNeedTypes: without type information attrs= is an error, never
// silently dropped.
func TestAttrsNeedTypes(t *testing.T) {
	src := "package p\n\n//autotrace:span attrs=n\nfunc F(n int) {}\n"
	_, err := rewrite.Gen(rewrite.Input{Filename: "x.go", Src: []byte(src)})
	if err == nil || !strings.HasPrefix(err.Error(), "x.go:3:18: attrs= needs the types of p.F") {
		t.Errorf("error = %v", err)
	}
}

// TestAttrsInline: a body gen cannot give lines of its own gets the
// recording code on the brace's line, one line, and strip restores it.
func TestAttrsInline(t *testing.T) {
	imp := newImporter(t)
	src := "package p\n\n//autotrace:span attrs=n,r\nfunc F(n int) (r int) {  r = n\n\treturn }\n"
	out, err := rewrite.Gen(input(t, imp, "x.go", []byte(src)))
	if err != nil {
		t.Fatal(err)
	}
	want := `func F(n int) (r int) { __span := autotrace.StartHere("p.F"); defer __span.End(); if __span.Recording() { __span.SetInt("n", int64(n)) }; defer autotrace.RecordInt(__span, "r", &r);  r = n`
	if !strings.Contains(string(out.Src), want) {
		t.Errorf("output:\n%s\nwant a line\n%s", out.Src, want)
	}
	typeCheck(t, imp, "x.go", out.Src)
	back, err := stripSrc("x.go", out.Src)
	if err != nil || string(back) != src {
		t.Errorf("strip: %v\n%s", err, back)
	}
	again, err := rewrite.Gen(input(t, imp, "x.go", out.Src))
	if err != nil || string(again.Src) != string(out.Src) {
		t.Errorf("gen of gen: %v\n%s", err, again.Src)
	}
}

// TestAttrsLayouts: every body layout gen knows keeps its properties with
// attrs=: the output type-checks, strip gives the input back, gen is
// idempotent.
func TestAttrsLayouts(t *testing.T) {
	imp := newImporter(t)
	for _, body := range []string{
		"{ return }",
		"{ go func() {}(); return }",
		"{ f := func() {}; f(); return }",
		"{ // comment\n\treturn\n}",
		"{\n\treturn // comment\n}",
		"{ _ = n\n\treturn }",
	} {
		src := "package p\n\n//autotrace:span attrs=n,r\nfunc F(n int) (r bool) " + body + "\n"
		out, err := rewrite.Gen(input(t, imp, "x.go", []byte(src)))
		if err != nil {
			t.Fatalf("%q: %v", body, err)
		}
		if !strings.Contains(string(out.Src), `SetInt("n", int64(n))`) || !strings.Contains(string(out.Src), `RecordBool(__span, "r", &r)`) {
			t.Errorf("%q: attributes not recorded:\n%s", body, out.Src)
		}
		typeCheck(t, imp, "x.go", out.Src)
		if back, err := stripSrc("x.go", out.Src); err != nil || string(back) != src {
			t.Errorf("%q: strip: %v\n%s", body, err, back)
		}
		if again, err := rewrite.Gen(input(t, imp, "x.go", out.Src)); err != nil || string(again.Src) != string(out.Src) {
			t.Errorf("%q: gen of gen: %v\n%s", body, err, again.Src)
		}
	}
}
