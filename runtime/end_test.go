package autotrace

import (
	"context"
	"errors"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"testing"
)

var errBoom = errors.New("boom: \"quoted\"\n")

//go:noinline
func failing(ctx context.Context) (err error) {
	ctx, __span := Start(ctx, "t.failing")
	defer __span.EndErr(&err)
	_ = ctx
	return errBoom
}

//go:noinline
func succeeding(ctx context.Context) (err error) {
	ctx, __span := Start(ctx, "t.succeeding")
	defer __span.EndErr(&err)
	_ = ctx
	return nil
}

type panicValue struct{ code int }

// panicLine is the line of the panic in panicker, for the location check.
var panicLine int

//go:noinline
func panicker(ctx context.Context, v any) (err error) {
	ctx, __span := Start(ctx, "t.panicker")
	defer __span.EndErr(&err)
	_ = ctx
	_, _, panicLine, _ = runtime.Caller(0)
	panicLine += 2 // the panic, two lines below the Caller call
	panic(v)
}

//go:noinline
func outerPanicker(v any) {
	__span := StartHere("t.outer")
	defer __span.End()
	_ = panicker(context.Background(), v)
}

//go:noinline
func indexPanicker(i int) int {
	__span := StartHere("t.index")
	defer __span.End()
	var a [3]int
	return a[i]
}

// recovered calls f in an uninstrumented frame and returns what it
// recovered.
func recovered(f func()) (v any) {
	defer func() { v = recover() }()
	f()
	return nil
}

func TestErrorStatus(t *testing.T) {
	out := record(t, Config{})
	if err := failing(context.Background()); err != errBoom {
		t.Fatalf("failing returned %v", err)
	}
	_ = succeeding(context.Background())
	Flush()
	m := byName(t, mustSpans(t, out))
	if s := m["t.failing"]; s.Status != "error" || s.Error != errBoom.Error() {
		t.Errorf("failing: status %q error %q", s.Status, s.Error)
	}
	if s := m["t.succeeding"]; s.Status != "ok" || s.Error != "" {
		t.Errorf("succeeding: status %q error %q", s.Status, s.Error)
	}
}

func TestPanicStatusAndValueUnchanged(t *testing.T) {
	pv := &panicValue{42}
	tests := []struct {
		name    string
		value   any
		same    func(any) bool
		wantVal string
	}{
		{"pointer", pv, func(v any) bool { return v == pv }, "&{42}"},
		{"error", errBoom, func(v any) bool { return v == errBoom }, errBoom.Error()},
		{"string", "text", func(v any) bool { return v == "text" }, "text"},
		{"nil", nil, func(v any) bool { _, ok := v.(*runtime.PanicNilError); return ok }, "panic called with nil argument"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			out := record(t, Config{})
			v := recovered(func() { outerPanicker(tt.value) })
			if !tt.same(v) {
				t.Fatalf("recovered %#v, want the panicked value", v)
			}
			Flush()
			m := byName(t, mustSpans(t, out))
			for _, name := range []string{"t.panicker", "t.outer"} {
				s := m[name]
				if s.Status != "panic" {
					t.Errorf("%s: status %q", name, s.Status)
				}
				if got := s.Attrs["panic.value"]; !strings.HasPrefix(got.(string), tt.wantVal) {
					t.Errorf("%s: panic.value %q, want %q", name, got, tt.wantVal)
				}
				loc, _ := s.Attrs["panic.location"].(string)
				if want := "end_test.go:" + strconv.Itoa(panicLine); !strings.HasSuffix(loc, want) {
					t.Errorf("%s: panic.location %q, want …%s", name, loc, want)
				}
			}
			if j := gls.lookup(getg()); j >= 0 {
				t.Error("panicking spans left the goroutine's slot claimed")
			}
		})
	}
}

func TestRuntimeErrorPanicLocation(t *testing.T) {
	out := record(t, Config{})
	v := recovered(func() { indexPanicker(5) })
	if _, ok := v.(runtime.Error); !ok {
		t.Fatalf("recovered %#v, want a runtime.Error", v)
	}
	Flush()
	s := byName(t, mustSpans(t, out))["t.index"]
	if loc, _ := s.Attrs["panic.location"].(string); !strings.Contains(loc, "end_test.go:") {
		t.Errorf("panic.location %q, want the indexing line in end_test.go", loc)
	}
	if fn, _ := s.Attrs["panic.function"].(string); !strings.HasSuffix(fn, ".indexPanicker") {
		t.Errorf("panic.function %q", fn)
	}
}

func TestGoexitEndsNormally(t *testing.T) {
	out := record(t, Config{})
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		sp := StartHere("t.goexit")
		defer sp.End()
		runtime.Goexit()
	}()
	wg.Wait()
	Flush()
	if s := byName(t, mustSpans(t, out))["t.goexit"]; s.Status != "ok" {
		t.Errorf("Goexit: status %q, want ok", s.Status)
	}
}

func TestNilSpanMethods(t *testing.T) {
	var s Span
	s.End()
	s.EndErr(nil)
	err := errBoom
	s.EndErr(&err)
	s.SetError(err)
	s.SetAttr("k", "v")
	if s.String() == "" {
		t.Error("empty String")
	}
	// A nil span must not swallow a panic: End does not call recover.
	if v := recovered(func() {
		defer s.End()
		panic("through")
	}); v != "through" {
		t.Errorf("recovered %v", v)
	}
}

func TestSetAttrAndError(t *testing.T) {
	out := record(t, Config{})
	_, sp := Start(context.Background(), "attrs")
	sp.SetAttr("user", "ada")
	sp.SetAttr("long", strings.Repeat("é", 1000))
	sp.SetError(errors.New("set"))
	sp.End()
	sp.SetAttr("after", "end") // ignored
	sp.End()                   // a second End is ignored
	Flush()
	spans := mustSpans(t, out)
	if len(spans) != 1 {
		t.Fatalf("%d spans, want 1", len(spans))
	}
	s := spans[0]
	if s.Attrs["user"] != "ada" || s.Status != "error" || s.Error != "set" || s.Attrs["after"] != nil {
		t.Errorf("got %+v", s)
	}
	if l := len(s.Attrs["long"].(string)); l > maxValueLen+3 {
		t.Errorf("attribute of %d bytes not bounded", l)
	}
}
