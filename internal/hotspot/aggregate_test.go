package hotspot

import (
	"encoding/binary"
	"math/rand/v2"
	"reflect"
	"slices"
	"testing"
	"time"
)

func TestSelfTime(t *testing.T) {
	tests := []struct {
		name  string
		spans []Span // children first, as they end
		want  map[string]time.Duration
	}{
		{
			name:  "leaf",
			spans: []Span{sp(1, 1, 0, "root", 0, 100)},
			want:  map[string]time.Duration{"root": 100},
		},
		{
			name: "sequential children",
			spans: []Span{
				sp(1, 2, 1, "a", 10, 20),
				sp(1, 3, 1, "b", 40, 30),
				sp(1, 1, 0, "root", 0, 100),
			},
			want: map[string]time.Duration{"root": 50, "a": 20, "b": 30},
		},
		{
			name: "overlapping concurrent children count once",
			spans: []Span{
				sp(1, 2, 1, "q", 10, 50), // 10..60
				sp(1, 3, 1, "q", 20, 20), // 20..40 inside the first
				sp(1, 4, 1, "q", 50, 30), // 50..80 overlaps the first
				sp(1, 1, 0, "root", 0, 100),
			},
			want: map[string]time.Duration{"root": 30, "q": 100},
		},
		{
			name: "child outliving its parent is clipped",
			spans: []Span{
				sp(1, 2, 1, "go", 80, 100), // 80..180, parent ends at 100
				sp(1, 1, 0, "root", 0, 100),
			},
			want: map[string]time.Duration{"root": 80, "go": 100},
		},
		{
			name: "late child, after its parent",
			spans: []Span{
				sp(1, 1, 0, "root", 0, 100),
				sp(1, 2, 1, "go", 80, 100),
				sp(1, 3, 1, "go", 90, 5), // inside the first: nothing new
			},
			want: map[string]time.Duration{"root": 80, "go": 105},
		},
		{
			name: "same span ids in different traces do not mix",
			spans: []Span{
				sp(1, 2, 1, "a", 0, 10),
				sp(2, 1, 0, "root", 0, 100),
				sp(1, 1, 0, "root", 0, 100),
			},
			want: map[string]time.Duration{"root": 190, "a": 10},
		},
		{
			name: "grandchildren only reduce their parent",
			spans: []Span{
				sp(1, 3, 2, "leaf", 20, 10),
				sp(1, 2, 1, "mid", 10, 40),
				sp(1, 1, 0, "root", 0, 100),
			},
			want: map[string]time.Duration{"root": 60, "mid": 30, "leaf": 10},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a := New(Flame(true))
			for _, s := range tt.spans {
				a.Add(s)
			}
			r := a.Result()
			got := map[string]time.Duration{}
			for _, s := range r.Stats {
				got[s.Name] = s.Self
			}
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("self = %v, want %v", got, tt.want)
			}
			var flameSelf int64
			r.Flame.Walk(func(_ []string, f *Frame) { flameSelf += f.Self })
			var want int64
			for _, d := range tt.want {
				want += int64(d)
			}
			if flameSelf != want {
				t.Errorf("flame self sum = %d, want %d", flameSelf, want)
			}
		})
	}
}

func TestCounts(t *testing.T) {
	a := New()
	a.Add(withStatus(sp(1, 2, 1, "a", 0, 10), StatusError))
	a.Add(withStatus(sp(1, 3, 1, "a", 0, 30), StatusPanic))
	a.Add(sp(1, 4, 1, "a", 0, 20))
	a.Add(withStatus(sp(1, 1, 0, "root", 0, 100), StatusPanic))
	r := a.Result()
	got := statOf(r, "a")
	want := Stat{Name: "a", Count: 3, Errors: 1, Panics: 1, Total: 60, Self: 60, Mean: 20, P50: 20, P95: 30, P99: 30, Max: 30}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("a = %+v\nwant %+v", got, want)
	}
	if r.Spans != 4 || r.Roots != 1 || r.Orphans != 0 {
		t.Errorf("spans, roots, orphans = %d, %d, %d; want 4, 1, 0", r.Spans, r.Roots, r.Orphans)
	}
	if r.Stats[0].Name != "root" {
		t.Errorf("first row %q, want the most self time (root: 70)", r.Stats[0].Name)
	}
}

// TestOrderInvariant feeds the same multi-process traces in many orders:
// the result must not depend on the order while the window holds.
func TestOrderInvariant(t *testing.T) {
	spans := []Span{
		withPid(sp(1, 1, 0, "api.Handle", 0, 1000), 10),
		withPid(sp(1, 2, 1, "svc.Do", 100, 800), 10),
		withPid(sp(1, 3, 2, "db.Query", 150, 300), 10),
		withPid(sp(1, 4, 2, "db.Query", 300, 300), 10),
		withPid(sp(1, 5, 2, "rpc.Call", 650, 200), 10),
		withPid(sp(1, 6, 5, "worker.Run", 660, 180), 11), // other process
		withPid(sp(1, 7, 6, "db.Query", 700, 100), 11),
		withPid(sp(1, 8, 1, "api.send", 900, 500), 10), // outlives the root
		withPid(sp(2, 1, 0, "api.Handle", 2000, 50), 10),
		withPid(sp(2, 2, 9, "svc.Do", 2010, 20), 10), // parent dropped
	}
	base := New(Flame(true))
	for _, s := range spans {
		base.Add(s)
	}
	want := base.Result()
	if want.Orphans != 1 {
		t.Fatalf("orphans = %d, want 1", want.Orphans)
	}
	rng := rand.New(rand.NewPCG(1, 2))
	for i := range 200 {
		order := slices.Clone(spans)
		rng.Shuffle(len(order), func(i, j int) { order[i], order[j] = order[j], order[i] })
		a := New(Flame(true))
		for _, s := range order {
			a.Add(s)
		}
		got := a.Result()
		got.Late, got.Traces = want.Late, want.Traces
		if !reflect.DeepEqual(got.Stats, want.Stats) || !reflect.DeepEqual(got.Flame, want.Flame) || got.Orphans != want.Orphans {
			t.Fatalf("order %d %v:\ngot  %+v\nwant %+v", i, names(order), got.Stats, want.Stats)
		}
	}
}

func names(spans []Span) []string {
	var out []string
	for _, s := range spans {
		out = append(out, s.Name)
	}
	return out
}

func TestFlamePaths(t *testing.T) {
	a := New(Flame(true))
	for tr := byte(1); tr <= 3; tr++ {
		a.Add(sp(tr, 3, 2, "c", 20, 10))
		a.Add(sp(tr, 2, 1, "b", 10, 40))
		a.Add(sp(tr, 4, 1, "c", 60, 10))
		a.Add(sp(tr, 1, 0, "a", 0, 100))
	}
	got := map[string][2]int64{}
	a.Result().Flame.Walk(func(path []string, f *Frame) {
		got[joinPath(path)] = [2]int64{f.Self, f.Count}
	})
	want := map[string][2]int64{
		"a": {150, 3}, "a;b": {90, 3}, "a;b;c": {30, 3}, "a;c": {30, 3},
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("flame = %v, want %v", got, want)
	}
}

func joinPath(p []string) string {
	s := ""
	for i, x := range p {
		if i > 0 {
			s += ";"
		}
		s += x
	}
	return s
}

func TestPendingCap(t *testing.T) {
	a := New(MaxPending(10), Flame(true))
	// 20 children whose parents never come (each a parent entry of 3
	// units: itself, one interval, one flame node), then one whose parent
	// does.
	for i := range 20 {
		a.Add(sp(byte(i+10), 2, 1, "orphan", 0, 10))
	}
	a.Add(sp(1, 2, 1, "kid", 0, 10))
	a.Add(sp(1, 1, 0, "root", 0, 100))
	r := a.Result()
	if r.Evicted+r.Orphans != 20 || r.Evicted == 0 {
		t.Errorf("evicted, orphans = %d, %d; want 20 in all, some evicted", r.Evicted, r.Orphans)
	}
	if got := statOf(r, "root").Self; got != 90 {
		t.Errorf("root self = %v, want 90 (its child was matched)", got)
	}
	if a.live > 10 {
		t.Errorf("live = %d, over the cap", a.live)
	}
}

func TestWindowBound(t *testing.T) {
	a := New(Window(4))
	for i := range 100 {
		a.Add(sp(byte(i), 1, 0, "root", 0, 10))
	}
	if len(a.done) != 4 || a.doneIdx.n != 4 {
		t.Errorf("window holds %d (%d indexed), want 4", len(a.done), a.doneIdx.n)
	}
}

func TestTopTraces(t *testing.T) {
	a := New(TopTraces(3))
	durs := []int64{50, 10, 70, 30, 90, 20, 60}
	for i, d := range durs {
		a.Add(sp(byte(i+1), 2, 1, "child", 0, d/2))
		a.Add(sp(byte(i+1), 1, 0, "root", 0, d))
	}
	a.Add(sp(2, 3, 1, "late", 0, 95)) // trace 2 becomes the slowest
	var got []time.Duration
	for _, tr := range a.Result().Traces {
		got = append(got, tr.Dur)
	}
	want := []time.Duration{95, 90, 70}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("top traces %v, want %v", got, want)
	}
}

func TestProcesses(t *testing.T) {
	a := New()
	a.AddProcess(Process{Pid: 7, Cmd: "worker", Dropped: 2, Pending: 1, Open: []string{"w.Loop"}})
	a.AddProcess(Process{Pid: 3, Cmd: "api"})
	a.AddProcess(Process{Pid: 7, Dropped: 3})
	r := a.Result()
	if len(r.Processes) != 2 || r.Processes[0].Pid != 3 || r.Dropped() != 5 || r.Open() != 1 {
		t.Errorf("processes %+v", r.Processes)
	}
}

// TestLateChildAcrossBuffers: the runtime writes one P's buffer after
// another, so a child can reach the file a buffer (65,536 spans) or more
// after its parent; at the default window it still counts against its
// parent's self time. Past the window it is an orphan, and says so.
func TestLateChildAcrossBuffers(t *testing.T) {
	for _, tt := range []struct {
		between int
		orphans int64
	}{{120_000, 0}, {DefaultWindow + 10, 1}} {
		a := New()
		parent := sp(1, 1, 0, "parent", 0, 100)
		a.Add(parent)
		for i := range tt.between {
			s := sp(2, 0, 0, "other", 0, 1)
			binary.BigEndian.PutUint64(s.SpanID[:], uint64(i+10))
			a.Add(s)
		}
		a.Add(sp(1, 2, 1, "child", 10, 60))
		r := a.Result()
		if r.Orphans != tt.orphans {
			t.Errorf("%d spans between: %d orphans, want %d", tt.between, r.Orphans, tt.orphans)
		}
		if self, want := statOf(r, "parent").Self, time.Duration(100-60*(1-tt.orphans)); self != want {
			t.Errorf("%d spans between: parent self %d, want %d", tt.between, self, want)
		}
	}
}
