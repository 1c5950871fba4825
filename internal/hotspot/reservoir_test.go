package hotspot

import (
	"encoding/binary"
	"slices"
	"testing"
	"time"
)

// TestSamplesBounded: a name with ten times SampleCap spans keeps
// SampleCap of them, counted exactly, a uniform sample: durations
// 1..N by construction have their median near N/2. Each parent's child
// arrives after it (a late child): every kept parent's self time is its
// duration minus its child's, exactly, whether its slot was reused or not.
func TestSamplesBounded(t *testing.T) {
	const n = 10 * SampleCap
	a := New(KeepSamples(true), TopTraces(0))
	// Children come a batch of parents late, so that a parent's slot may
	// have gone to a later parent by the time its child arrives.
	const batch = 1000
	var children []Span
	for i := int64(1); i <= n; i++ {
		var parent, child Span
		parent.Name, child.Name = "parent", "child"
		binary.BigEndian.PutUint64(parent.TraceID[:8], uint64(i))
		child.TraceID = parent.TraceID
		parent.SpanID[7], child.SpanID[7], child.ParentID[7] = 1, 2, 1
		parent.Start, parent.Dur = i*1000, 100+i // durations 101..n+100
		child.Start, child.Dur = i*1000+10, 30
		a.Add(parent)
		children = append(children, child)
		if len(children) == batch || i == n {
			for _, c := range children {
				a.Add(c)
			}
			children = children[:0]
		}
	}
	r := a.Result()
	var got *Samples
	for i := range r.Samples {
		if r.Samples[i].Name == "parent" {
			got = &r.Samples[i]
		}
	}
	if got == nil || got.Count != n || len(got.Dur) != SampleCap || len(got.Self) != SampleCap {
		t.Fatalf("samples: %+v", got)
	}
	for i := range got.Dur {
		if got.Self[i] != got.Dur[i]-30 {
			t.Fatalf("slot %d: self %v of a span of %v whose only child took 30", i, got.Self[i], got.Dur[i])
		}
	}
	durs := slices.Clone(got.Dur)
	slices.Sort(durs)
	median, want := float64(durs[len(durs)/2]), float64(100+n/2)
	// The median of a uniform sample of 32,768 is within 1% of the
	// population's with overwhelming probability (its standard error is
	// 0.28% of the range here); the seed is fixed, so this never flakes.
	if median < want*0.99 || median > want*1.01 {
		t.Errorf("sample median %v, population median %v", median, want)
	}
	if st := statOf(r, "parent"); st.Count != n || st.Self != sumSelf(n) {
		t.Errorf("stat: count %d self %v, want %d %d", st.Count, st.Self, n, sumSelf(n))
	}
}

// sumSelf is the summed self time of parents 1..n of TestSamplesBounded.
func sumSelf(n int64) time.Duration {
	return time.Duration(n*(n+1)/2 + n*70)
}
