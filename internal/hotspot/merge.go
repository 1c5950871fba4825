package hotspot

// Merge adds what b aggregated into a, for a reader that splits the spans
// by trace ID between Aggregators on several goroutines: the two must have
// seen disjoint traces (a trace's spans all in one, so that each parent
// meets its children) with the same options, and Merge comes at the end,
// before Result: b's window of finished spans is not carried over, so a
// child added to a later would not find a parent b saw. b must not be used
// afterwards. The Result is then the one a single Aggregator would give,
// but where a bound cut in (Window, MaxPending), which each Aggregator
// applies to its own spans. Not with KeepSamples or By, whose reservoirs
// and value caps depend on the order of all spans of a name: Merge panics.
func (a *Aggregator) Merge(b *Aggregator) {
	if a.cfg.samples || a.cfg.by || b.cfg.samples || b.cfg.by {
		panic("hotspot: Merge with KeepSamples or By")
	}
	for _, st := range b.stats {
		a.stats[a.statFor(st.name)].merge(st)
	}
	if b.spans > 0 {
		if a.spans == 0 || b.start < a.start {
			a.start = b.start
		}
		a.end = max(a.end, b.end)
	}
	a.spans += b.spans
	a.roots += b.roots
	a.late += b.late
	a.evicted += b.evicted
	a.approx += b.approx
	a.compensated += b.compensated
	a.subtracted += b.subtracted
	a.foldRecords += b.foldRecords
	for pid, c := range b.costs {
		a.SetCost(pid, c)
	}
	for _, p := range b.procs {
		a.AddProcess(*p)
	}
	for _, t := range b.top.h {
		a.top.addTrace(t)
	}
	if a.cfg.flame {
		for _, k := range b.flame.kids {
			a.flame.adopt(k)
		}
	}
	// b's waiting parents wait in a now: their children count as orphans,
	// their flame subtrees as roots, as in b.
	for p := b.head; p != nil; {
		next := p.next
		a.link(p)
		a.live += p.units
		if p.kids != nil {
			a.live += p.kids.size
		}
		p = next
	}
	b.head, b.tail = nil, nil
}
