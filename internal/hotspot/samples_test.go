package hotspot

import (
	"reflect"
	"testing"
)

// TestSamples checks the per-span durations and self times kept with the
// Samples option, children that arrive after their parent included, and
// that they add up to the per-name totals.
func TestSamples(t *testing.T) {
	spans := []Span{
		sp(1, 2, 1, "work", 10, 20),  // child of the first root
		sp(1, 1, 0, "root", 0, 100),  // self 80 once its children are in
		sp(2, 1, 0, "root", 0, 50),   // second trace: its child arrives late
		sp(2, 2, 1, "work", 10, 30),  // late child: root's self 20
		sp(2, 3, 1, "work", 30, 100), // late, overlaps and outlives: adds 10
		sp(3, 1, 0, "other", 0, 7),
	}
	a := New(KeepSamples(true))
	for _, s := range spans {
		a.Add(s)
	}
	r := a.Result()
	want := []Samples{
		{Name: "work", Count: 3, Dur: []float32{20, 30, 100}, Self: []float32{20, 30, 100}},
		{Name: "root", Count: 2, Dur: []float32{100, 50}, Self: []float32{80, 10}},
		{Name: "other", Count: 1, Dur: []float32{7}, Self: []float32{7}},
	}
	if !reflect.DeepEqual(r.Samples, want) {
		t.Fatalf("samples = %+v\nwant %+v", r.Samples, want)
	}
	for _, s := range r.Samples {
		var self float32
		for _, v := range s.Self {
			self += v
		}
		if st := statOf(r, s.Name); float32(st.Self) != self {
			t.Errorf("%s: samples' self %v, stat's %d", s.Name, self, st.Self)
		}
	}
	if New().Result().Samples != nil {
		t.Error("samples kept without the option")
	}
}
