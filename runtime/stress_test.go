package autotrace

import (
	"bytes"
	"context"
	"sync"
	"testing"
)

// quickSpan is what the stress tests check of a span line.
type quickSpan struct{ id, parent, name string }

// quickSpans extracts ids and names from a trace by position: decoding
// 100,000 lines with encoding/json takes seconds under the race detector,
// and the format itself is checked by TestSpanLineFormat.
func quickSpans(t *testing.T, path string) []quickSpan {
	t.Helper()
	data := traceView(t, path)
	field := func(l []byte, key string) string {
		k := bytes.Index(l, []byte(key))
		if k < 0 {
			t.Fatalf("no %s in %q", key, l)
		}
		v := l[k+len(key):]
		return string(v[:bytes.IndexByte(v, '"')])
	}
	var out []quickSpan
	for _, l := range bytes.Split(bytes.TrimSuffix(data, []byte("\n")), []byte("\n")) {
		if bytes.HasPrefix(l, []byte(`{"trace_id"`)) {
			out = append(out, quickSpan{field(l, `"span_id":"`), field(l, `"parent_id":"`), field(l, `"name":"`)})
		}
	}
	return out
}

func TestStressManyGoroutines(t *testing.T) {
	const goroutines, iters = 1000, 20
	out := record(t, Config{BufferSize: 1 << 18})
	var wg sync.WaitGroup
	for g := 0; g < goroutines; g++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; i < iters; i++ {
				outer := StartHere("outer")
				ctx, mid := Start(context.Background(), "mid") // under outer: ctx has no span
				inner := StartHere("inner")                    // under mid
				_, leaf := Start(ctx, "leaf")
				leaf.End()
				inner.End()
				mid.End()
				outer.End()
			}
		}()
	}
	wg.Wait()
	Flush()
	spans := quickSpans(t, out)
	if len(spans) != goroutines*iters*4 {
		t.Fatalf("%d spans, want %d", len(spans), goroutines*iters*4)
	}
	byID := make(map[string]quickSpan, len(spans))
	for _, s := range spans {
		byID[s.id] = s
	}
	want := map[string]string{"outer": "", "mid": "outer", "inner": "mid", "leaf": "mid"}
	for _, s := range spans {
		if p := byID[s.parent].name; p != want[s.name] {
			t.Fatalf("%s under %q, want %q", s.name, p, want[s.name])
		}
	}
	for j := range gls.keys {
		if k := gls.keys[j].Load(); k != 0 && k != glsFree {
			t.Fatalf("slot %d still claimed after every goroutine ended its spans", j)
		}
	}
}

// recurse nests n spans on the goroutine, as an instrumented recursive
// function would.
func recurse(n int) {
	sp := StartHere("recurse")
	defer sp.End()
	if n > 1 {
		recurse(n - 1)
	}
}

func TestDeepRecursion(t *testing.T) {
	const depth = 100_000
	// The buffer is split among Ps and all spans end on one: 1<<18 gives
	// each P room for the whole recursion.
	out := record(t, Config{BufferSize: 1 << 18})
	recurse(depth)
	Flush()
	spans := quickSpans(t, out)
	if len(spans) != depth {
		t.Fatalf("%d spans, want %d", len(spans), depth)
	}
	children := map[string]int{}
	roots := 0
	for _, s := range spans {
		if s.parent == "" {
			roots++
		} else {
			children[s.parent]++
		}
	}
	if roots != 1 || len(children) != depth-1 {
		t.Errorf("%d roots and %d parents, want a single chain of %d", roots, len(children), depth)
	}
	if j := gls.lookup(getg()); j >= 0 {
		t.Error("slot still claimed after the recursion returned")
	}
}

func TestGoroutineTableFull(t *testing.T) {
	out := record(t, Config{})
	// Fill the current goroutine's whole probe window with other keys.
	g := getg()
	h := glsHome(g)
	for i := uint32(0); i < glsProbe; i++ {
		gls.keys[(h+i)&glsMask].Store(uintptr(0x1000 + 8*i))
	}
	outer := StartHere("outer")
	inner := StartHere("inner") // no local parent: a root
	inner.End()
	_, leaked := Start(context.Background(), "leaked")
	_ = leaked
	if err := Shutdown(context.Background()); err != nil {
		t.Fatal(err)
	}
	outer.End()
	leaked.End()
	for i := uint32(0); i < glsProbe; i++ {
		gls.keys[(h+i)&glsMask].Store(0)
	}
	spans, procs := readTrace(t, out)
	if len(spans) != 1 || spans[0].Name != "inner" || spans[0].ParentID != "" {
		t.Errorf("spans %+v, want one root span inner", spans)
	}
	// outer and leaked are pending, though the table could not name them.
	if len(procs) != 1 || procs[0].PendingCount != 2 {
		t.Errorf("process records %+v, want pending_count 2", procs)
	}
}
