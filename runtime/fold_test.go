package autotrace

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"path/filepath"
	"slices"
	"testing"
	"time"
)

// foldLine is a fold record of the JSON Lines view.
type foldLine struct {
	TraceID  string `json:"trace_id"`
	ParentID string `json:"parent_id"`
	Name     string `json:"name"`
	StartNs  int64  `json:"start_ns"`
	DurNs    int64  `json:"dur_ns"`
	Calls    int64  `json:"calls"`
	Pid      int    `json:"pid"`
}

// foldView is a trace's spans and fold records in file order.
type foldView struct {
	spans []line
	folds []foldLine
	order []string // "s:ID" for a span, "f:PARENT" for a fold record
}

func readFolds(tb testing.TB, path string) foldView {
	tb.Helper()
	var v foldView
	sc := bufio.NewScanner(bytes.NewReader(traceView(tb, path)))
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	for sc.Scan() {
		var l line
		if err := json.Unmarshal(sc.Bytes(), &l); err != nil {
			tb.Fatalf("%v: %q", err, sc.Text())
		}
		switch {
		case l.Fold != nil:
			v.folds = append(v.folds, *l.Fold)
			v.order = append(v.order, "f:"+l.Fold.ParentID)
		case l.Process == nil && l.Cost == nil:
			v.spans = append(v.spans, l)
			v.order = append(v.order, "s:"+l.SpanID)
		}
	}
	return v
}

// calls returns the calls of name in v: spans plus folded calls.
func (v *foldView) calls(name string) (spans, folded int64) {
	for _, s := range v.spans {
		if s.Name == name {
			spans++
		}
	}
	for _, f := range v.folds {
		if f.Name == name {
			folded += f.Calls
		}
	}
	return spans, folded
}

// startFolding turns the active recorder's folding on as calibration
// would (the runtime's tests run without it), with the rule rule and a
// span cost of costNs.
func startFolding(tb testing.TB, rule string, costNs int64) {
	tb.Helper()
	r := active.Load()
	fr, err := parseFoldRule(rule)
	if err != nil {
		tb.Fatal(err)
	}
	r.mu.Lock()
	r.exp.fold.rule = fr
	r.exp.fold.start(cost{outerHere: costNs}, &r.exp.conv)
	r.mu.Unlock()
}

// TestFoldAfterN: a tiny site called in a loop is written in full for its
// first `after` spans, then folded into one record per parent, written
// before its parent (at the parent's end), with every call counted.
func TestFoldAfterN(t *testing.T) {
	for _, name := range traceNames {
		t.Run(name, func(t *testing.T) {
			out := record(t, Config{Out: filepath.Join(t.TempDir(), name)})
			startFolding(t, "after=50", int64(1e9)) // every span is "tiny"
			const parents, perParent = 40, 10
			for range parents {
				p := StartHere("fold.parent")
				for range perParent {
					StartHere("fold.leaf").End()
				}
				p.End()
				Flush() // the exporter learns as it writes
			}
			reset(t)
			v := readFolds(t, out)
			spans, folded := v.calls("fold.leaf")
			if spans+folded != parents*perParent {
				t.Fatalf("fold.leaf: %d spans + %d folded calls; want %d calls", spans, folded, parents*perParent)
			}
			if spans < 50 || folded == 0 {
				t.Fatalf("fold.leaf: %d spans, %d folded; want the first 50 or more in full, then folds", spans, folded)
			}
			if p, _ := v.calls("fold.parent"); p != parents {
				t.Errorf("fold.parent: %d spans; want %d (a parent never folds)", p, parents)
			}
			pos := map[string]int{}
			for i, o := range v.order {
				pos[o] = i
			}
			for _, f := range v.folds {
				if f.Calls != perParent {
					t.Errorf("fold record of %d calls; want one of %d per parent", f.Calls, perParent)
				}
				at, ok := pos["s:"+f.ParentID]
				if !ok || at < pos["f:"+f.ParentID] {
					t.Errorf("fold record under %s: parent at %d (found %v), record at %d; want the parent after it", f.ParentID, at, ok, pos["f:"+f.ParentID])
				}
				if f.DurNs < 0 || f.StartNs <= 0 || f.Pid != pid {
					t.Errorf("fold record %+v: want a start, a duration and this pid", f)
				}
			}
		})
	}
}

// TestFoldErrorsStayFull: a call of a folded site that returns an error,
// or panics, is written in full; its siblings are folded.
func TestFoldErrorsStayFull(t *testing.T) {
	for _, every := range []string{"1", "1024"} { // every call timed; almost none
		t.Run("time="+every, func(t *testing.T) { testFoldErrorsStayFull(t, "after=1,time="+every) })
	}
}

// testFoldErrorsStayFull is TestFoldErrorsStayFull under the rule rule:
// a call written in full lies inside its parent, timed or not (an untimed
// one gets its start from its site's mean, fold.go).
func testFoldErrorsStayFull(t *testing.T, rule string) {
	out := record(t, Config{})
	startFolding(t, rule, int64(1e9))
	setSiteFolded(siteOf("fold.maybe").idx)
	failing := func(fail bool) (err error) {
		s := StartHere("fold.maybe")
		defer s.EndErr(&err)
		if fail {
			return errors.New("boom")
		}
		return nil
	}
	panicking := func() {
		defer func() { _ = recover() }()
		s := StartHere("fold.maybe")
		defer s.End()
		panic("bang")
	}
	p := StartHere("fold.parent")
	failing(false)
	failing(true)
	failing(false)
	panicking()
	failing(false)
	p.End()
	reset(t)
	v := readFolds(t, out)
	var statuses []string
	for _, s := range v.spans {
		if s.Name == "fold.maybe" {
			statuses = append(statuses, s.Status)
		}
	}
	slices.Sort(statuses) // spans ended on different Ps are written in the order of their buffers
	inside(t, v, "fold.maybe", "fold.parent")
	if fmt.Sprint(statuses) != "[error panic]" {
		t.Errorf("fold.maybe spans written in full: %v; want [error panic]", statuses)
	}
	if _, folded := v.calls("fold.maybe"); folded != 3 {
		t.Errorf("fold.maybe: %d folded calls; want 3", folded)
	}
}

// TestFoldTableOverflow: more folded sites under one parent than a
// goroutine's table holds write their aggregates early; every call is
// still counted once, and the table is empty when the parent has ended.
func TestFoldTableOverflow(t *testing.T) {
	out := record(t, Config{})
	startFolding(t, "after=1", int64(1e9))
	const sites, rounds = 3 * foldSlots, 4
	names := make([]string, sites)
	for i := range names {
		names[i] = fmt.Sprintf("fold.site%02d", i)
		setSiteFolded(siteOf(names[i]).idx)
	}
	p := StartHere("fold.parent")
	slot := p.r.rec().slot
	for range rounds {
		for _, n := range names {
			StartHere(n).End()
		}
	}
	p.End()
	if tab := foldTabs[slot].Load(); tab == nil || tab.used.Load() != 0 {
		t.Fatalf("goroutine's table after its parent ended: %v; want made, and empty", tab)
	}
	reset(t)
	v := readFolds(t, out)
	for _, n := range names {
		if spans, folded := v.calls(n); spans != 0 || folded != rounds {
			t.Errorf("%s: %d spans, %d folded calls; want 0 and %d", n, spans, folded, rounds)
		}
	}
	if len(v.folds) <= sites {
		t.Errorf("%d fold records for %d sites; want more: the table holds %d", len(v.folds), sites, foldSlots)
	}
}

// TestFoldOff: AUTOTRACE_FOLD=off keeps every span, and a bad rule warns.
func TestFoldRule(t *testing.T) {
	for _, c := range []struct {
		in   string
		want foldRule
		bad  bool
	}{
		{"", defaultFoldRule, false},
		{"on", defaultFoldRule, false},
		{"off", foldRule{off: true, after: 1000, p90: 4, slow: 8, time: 8}, false},
		{"after=10", foldRule{after: 10, p90: 4, slow: 8, time: 8}, false},
		{"after=200,p90=2.5,slow=3", foldRule{after: 200, p90: 2.5, slow: 3, time: 8}, false},
		{"time=1", foldRule{after: 1000, p90: 4, slow: 8, time: 1}, false},
		{"time=1024", foldRule{after: 1000, p90: 4, slow: 8, time: 1024}, false},
		{"time=3", defaultFoldRule, true},
		{"time=2048", defaultFoldRule, true},
		{"time=0.5", defaultFoldRule, true},
		{"after=1.5", defaultFoldRule, true},
		{"p90=-1", defaultFoldRule, true},
		{"k=16", defaultFoldRule, true},
		{"after", defaultFoldRule, true},
	} {
		got, err := parseFoldRule(c.in)
		if (err != nil) != c.bad || err == nil && got != c.want {
			t.Errorf("parseFoldRule(%q) = %+v, %v; want %+v, error %v", c.in, got, err, c.want, c.bad)
		}
	}
}

// TestFoldOffKeepsSpans: with AUTOTRACE_FOLD=off, calibration folds
// nothing even for a site that would fold.
func TestFoldOffKeepsSpans(t *testing.T) {
	clearEnv(t)
	t.Setenv("AUTOTRACE_FOLD", "off")
	reset(t)
	out := filepath.Join(t.TempDir(), "trace.trace")
	if err := Configure(Config{Out: out}); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { reset(t) })
	r := active.Load()
	r.mu.Lock()
	r.exp.fold.start(cost{outerHere: 1e9}, &r.exp.conv)
	r.mu.Unlock()
	for range 20 {
		p := StartHere("fold.parent")
		for range 100 {
			StartHere("fold.leaf").End()
		}
		p.End()
		Flush()
	}
	reset(t)
	v := readFolds(t, out)
	if spans, folded := v.calls("fold.leaf"); spans != 2000 || folded != 0 {
		t.Errorf("fold.leaf: %d spans, %d folded; want 2000 and 0", spans, folded)
	}
}

// TestFoldKeepsParentsOfChildren: a call of a folded site that starts a
// span of its own (a rare path: a cache miss that loads) is written in
// full, so its child's parent is in the file; its siblings still fold.
// Before, the exporter's "a site with children never folds" was learned
// from the site's first spans only, and a later call's child pointed at
// a parent that was never written.
func TestFoldKeepsParentsOfChildren(t *testing.T) {
	ctxTests := []struct {
		name  string
		child func(ctx context.Context)
	}{
		{"StartHere", func(context.Context) { StartHere("fold.load").End() }},
		{"Start", func(ctx context.Context) { _, s := Start(ctx, "fold.load"); s.End() }},
		{"Start without a span in ctx", func(context.Context) { _, s := Start(context.Background(), "fold.load"); s.End() }},
	}
	for _, tc := range ctxTests {
		for _, every := range []string{"1", "1024"} {
			t.Run(tc.name+"/time="+every, func(t *testing.T) { testFoldKeepsParent(t, "after=1,time="+every, tc.child) })
		}
	}
}

// testFoldKeepsParent is TestFoldKeepsParentsOfChildren under the rule
// rule, the child started by child: the child lies inside its parent,
// which an untimed call reads its start for when the child starts.
func testFoldKeepsParent(t *testing.T, rule string, child func(ctx context.Context)) {
	out := record(t, Config{})
	startFolding(t, rule, int64(1e9))
	setSiteFolded(siteOf("fold.get").idx)
	get := func(ctx context.Context, miss bool) {
		ctx, s := Start(ctx, "fold.get")
		defer s.End()
		if miss {
			child(ctx)
		}
	}
	ctx, p := Start(context.Background(), "fold.parent")
	get(ctx, false)
	get(ctx, true)
	get(ctx, false)
	p.End()
	reset(t)
	v := readFolds(t, out)
	ids := map[string]string{}
	for _, s := range v.spans {
		ids[s.SpanID] = s.Name
	}
	var loads int
	for _, s := range v.spans {
		if s.Name != "fold.load" {
			continue
		}
		loads++
		if ids[s.ParentID] != "fold.get" {
			t.Errorf("fold.load's parent %s is %q in the file; want a fold.get written in full", s.ParentID, ids[s.ParentID])
		}
	}
	if loads != 1 {
		t.Errorf("%d fold.load spans; want 1", loads)
	}
	if spans, folded := v.calls("fold.get"); spans != 1 || folded != 2 {
		t.Errorf("fold.get: %d written, %d folded; want 1 and 2", spans, folded)
	}
	inside(t, v, "fold.load", "fold.get")
	inside(t, v, "fold.get", "fold.parent")
}

// inside checks that every span named name in v has a start and lies
// within its parent, named parent.
func inside(t *testing.T, v foldView, name, parent string) {
	t.Helper()
	byID := map[string]line{}
	for _, s := range v.spans {
		byID[s.SpanID] = s
	}
	for _, s := range v.spans {
		if s.Name != name {
			continue
		}
		p, ok := byID[s.ParentID]
		if !ok || p.Name != parent {
			t.Errorf("%s's parent %s: %q; want %s", name, s.ParentID, p.Name, parent)
			continue
		}
		if s.StartNs <= 0 || s.DurNs < 0 || s.StartNs < p.StartNs || s.StartNs+s.DurNs > p.StartNs+p.DurNs {
			t.Errorf("%s at %d for %d ns; want it inside its %s at %d for %d ns", name, s.StartNs, s.DurNs, parent, p.StartNs, p.DurNs)
		}
	}
}

// TestFoldEstimate: the exporter makes a fold rec's timed calls (their
// count and summed ticks) an estimate for all its calls, and an untimed
// call written in full a start, from the site's mean so far.
func TestFoldEstimate(t *testing.T) {
	var l foldLearner
	fold := func(calls, timed uint64, ticks int64) rec {
		return rec{site: 3, status: statusFold, id: calls | timed<<32, start: 1000, end: 1000 + ticks}
	}
	for _, c := range []struct {
		name     string
		r        rec
		wantDur  int64
		wantMean float64
	}{
		{"no timed call yet: the site's mean is 0", fold(5, 0, 0), 0, 0},
		{"2 of 10 timed, 200 ticks", fold(10, 2, 200), 1000, 100},
		{"none timed: the site's mean", fold(4, 0, 0), 400, 100},
		{"all timed", fold(3, 3, 900), 900, 1100.0 / 5},
		{"1 of 8 timed", fold(8, 1, 20), 160, 1120.0 / 6},
	} {
		r := c.r
		l.estimate(&r)
		calls := c.r.id & maxFoldCalls
		if r.id != calls || r.end-r.start != c.wantDur || r.start != c.r.start {
			t.Errorf("%s: id %d, start %d, dur %d; want %d, %d, %d", c.name, r.id, r.start, r.end-r.start, calls, c.r.start, c.wantDur)
		}
		if m := l.site(3).mean(); m != c.wantMean {
			t.Errorf("%s: site mean %v; want %v", c.name, m, c.wantMean)
		}
	}
	u := rec{site: 3, end: 5000}
	l.placeUntimed(&u)
	if u.start != 5000-186 {
		t.Errorf("untimed call ending at 5000: start %d; want %d (the site's mean, 186.7, before)", u.start, 5000-186)
	}
}

// TestFoldTimedEstimate: with one call in 8 timed, a folded site's calls
// are estimated from the timed calls alone, every call counted: each
// parent's estimate against its calls' bodies' durations, measured inside
// them (the known answer), as the median ratio over the parents, which a
// call preempted on a busy machine does not move.
func TestFoldTimedEstimate(t *testing.T) {
	out := record(t, Config{Out: filepath.Join(t.TempDir(), "t.jsonl")})
	startFolding(t, "after=1,time=8", int64(1e9))
	setSiteFolded(siteOf("fold.spin").idx)
	const spin = 50 * time.Microsecond
	var took time.Duration // the calls' bodies' durations under the current parent
	call := func() {
		s := StartHere("fold.spin")
		defer s.End()
		t0 := time.Now()
		for time.Since(t0) < spin {
		}
		took += time.Since(t0)
	}
	const parents, perParent = 100, 16
	truth := map[string]time.Duration{} // by parent span id
	for range parents {
		p := StartHere("fold.parent")
		id := fmt.Sprintf("%016x", p.sid())
		took = 0
		for range perParent {
			call()
		}
		p.End()
		truth[id] = took
	}
	reset(t)
	v := readFolds(t, out)
	spans, folded := v.calls("fold.spin")
	if spans+folded != parents*perParent || folded == 0 {
		t.Fatalf("fold.spin: %d spans + %d folded calls; want %d calls, folded", spans, folded, parents*perParent)
	}
	est := map[string]time.Duration{}
	for _, f := range v.folds {
		est[f.ParentID] += time.Duration(f.DurNs)
	}
	for _, s := range v.spans {
		if s.Name == "fold.spin" {
			est[s.ParentID] += time.Duration(s.DurNs)
		}
	}
	var ratios []float64
	for id, want := range truth {
		ratios = append(ratios, float64(est[id])/float64(want))
	}
	slices.Sort(ratios)
	// A span also holds a little of its own recording (inner): under the
	// race detector, up to a few per cent of these calls.
	if m := ratios[len(ratios)/2]; m < 0.97 || m > 1.1 {
		t.Errorf("median over %d parents of estimated / measured time of their calls' bodies: %.3f; want 0.97 to 1.1", len(ratios), m)
	}
}
