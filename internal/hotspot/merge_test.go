package hotspot

import (
	"reflect"
	"testing"
	"time"
)

// shopSpans returns n traces of 3 spans, in the order a file holds them:
// trace i has a root [0, 10+i) with children a [1, 3) and b [4, 8); b
// reaches the file after the root (a late child) in every even trace. The
// root's self time is 4+i.
func shopSpans(n int) []Span {
	var out []Span
	for i := range uint64(n) {
		tr := id16(i + 1)
		a := Span{TraceID: tr, SpanID: id8(2), ParentID: id8(1), Name: "a", Start: 1, Dur: 2, Pid: 1}
		b := Span{TraceID: tr, SpanID: id8(3), ParentID: id8(1), Name: "b", Start: 4, Dur: 4, Pid: 2}
		root := Span{TraceID: tr, SpanID: id8(1), Name: "root", Start: 0, Dur: 10 + int64(i), Pid: 1}
		if i%2 == 0 {
			out = append(out, a, root, b)
		} else {
			out = append(out, a, b, root)
		}
	}
	return out
}

// split aggregates spans over k Aggregators, by trace (the first byte of
// the ID's low half, as no hash is needed here), with their stream
// positions, and merges them into the first.
func split(spans []Span, k int, opts ...Option) *Result {
	aggs := make([]*Aggregator, k)
	for i := range aggs {
		aggs[i] = New(opts...)
	}
	for i, s := range spans {
		aggs[int(s.TraceID[15])%k].AddAt(s, int64(i+1))
	}
	aggs[0].AddProcess(Process{Pid: 1, Cmd: "shop", Spans: 2})
	aggs[k-1].AddProcess(Process{Pid: 2, Cmd: "shop", Spans: 1})
	for _, a := range aggs[1:] {
		aggs[0].Merge(a)
	}
	return aggs[0].Result()
}

// TestMerge: the spans of disjoint traces aggregated apart and merged give
// the known answers, and the Result one Aggregator gives of them all.
func TestMerge(t *testing.T) {
	const n = 1000
	spans := shopSpans(n)
	opts := []Option{Flame(true), TopTraces(5)}
	one := split(spans, 1, opts...)
	for _, k := range []int{2, 3, 7} {
		r := split(spans, k, opts...)
		wantRoot := time.Duration(n*4 + n*(n-1)/2)
		if got := statOf(r, "root").Self; got != wantRoot {
			t.Errorf("k=%d: root self %d, want %d", k, got, wantRoot)
		}
		if got := statOf(r, "b"); got.Count != n || got.Self != 4*n {
			t.Errorf("k=%d: b count %d self %d, want %d, %d", k, got.Count, got.Self, n, 4*n)
		}
		if r.Spans != 3*n || r.Roots != n || r.Late != n/2 || r.Orphans != 0 || r.Evicted != 0 {
			t.Errorf("k=%d: spans %d roots %d late %d orphans %d evicted %d, want %d %d %d 0 0", k, r.Spans, r.Roots, r.Late, r.Orphans, r.Evicted, 3*n, n, n/2)
		}
		for j, tr := range r.Traces {
			if want := id16(uint64(n - j)); tr.ID != want {
				t.Errorf("k=%d: trace %d is %x, want %x", k, j, tr.ID, want)
			}
		}
		if f := r.Flame; len(f.Children) != 1 || f.Children[0].Count != n || len(f.Children[0].Children) != 2 {
			t.Errorf("k=%d: flame graph %+v, want one root of %d spans with children a and b", k, f.Children, n)
		}
		if len(r.Processes) != 2 || r.Processes[0].Spans != 2 || r.Processes[1].Pid != 2 {
			t.Errorf("k=%d: processes %+v", k, r.Processes)
		}
		if !reflect.DeepEqual(r, one) {
			t.Errorf("k=%d: merged result differs from one Aggregator's:\n%+v\n%+v", k, r, one)
		}
	}
}

// TestWindowAcrossAggregators: the window counts stream positions, not an
// Aggregator's own spans: a late child whose parent ended Window-1
// positions earlier (other traces' spans in between, which went to another
// Aggregator) finds it; one Window+1 positions later is an orphan. Alike
// for one Aggregator and for two.
func TestWindowAcrossAggregators(t *testing.T) {
	const window = 64
	for _, gap := range []int{window - 2, window} {
		tr := id16(1)
		spans := []Span{{TraceID: tr, SpanID: id8(1), Name: "root", Start: 0, Dur: 10}}
		for i := range gap {
			spans = append(spans, Span{TraceID: id16(uint64(2 + 2*i)), SpanID: id8(1), Name: "other", Start: 0, Dur: 1})
		}
		spans = append(spans, Span{TraceID: tr, SpanID: id8(2), ParentID: id8(1), Name: "late", Start: 2, Dur: 3})
		wantOrphans := int64(0)
		if gap+1 > window {
			wantOrphans = 1
		}
		for _, k := range []int{1, 2} {
			aggs := make([]*Aggregator, k)
			for i := range aggs {
				aggs[i] = New(Window(window))
			}
			for i, s := range spans {
				// Trace 1 to the first, the others (even IDs) to the last.
				aggs[(k-1)*(1-int(s.TraceID[15])%2)].AddAt(s, int64(i+1))
			}
			for _, a := range aggs[1:] {
				aggs[0].Merge(a)
			}
			r := aggs[0].Result()
			if r.Orphans != wantOrphans {
				t.Errorf("gap %d, k=%d: %d orphans, want %d", gap, k, r.Orphans, wantOrphans)
			}
			if wantOrphans == 0 && statOf(r, "root").Self != 7 {
				t.Errorf("gap %d, k=%d: root self %d, want 7", gap, k, statOf(r, "root").Self)
			}
		}
	}
}

// TestMergeRefusesBy: -by's value caps depend on the order of all spans.
func TestMergeRefusesBy(t *testing.T) {
	defer func() {
		if recover() == nil {
			t.Error("Merge with By did not panic")
		}
	}()
	New(By(3)).Merge(New(By(3)))
}
