package hotspot

// Cost is what recording one span costs a program, as the process that
// wrote the trace measured it (DESIGN §5, honest times), in nanoseconds:
// Inner is the part inside the span's own measured interval (after its
// start clock read, before its end one), Outer all of it as the
// enclosing span sees it, Inner included. A span's measured duration then
// holds its own Inner and the Outer of every descendant; its self time
// (duration minus its children's union) holds its Inner and, per child,
// Outer minus Inner. Inner is negative when the span's end time was read
// before its own work finished (the runtime's clock read is unfenced):
// then a span's duration lacks that much of its own time and its
// parent's self time holds it, and compensating adds it back.
type Cost struct {
	Inner, Outer int64
	// FoldInner and FoldOuter are the same for a folded call (Span.Folded),
	// which costs less than a span written in full; 0 when unknown.
	FoldInner, FoldOuter int64
	// FoldRecord is what writing one fold record adds to its parent's End,
	// after the parent's end time: in the grandparent's self time.
	FoldRecord int64
}

// SetCost makes the Aggregator subtract c from the spans of process pid
// that it is given from now on (see Cost): from each duration its Inner
// and its descendants' Outer, from each self time its Inner and its
// children's Outer minus Inner, clamped at zero. Without a Cost for their
// process, or with the Raw option, spans count as measured.
func (a *Aggregator) SetCost(pid int, c Cost) {
	if a.cfg.raw || c.Outer <= 0 || c.Inner > c.Outer || c.Inner < -c.Outer {
		return
	}
	if a.costs == nil {
		a.costs = make(map[int]Cost)
	}
	a.costs[pid] = c
	a.lastCostSet = false
}

// Raw makes the Aggregator ignore SetCost: every time as measured.
func Raw(on bool) Option { return func(c *config) { c.raw = on } }

// costOf returns the cost of recording a span of process pid, and whether
// there is one to subtract.
func (a *Aggregator) costOf(pid int) (Cost, bool) {
	if a.costs == nil {
		return Cost{}, false
	}
	if a.lastCostSet && pid == a.lastCostPid { // spans come in runs of one process
		return a.lastCost, a.lastCostOK
	}
	c, ok := a.costs[pid]
	a.lastCostSet, a.lastCostPid, a.lastCost, a.lastCostOK = true, pid, c, ok
	return c, ok
}

// compensate returns a span's duration and self time without what
// recording it and its descendants cost: kids children, desc descendants.
func compensate(c Cost, dur, self, kids, desc int64) (int64, int64) {
	dur = max(dur-c.Inner-desc*c.Outer, 0)
	self = max(self-c.Inner-kids*(c.Outer-c.Inner), 0)
	return dur, min(self, dur)
}
