package autotrace

import (
	"context"
	"testing"
)

//go:noinline
func deepPanic(n int) int {
	__span := StartHere("t.deep")
	defer __span.End()
	if n == 0 {
		panic("bottom")
	}
	return deepPanic(n-1) + 1
}

//go:noinline
func recoverIn() (v any) {
	defer func() { v = recover() }()
	deepPanic(3)
	return nil
}

//go:noinline
func outerRecovers() {
	__span := StartHere("t.outerRecovers")
	defer __span.End()
	recoverIn() // not instrumented: the panic stops here
}

//go:noinline
func outerErr(ctx context.Context) (err error) {
	ctx, __span := Start(ctx, "t.outerErr")
	defer __span.EndErr(&err)
	_ = ctx
	deepPanic(2)
	return nil
}

// Only the innermost span recovers and re-panics; the enclosing spans
// record the same panic while it unwinds, and a span whose function
// recovered it in between ends normally.
func TestPanicPassedToEnclosingSpans(t *testing.T) {
	out := record(t, Config{})
	func() {
		defer func() {
			if v := recover(); v != "bottom" {
				t.Errorf("recovered %v, want bottom", v)
			}
		}()
		outerErr(context.Background())
	}()
	outerRecovers()
	Flush()
	spans := mustSpans(t, out)
	deep := 0
	for _, s := range spans {
		switch s.Name {
		case "t.deep":
			deep++
			if s.Status != "panic" || s.Attrs["panic.value"] != "bottom" {
				t.Errorf("t.deep: status %q attrs %v", s.Status, s.Attrs)
			}
		case "t.outerErr":
			if s.Status != "panic" || s.Attrs["panic.value"] != "bottom" {
				t.Errorf("t.outerErr: status %q attrs %v", s.Status, s.Attrs)
			}
		case "t.outerRecovers":
			if s.Status != "ok" || s.Attrs["panic.value"] != nil {
				t.Errorf("t.outerRecovers: status %q attrs %v", s.Status, s.Attrs)
			}
		}
	}
	if deep != 3+4 {
		t.Errorf("%d t.deep spans, want 7", deep)
	}
}

// BenchmarkDeepPanic unwinds a panic through 1000 instrumented frames:
// linear in the depth, where recovering in every frame was quadratic.
func BenchmarkDeepPanic(b *testing.B) {
	record(b, Config{})
	for b.Loop() {
		func() {
			defer func() { recover() }()
			deepPanic(1000)
		}()
	}
}
