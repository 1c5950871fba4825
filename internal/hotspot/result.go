package hotspot

import (
	"maps"
	"slices"
	"time"
)

// Result is a snapshot of an Aggregator.
type Result struct {
	Stats     []Stat    // per span name, most self time first
	Spans     int64     // spans added
	Roots     int64     // spans without a parent
	Start     int64     // earliest span start, Unix nanoseconds
	End       int64     // latest span end, Unix nanoseconds
	Traces    []Trace   // the slowest traces, slowest first
	Flame     *Frame    // aggregated flame graph root (Name ""); nil unless the Flame option is on
	Processes []Process // from process records, by pid
	Samples   []Samples // per span name, in order of first arrival; nil unless the KeepSamples option is on
	// By names the attributes the Stats' Groups break time down by, in
	// order; the caller sets it, for labels.
	By []string

	// Late counts children that arrived after their parent and were still
	// matched to it.
	Late int64
	// Orphans counts spans whose parent never arrived: a parent that was
	// dropped, lives in a process whose trace is not in the input, or
	// finished too long before them (see Window). They count as roots.
	Orphans int64
	// Window is the finished spans the Aggregator kept for late children
	// (see Window): an orphan's parent, if in the input, ended more than
	// Window spans before it.
	Window int64
	// Evicted counts spans given up while waiting for their parent because
	// the pending set was full (see MaxPending). They count as roots too.
	Evicted int64

	// Approx counts spans whose self time is approximate: a child reached
	// back past the newest intervals a parent keeps of its children's
	// union (see coverage), into a stretch of them with gaps.
	Approx int64

	allSelf  time.Duration // self time of every name, when SelectRows left some out
	rowsNote string        // how SelectRows chose and ordered the rows, for the footer

	// Costs are the recording costs subtracted, per pid (see
	// Aggregator.SetCost); Compensated counts the spans they were
	// subtracted from and Subtracted the nanoseconds taken off their
	// durations in all.
	Costs       map[int]Cost
	Compensated int64
	Subtracted  int64

	// FoldRecords counts fold records added (Span.Folded): the calls they
	// hold are in Spans and in their names' Count.
	FoldRecords int64

	// Malformed counts input lines that could not be read as a record; the
	// reader sets it, with the positions ("file:line") of the first few.
	Malformed   int64
	MalformedAt []string
}

// Samples are the durations and self times of the spans of one name, in
// nanoseconds (float32: see KeepSamples): every span's in order of arrival
// up to SampleCap, a uniform sample of SampleCap beyond. The slices are the
// Aggregator's own: a later Add may change them.
type Samples struct {
	Name      string
	Count     int64 // spans of the name, kept or not
	Dur, Self []float32
}

// Dropped returns the spans that recording processes dropped.
func (r *Result) Dropped() int64 {
	var n int64
	for _, p := range r.Processes {
		n += p.Dropped
	}
	return n
}

// Open returns the spans that recording processes started and never ended.
func (r *Result) Open() int64 {
	var n int64
	for _, p := range r.Processes {
		n += p.Pending
	}
	return n
}

// Result returns the statistics so far. Spans still waiting for a parent
// count as roots (Orphans). The Aggregator stays usable.
func (a *Aggregator) Result() *Result {
	r := &Result{
		Spans: a.spans, Roots: a.roots, Start: a.start, End: a.end,
		Late: a.late, Evicted: a.evicted, Approx: a.approx, Window: int64(a.cfg.window),
		Costs: maps.Clone(a.costs), Compensated: a.compensated, Subtracted: a.subtracted,
		FoldRecords: a.foldRecords,
		Traces:      a.top.sorted(),
	}
	for _, st := range a.stats {
		s := st.export()
		if a.cfg.by {
			s.Groups = st.groupStats(a.cfg.byTop)
		}
		r.Stats = append(r.Stats, s)
	}
	slices.SortFunc(r.Stats, bySelf)
	for p := a.head; p != nil; p = p.next {
		r.Orphans += p.n
	}
	if a.cfg.flame {
		root := &Frame{}
		for _, k := range a.flame.kids {
			export(root, k)
		}
		for p := a.head; p != nil; p = p.next {
			for _, c := range p.kids.kids {
				export(root, c)
			}
		}
		root.sumTotals()
		r.Flame = root
	}
	if a.cfg.samples {
		for _, st := range a.stats {
			r.Samples = append(r.Samples, Samples{Name: st.name, Count: st.count, Dur: st.kept.durs, Self: st.kept.selfs})
		}
	}
	for _, p := range a.procs {
		q := *p
		q.Open = slices.Clone(p.Open)
		r.Processes = append(r.Processes, q)
	}
	slices.SortFunc(r.Processes, func(a, b Process) int { return a.Pid - b.Pid })
	return r
}
