package compare

import (
	"math"
	"math/rand/v2"
	"reflect"
	"slices"
	"testing"

	"github.com/autotrace/autotrace/internal/hotspot"
)

// baseGen is the base run of the known-answer tests: five kinds of child,
// with samples large (normal approximation) and small (exact
// distribution), with coarse durations (ties) and without.
var baseGen = traceGen{
	traces:   200,
	rootSelf: 50_000,
	children: []childGen{
		{name: "app.load", calls: 1, median: 2e6, sigma: 0.3},
		{name: "app.query", calls: 3, median: 400e3, sigma: 0.4},
		{name: "app.render", calls: 1, median: 800e3, sigma: 0.25, quantum: 50_000},
		{name: "app.audit", calls: 1, median: 300e3, sigma: 0.1, quantum: 10_000, every: 10}, // 20 spans
		{name: "app.cache", calls: 1, median: 100e3, sigma: 0.1, every: 8},                   // 25 spans
	},
}

// with returns g with the child named name changed by f.
func (g traceGen) with(name string, f func(*childGen)) traceGen {
	g.children = slices.Clone(g.children)
	for i := range g.children {
		if g.children[i].name == name {
			f(&g.children[i])
		}
	}
	return g
}

// flagged returns the names of the rows that regress.
func flagged(res *Result) []string {
	var out []string
	for i := range res.Rows {
		if res.Rows[i].Regression() {
			out = append(out, res.Rows[i].Name)
		}
	}
	return out
}

func row(t *testing.T, res *Result, name string) *Row {
	t.Helper()
	for i := range res.Rows {
		if res.Rows[i].Name == name {
			return &res.Rows[i]
		}
	}
	t.Fatalf("no row %s", name)
	return nil
}

// TestOneSpanSlower makes one kind of span 25% slower, the others drawn
// from the same distributions with other seeds: exactly that one must be
// flagged, with either metric (under total, the root's duration grows
// too, by less than the threshold).
func TestOneSpanSlower(t *testing.T) {
	for _, slow := range []string{"app.load", "app.query", "app.render", "app.audit", "app.cache"} {
		for seed := range uint64(5) {
			head := baseGen.with(slow, func(c *childGen) { c.median *= 1.25 })
			base := sideOf(baseGen.spans(rand.New(rand.NewPCG(seed, 1)), 0))
			hd := sideOf(head.spans(rand.New(rand.NewPCG(seed, 2)), 1<<32))
			res := Compare(base, hd, DefaultOptions)
			if got := flagged(res); !slices.Equal(got, []string{slow}) {
				t.Errorf("%s 25%% slower, seed %d: flagged %v, want just it", slow, seed, got)
				continue
			}
			r := &res.Rows[0]
			if r.Name != slow || !r.Slower || r.MoreCalls || r.Verdict(0.05) != "slower" {
				t.Errorf("%s seed %d: first row %s slower=%v more=%v verdict %q", slow, seed, r.Name, r.Slower, r.MoreCalls, r.Verdict(0.05))
			}
			if r.Change < 0.10 || r.Change > 0.40 { // the medians of 20 coarse values move in steps
				t.Errorf("%s seed %d: change %+.1f%%, want about +25%%", slow, seed, 100*r.Change)
			}
		}
	}
}

// TestAA compares two halves of one run split at random, 200 seeds: a
// calibrated test finds a difference (p < alpha) in about alpha of the
// span-runs. Bound it at twice alpha, and above a quarter of alpha so a
// test that never fires fails too. With a zero threshold every significant
// slowdown would fail CI: count those as well.
func TestAA(t *testing.T) {
	gen := baseGen
	gen.traces = 400
	const seeds = 200
	opt := DefaultOptions
	opt.Threshold = 0
	var runs, significant, failed int
	exact := map[bool]int{}
	for seed := range uint64(seeds) {
		rng := rand.New(rand.NewPCG(seed, 42))
		all := gen.spans(rng, 0)
		// Split whole traces: a trace goes to one side or the other.
		byTrace := map[[16]byte]bool{}
		var a, b []hotspot.Span
		for _, s := range all {
			side, ok := byTrace[s.TraceID]
			if !ok {
				side = rng.IntN(2) == 0
				byTrace[s.TraceID] = side
			}
			if side {
				a = append(a, s)
			} else {
				b = append(b, s)
			}
		}
		res := Compare(sideOf(a), sideOf(b), opt)
		for i := range res.Rows {
			r := &res.Rows[i]
			if r.Test == nil {
				continue
			}
			runs++
			exact[r.Test.Exact]++
			if r.Significant(opt.Alpha) {
				significant++
			}
			if r.Slower {
				failed++
			}
		}
	}
	rate := float64(significant) / float64(runs)
	t.Logf("A/A: %d of %d span-runs significant (%.3f), %d slower; %d exact tests, %d normal", significant, runs, rate, failed, exact[true], exact[false])
	if runs != seeds*6 {
		t.Errorf("%d span-runs tested, want %d (6 names, 200 seeds)", runs, seeds*6)
	}
	if rate > 2*opt.Alpha || rate < opt.Alpha/4 {
		t.Errorf("significant in %.3f of A/A span-runs, want about alpha = %v", rate, opt.Alpha)
	}
	if float64(failed)/float64(runs) > 2*opt.Alpha {
		t.Errorf("%d of %d A/A span-runs slower", failed, runs)
	}
	if exact[true] == 0 || exact[false] == 0 {
		t.Errorf("A/A ran %d exact and %d normal tests, want both", exact[true], exact[false])
	}
}

// TestCallsTripled calls one span three times as often per trace, from the
// same distribution: flagged for more calls, not as slower.
func TestCallsTripled(t *testing.T) {
	head := baseGen.with("app.load", func(c *childGen) { c.calls *= 3 })
	base := sideOf(baseGen.spans(rand.New(rand.NewPCG(7, 1)), 0))
	hd := sideOf(head.spans(rand.New(rand.NewPCG(7, 2)), 1<<32))
	res := Compare(base, hd, DefaultOptions)
	if got := flagged(res); !slices.Equal(got, []string{"app.load"}) {
		t.Fatalf("flagged %v, want [app.load]", got)
	}
	r := row(t, res, "app.load")
	if !r.MoreCalls || r.Slower || math.Abs(r.CallsChange-2) > 1e-9 || r.Verdict(0.05) != "more calls" {
		t.Errorf("more=%v slower=%v calls change %+.0f%% verdict %q, want more calls, +200%%", r.MoreCalls, r.Slower, 100*r.CallsChange, r.Verdict(0.05))
	}
	if r.Base.CallsPerTrace != 1 || r.Head.CallsPerTrace != 3 {
		t.Errorf("calls per trace %v → %v, want 1 → 3", r.Base.CallsPerTrace, r.Head.CallsPerTrace)
	}
	opt := DefaultOptions
	opt.Calls = false
	if got := flagged(Compare(base, hd, opt)); len(got) != 0 {
		t.Errorf("with -calls=false: flagged %v, want none", got)
	}
}

// TestTooFew makes a rare span ten times slower: with fewer spans than
// -min-count on a side there is no test and no verdict.
func TestTooFew(t *testing.T) {
	gen := baseGen.with("app.audit", func(c *childGen) { c.every = 50 }) // 4 spans
	head := gen.with("app.audit", func(c *childGen) { c.median *= 10 })
	base := sideOf(gen.spans(rand.New(rand.NewPCG(1, 1)), 0))
	hd := sideOf(head.spans(rand.New(rand.NewPCG(1, 2)), 1<<32))
	res := Compare(base, hd, DefaultOptions)
	r := row(t, res, "app.audit")
	if !r.TooFew || r.Test != nil || r.Regression() || r.Verdict(0.05) != "too few" {
		t.Errorf("too few=%v test=%v regression=%v verdict %q", r.TooFew, r.Test, r.Regression(), r.Verdict(0.05))
	}
	if len(flagged(res)) != 0 {
		t.Errorf("flagged %v, want none", flagged(res))
	}
	opt := DefaultOptions
	opt.MinCount = 4 // now it has a test: 4 against 4 can reach p = 0.029
	if r := row(t, Compare(sideOf(gen.spans(rand.New(rand.NewPCG(1, 1)), 0)), sideOf(head.spans(rand.New(rand.NewPCG(1, 2)), 1<<32)), opt), "app.audit"); !r.Slower {
		t.Errorf("with -min-count 4: slower=%v p=%v", r.Slower, r.Test)
	}
}

// TestOneSided lists names seen on one side only, without failing.
func TestOneSided(t *testing.T) {
	base := sideOf(baseGen.spans(rand.New(rand.NewPCG(1, 1)), 0))
	head := baseGen.with("app.audit", func(c *childGen) { c.name = "app.audit2" })
	res := Compare(base, sideOf(head.spans(rand.New(rand.NewPCG(1, 2)), 1<<32)), DefaultOptions)
	if r := row(t, res, "app.audit"); r.Head != nil || r.Verdict(0.05) != "base only" || r.Regression() {
		t.Errorf("app.audit: verdict %q", r.Verdict(0.05))
	}
	if r := row(t, res, "app.audit2"); r.Base != nil || r.Verdict(0.05) != "head only" || r.Regression() {
		t.Errorf("app.audit2: verdict %q", r.Verdict(0.05))
	}
	if last := res.Rows[len(res.Rows)-1].Name; last != "app.audit2" && last != "app.audit" {
		t.Errorf("last row %s, want a one-sided name", last)
	}
}

// TestFilters checks -only and -skip.
func TestFilters(t *testing.T) {
	s := sideOf(baseGen.spans(rand.New(rand.NewPCG(1, 1)), 0))
	names := func(o Options) []string {
		var out []string
		for _, r := range Compare(s, s, o).Rows {
			out = append(out, r.Name)
		}
		slices.Sort(out)
		return out
	}
	o := DefaultOptions
	if err := o.set("self", "table", `^app\.(load|query)$`, ""); err != nil {
		t.Fatal(err)
	}
	if got := names(o); !slices.Equal(got, []string{"app.load", "app.query"}) {
		t.Errorf("-only: %v", got)
	}
	o = DefaultOptions
	if err := o.set("self", "table", "", "a"); err != nil { // unanchored: every name has an a
		t.Fatal(err)
	}
	if got := names(o); len(got) != 0 {
		t.Errorf("-skip a: %v", got)
	}
}

// TestPercentiles checks the summary figures on known samples.
func TestPercentiles(t *testing.T) {
	dur := []float32{50, 10, 40, 20, 30, 60}
	self := []float32{5, 1, 4, 2, 3, 6}
	s := summarize(int64(len(dur)), dur, self, 3, Total)
	want := Summary{Count: 6, CallsPerTrace: 2, SelfP50: 3, SelfP95: 6, TotalP50: 35, TotalP95: 60}
	got := *s
	got.metric = nil
	if !reflect.DeepEqual(got, want) {
		t.Errorf("summary %+v, want %+v", got, want)
	}
	if !slices.Equal(s.metric, []float32{10, 20, 30, 40, 50, 60}) {
		t.Errorf("total metric samples %v", s.metric)
	}
}
