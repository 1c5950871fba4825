package hotspot

import (
	"encoding/binary"
	"testing"
	"time"
)

// id8 returns the 8-byte span ID of n.
func id8(n uint64) (b [8]byte) { binary.BigEndian.PutUint64(b[:], n); return }

// id16 returns the 16-byte trace ID of n.
func id16(n uint64) (b [16]byte) { binary.BigEndian.PutUint64(b[8:], n); return }

// TestWideRoot is S3's first shape, small: one root with n children, each
// with one grandchild, children ending first as the runtime writes them,
// under a pending cap far below the span count. Child i runs [3i, 3i+2),
// its grandchild [3i, 3i+1), the root [0, 3n): the root's self time is n,
// each child's and grandchild's 1.
func TestWideRoot(t *testing.T) {
	for _, flame := range []bool{false, true} {
		const n = 200000
		a := New(MaxPending(3*maxIntervals), Flame(flame), TopTraces(3))
		tr := id16(1)
		for i := range uint64(n) {
			c, g := 2+2*i, 3+2*i
			a.Add(Span{TraceID: tr, SpanID: id8(g), ParentID: id8(c), Name: "g", Start: int64(3 * i), Dur: 1})
			a.Add(Span{TraceID: tr, SpanID: id8(c), ParentID: id8(1), Name: "c", Start: int64(3 * i), Dur: 2})
			if a.live > 3*maxIntervals {
				t.Fatalf("live %d over the cap at child %d", a.live, i)
			}
		}
		a.Add(Span{TraceID: tr, SpanID: id8(1), Name: "root", Start: 0, Dur: 3 * n})
		r := a.Result()
		want := map[string]time.Duration{"root": n, "c": n, "g": n}
		for name, self := range want {
			if got := statOf(r, name).Self; got != self {
				t.Errorf("flame %v: %s self = %d, want %d", flame, name, got, self)
			}
		}
		if r.Roots != 1 || r.Orphans != 0 || r.Evicted != 0 || r.Approx != 0 {
			t.Errorf("flame %v: roots %d orphans %d evicted %d approx %d; want 1 0 0 0", flame, r.Roots, r.Orphans, r.Evicted, r.Approx)
		}
		if len(r.Traces) != 1 || r.Traces[0].Root != "root" || r.Traces[0].Dur != 3*n {
			t.Errorf("flame %v: traces %+v, want the root's, %d ns", flame, r.Traces, 3*n)
		}
		if flame {
			f := r.Flame
			if len(f.Children) != 1 || f.Children[0].Name != "root" || f.Children[0].Self != n ||
				len(f.Children[0].Children) != 1 || f.Children[0].Children[0].Count != n ||
				f.Children[0].Children[0].Children[0].Self != n {
				t.Errorf("flame graph: %+v", f.Children)
			}
		}
	}
}

// TestManyRoots is S3's second shape, small: n traces of 3 spans (a root
// [0, 10) with children [1, 3) and [4, 8)), each trace's spans together;
// the root's self time is 4, and trace i lasts 10+i so the slowest are the
// last three.
func TestManyRoots(t *testing.T) {
	const n = 100000
	a := New(MaxPending(16), Flame(true), TopTraces(3))
	for i := range uint64(n) {
		tr := id16(i + 1)
		a.Add(Span{TraceID: tr, SpanID: id8(2), ParentID: id8(1), Name: "a", Start: 1, Dur: 2})
		a.Add(Span{TraceID: tr, SpanID: id8(3), ParentID: id8(1), Name: "b", Start: 4, Dur: 4})
		a.Add(Span{TraceID: tr, SpanID: id8(1), Name: "root", Start: 0, Dur: 10 + int64(i)})
	}
	r := a.Result()
	wantRoot := time.Duration(n*4 + n*(n-1)/2)
	if got := statOf(r, "root").Self; got != wantRoot {
		t.Errorf("root self %d, want %d", got, wantRoot)
	}
	if got := statOf(r, "a").Self; got != 2*n {
		t.Errorf("a self %d, want %d", got, 2*n)
	}
	if r.Roots != n || r.Orphans+r.Evicted+r.Approx != 0 {
		t.Errorf("roots %d orphans %d evicted %d approx %d", r.Roots, r.Orphans, r.Evicted, r.Approx)
	}
	for j, tr := range r.Traces {
		if want := id16(uint64(n - j)); tr.ID != want || tr.Root != "root" {
			t.Errorf("trace %d: %x %s, want %x root", j, tr.ID, tr.Root, want)
		}
	}
}

// TestConcurrentChildrenBounded: many overlapping children of one parent,
// arriving in end order, fold into a sealed region without gaps: exact.
func TestConcurrentChildrenBounded(t *testing.T) {
	a := New()
	tr := id16(1)
	const n = 10000
	// Child i runs [i, i+50): the union is [0, n+49).
	for i := range uint64(n) {
		a.Add(Span{TraceID: tr, SpanID: id8(i + 2), ParentID: id8(1), Name: "c", Start: int64(i), Dur: 50})
	}
	a.Add(Span{TraceID: tr, SpanID: id8(1), Name: "root", Start: 0, Dur: n + 100})
	r := a.Result()
	if got := statOf(r, "root").Self; got != 51 || r.Approx != 0 {
		t.Errorf("root self %d approx %d, want 51, 0", got, r.Approx)
	}
}

// TestCoverageSealed checks the bounded union against the exact one on
// sequential intervals with gaps and on ones that reach back.
func TestCoverageSealed(t *testing.T) {
	var c coverage
	var exact []interval
	for i := range int64(3 * maxIntervals) {
		iv := interval{10 * i, 10*i + 7}
		c.add(iv)
		exact = append(exact, iv)
	}
	if len(c.ivs) > maxIntervals {
		t.Errorf("%d intervals kept", len(c.ivs))
	}
	_, want := union(append([]interval(nil), exact...), 0, 1e9)
	if got, ok := c.total(0, 1e9); got != want || !ok {
		t.Errorf("total %d (exact %v), want %d", got, ok, want)
	}
	// One reaching back over the gaps of the sealed part: flagged.
	c.add(interval{0, 10000})
	c.seal(0)
	if _, ok := c.total(0, 1e9); ok {
		t.Error("an interval over sealed gaps is not flagged approximate")
	}
}
