package hotspot

import (
	"encoding/binary"
	"strings"
	"testing"
	"time"
)

// costTree is a function of a program built for a known answer: it works
// own nanoseconds of its own, then calls its children in turn.
type costTree struct {
	name string
	own  int64
	kids []*costTree
}

// recordCost simulates recording t from time at, as the runtime does: a
// nanoseconds of Start before the start clock read, b after it, c of End
// before the end clock read, d after it (so Inner = b+c, Outer =
// a+b+c+d). It appends the spans in the order they end, and returns the
// time after the call.
func recordCost(t *costTree, parent uint64, next *uint64, at int64, a, b, c, d int64, out *[]Span) int64 {
	*next++
	id := *next
	at += a
	start := at
	at += b + t.own
	for _, k := range t.kids {
		at = recordCost(k, id, next, at, a, b, c, d, out)
	}
	at += c
	s := Span{Name: t.name, Start: start, Dur: at - start, Pid: 7}
	s.TraceID[0] = 1
	binary.BigEndian.PutUint64(s.SpanID[:], id)
	binary.BigEndian.PutUint64(s.ParentID[:], parent)
	*out = append(*out, s)
	return at + d
}

// trueTimes returns each name's true total and self time: its work and
// its children's, without any recording cost.
func trueTimes(t *costTree, total, self map[string]int64) int64 {
	dur := t.own
	for _, k := range t.kids {
		dur += trueTimes(k, total, self)
	}
	total[t.name] += dur
	self[t.name] += t.own
	return dur
}

// TestCostCompensation: with the recording cost of its process set, the
// aggregator's totals and self times are the program's true ones, known by
// construction, whatever the tree's shape; children that arrive after
// their parent (late) included; with Raw, the measured ones. An end clock
// read that comes before the span's own work has finished (c < 0: Inner
// negative) leaves that much of the child's work in its parent's self
// time, and compensation gives it back.
func TestCostCompensation(t *testing.T) {
	for _, k := range []struct {
		name       string
		a, b, c, d int64
	}{
		{"inner positive", 40, 15, 25, 60},
		{"end read early", 40, 15, -20, 70},
	} {
		t.Run(k.name, func(t *testing.T) { testCostCompensation(t, k.a, k.b, k.c, k.d) })
	}
}

func testCostCompensation(t *testing.T, a, b, c, d int64) {
	leaf := func(name string, own int64) *costTree { return &costTree{name: name, own: own} }
	mid := &costTree{name: "mid", own: 300}
	for i := range 20 {
		mid.kids = append(mid.kids, leaf("leaf", 20+int64(i)))
	}
	root := &costTree{name: "root", own: 1000, kids: []*costTree{mid, mid, leaf("other", 500)}}
	cost := Cost{Inner: b + c, Outer: a + b + c + d}

	var spans []Span
	var next uint64
	recordCost(root, 0, &next, 1_000_000, a, b, c, d, &spans)
	total, self := map[string]int64{}, map[string]int64{}
	trueTimes(root, total, self)

	late := make([]Span, len(spans))
	copy(late, spans)
	// The parents of the first leaves arrive before them.
	late[0], late[len(late)/2] = late[len(late)/2], late[0]

	for _, tt := range []struct {
		name  string
		spans []Span
		raw   bool
	}{
		{"children first", spans, false},
		{"some late children", late, false},
		{"raw", spans, true},
	} {
		t.Run(tt.name, func(t *testing.T) {
			agg := New(Raw(tt.raw))
			agg.SetCost(7, cost)
			for _, s := range tt.spans {
				agg.Add(s)
			}
			r := agg.Result()
			for name, want := range total {
				st := statOf(r, name)
				gotTotal, gotSelf := st.Total.Nanoseconds(), st.Self.Nanoseconds()
				if tt.raw {
					// A leaf whose end is read early measures under its work; else recording adds.
					under := b+c < 0 && (name == "leaf" || name == "other")
					if under != (gotTotal < want) || under != (gotSelf < self[name]) || gotTotal == want || gotSelf == self[name] {
						t.Errorf("%s: raw total %d, self %d; want both over the true %d, %d (under, for a leaf read early: %v)", name, gotTotal, gotSelf, want, self[name], under)
					}
					continue
				}
				if gotTotal != want || gotSelf != self[name] {
					t.Errorf("%s: total %v, self %v; want %v, %v", name, st.Total, st.Self, time.Duration(want), time.Duration(self[name]))
				}
			}
			if !tt.raw && (r.Compensated != int64(len(spans)) || r.Costs[7] != cost) {
				t.Errorf("Compensated %d, Costs %v; want %d, %v", r.Compensated, r.Costs, len(spans), cost)
			}
		})
	}
}

// TestStallNote: the recorder's stall spans are summed in the footer, and
// a trace without them says nothing.
func TestStallNote(t *testing.T) {
	a := New()
	a.Add(Span{Name: "main.work", TraceID: [16]byte{1}, SpanID: [8]byte{1}, Start: 0, Dur: 100})
	if note := a.Result().StallNote(); note != "" {
		t.Errorf("no stalls, note %q", note)
	}
	a.Add(Span{Name: StallName, TraceID: [16]byte{1}, SpanID: [8]byte{2}, ParentID: [8]byte{1}, Start: 10, Dur: 30_000_000})
	a.Add(Span{Name: StallName, TraceID: [16]byte{1}, SpanID: [8]byte{3}, ParentID: [8]byte{1}, Start: 20, Dur: 10_000_000})
	note := a.Result().StallNote()
	if !strings.Contains(note, "40.0ms") || !strings.Contains(note, "2 stalls") {
		t.Errorf("note %q: want 40ms in 2 stalls", note)
	}
}
