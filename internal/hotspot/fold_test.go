package hotspot

import (
	"bytes"
	"encoding/binary"
	"strings"
	"testing"
	"time"
)

// recordFolded simulates the runtime recording t from time at as
// recordCost does, except that the children of t named fold are folded
// (they must be leaves): each costs f.Outer around its work as a span
// costs k.Outer, f.Inner of it inside its own interval, and the calls
// under one parent become one fold record, appended when the parent
// ends, before it (or, with late, after it), which costs the parent's
// End k.FoldRecord after its end time.
func recordFolded(t *costTree, parent uint64, next *uint64, at int64, k, f Cost, fold string, late bool, out *[]Span) int64 {
	*next++
	id := *next
	a, b := k.Outer-k.Inner, k.Inner/2 // a+d before and after, b+c inside
	fa := f.Outer - f.Inner
	at += a / 2
	start := at
	at += b + t.own
	fs := Span{Name: fold, TraceID: [16]byte{1}, Pid: 7}
	binary.BigEndian.PutUint64(fs.ParentID[:], id)
	for _, c := range t.kids {
		if c.name != fold {
			at = recordFolded(c, id, next, at, k, f, fold, late, out)
			continue
		}
		at += fa / 2
		if fs.Folded == 0 {
			fs.Start = at
		}
		fs.Folded++
		fs.Dur += f.Inner + c.own
		at += f.Inner + c.own + (fa - fa/2)
	}
	at += k.Inner - b
	s := Span{Name: t.name, TraceID: [16]byte{1}, Start: start, Dur: at - start, Pid: 7}
	binary.BigEndian.PutUint64(s.SpanID[:], id)
	binary.BigEndian.PutUint64(s.ParentID[:], parent)
	if fs.Folded > 0 && !late {
		*out = append(*out, fs)
	}
	*out = append(*out, s)
	if fs.Folded > 0 && late {
		*out = append(*out, fs)
	}
	if fs.Folded > 0 {
		at += k.FoldRecord // End writes the fold record after the parent's end time
	}
	return at + (a - a/2)
}

// TestFoldCompensation: fold records count their calls exactly, and with
// the process's costs (a span's and a folded call's) every name's total
// and self time is the true one, known by construction, whether the fold
// record reaches the aggregator before its parent (as the runtime writes
// it) or after.
func TestFoldCompensation(t *testing.T) {
	leaf := func(name string, own int64) *costTree { return &costTree{name: name, own: own} }
	mid := &costTree{name: "mid", own: 300}
	for i := range 20 {
		mid.kids = append(mid.kids, leaf("leaf", 20+int64(i)))
	}
	mid.kids = append(mid.kids, leaf("big", 400))
	root := &costTree{name: "root", own: 1000, kids: []*costTree{mid, mid, leaf("other", 500)}}
	k := Cost{Inner: 40, Outer: 140, FoldInner: 10, FoldOuter: 30, FoldRecord: 25}
	total, self := map[string]int64{}, map[string]int64{}
	trueTimes(root, total, self)
	for _, late := range []bool{false, true} {
		var spans []Span
		var next uint64
		recordFolded(root, 0, &next, 1_000_000, k, Cost{Inner: k.FoldInner, Outer: k.FoldOuter}, "leaf", late, &spans)
		agg := New(Flame(true))
		agg.SetCost(7, k)
		for _, s := range spans {
			agg.Add(s)
		}
		r := agg.Result()
		for name, want := range total {
			st := statOf(r, name)
			if st.Total.Nanoseconds() != want || st.Self.Nanoseconds() != self[name] {
				t.Errorf("late %v: %s: total %v, self %v; want %v, %v", late, name, st.Total, st.Self, time.Duration(want), time.Duration(self[name]))
			}
		}
		if st := statOf(r, "leaf"); st.Count != 40 || st.Folded != 40 {
			t.Errorf("late %v: leaf count %d, folded %d; want 40 and 40", late, st.Count, st.Folded)
		}
		if r.Spans != int64(len(spans))-2+40 || r.FoldRecords != 2 {
			t.Errorf("late %v: %d spans, %d fold records; want %d calls and 2", late, r.Spans, r.FoldRecords, len(spans)-2+40)
		}
		var flameSelf int64
		var walk func(f *Frame)
		walk = func(f *Frame) {
			flameSelf += int64(f.Self)
			for _, c := range f.Children {
				walk(c)
			}
		}
		walk(r.Flame)
		if want := total["root"]; flameSelf != want {
			t.Errorf("late %v: flame graph self times sum to %d; want the root's true total %d", late, flameSelf, want)
		}
	}
}

// TestFoldedRows: the table marks a folded row's estimated times with ~,
// the percentiles of a row folded throughout with -, and says so below.
func TestFoldedRows(t *testing.T) {
	a := New()
	a.Add(Span{Name: "main.leaf", TraceID: [16]byte{1}, ParentID: [8]byte{1}, Start: 10, Dur: 3000, Folded: 100, Pid: 1})
	a.Add(Span{Name: "main.part", TraceID: [16]byte{1}, SpanID: [8]byte{2}, ParentID: [8]byte{1}, Start: 5000, Dur: 50, Pid: 1})
	a.Add(Span{Name: "main.part", TraceID: [16]byte{1}, ParentID: [8]byte{1}, Start: 6000, Dur: 500, Folded: 10, Pid: 1})
	a.Add(Span{Name: "main.work", TraceID: [16]byte{1}, SpanID: [8]byte{1}, Start: 0, Dur: 10000, Pid: 1})
	var b bytes.Buffer
	if err := a.Result().WriteTable(&b); err != nil {
		t.Fatal(err)
	}
	out := b.String()
	for _, want := range []string{
		"main.work      1       0       0   10.0µs   6.45µs   64.5%  10.0µs  10.0µs",
		"main.leaf    100       0       0  ~3.00µs  ~3.00µs  ~30.0%   ~30ns       -       -       -       -",
		"main.part     11       0       0   ~550ns   ~550ns   ~5.5%   ~50ns    50ns    50ns    50ns    50ns",
		"~ folded: 110 calls of 2 names in 2 fold records (AUTOTRACE_FOLD)",
		"112 spans (1 root)",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("table lacks %q:\n%s", want, out)
		}
	}
}
