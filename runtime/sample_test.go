package autotrace

import (
	"context"
	"math"
	"testing"
)

func TestSamplingRatioAndChildrenFollowRoot(t *testing.T) {
	const roots, rate = 20_000, 0.25
	out := record(t, Config{Sample: rate, BufferSize: 1 << 17})
	for i := 0; i < roots; i++ {
		ctx, root := Start(context.Background(), "root")
		_, child := Start(ctx, "child")
		here := StartHere("here") // under child, via the goroutine
		if (root.isZero() || root.recording() == nil) != (child.isZero()) || (child.isZero()) != (here.isZero()) {
			t.Fatalf("root %v, child %v, here %v: children must follow the root", root, child, here)
		}
		here.End()
		child.End()
		root.End()
	}
	Flush()
	counts := map[string]int{}
	traces := map[string]int{}
	for _, s := range mustSpans(t, out) {
		counts[s.Name]++
		traces[s.TraceID]++
	}
	kept := float64(counts["root"]) / roots
	// 5 standard deviations of a binomial: flaky once in millions of runs.
	if sd := math.Sqrt(rate * (1 - rate) / roots); math.Abs(kept-rate) > 5*sd {
		t.Errorf("kept %.4f of roots, want %.2f ± %.4f", kept, rate, 5*sd)
	}
	if counts["child"] != counts["root"] || counts["here"] != counts["root"] {
		t.Errorf("counts %v: children must be kept exactly with their root", counts)
	}
	for id, n := range traces {
		if n != 3 {
			t.Fatalf("trace %s has %d spans, want 3", id, n)
		}
	}
}

func TestSampleFromEnvironment(t *testing.T) {
	clearEnv(t)
	reset(t)
	t.Cleanup(func() { reset(t) })
	t.Setenv("AUTOTRACE_OUT", t.TempDir()+"/s.trace")
	t.Setenv("AUTOTRACE_SAMPLE", "0")
	for i := 0; i < 100; i++ {
		if sp := StartHere("never"); sp.recording() != nil {
			t.Fatal("AUTOTRACE_SAMPLE=0 recorded a root")
		} else {
			sp.End()
		}
	}
}
