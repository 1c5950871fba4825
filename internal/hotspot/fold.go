package hotspot

// addFold accounts for a fold record (Span.Folded > 0): s.Folded calls of
// s.Name under s.ParentID, which took s.Dur in all. They count in their
// name's Count exactly, and their time, less what recording them cost
// (Cost.FoldInner each), in its Total and Self (a folded function starts
// no spans). Their parent's self time loses their measured time and what
// recording them added around it (FoldOuter − FoldInner each); the
// parent's and its ancestors' totals lose FoldOuter each. What the
// parent's End spent writing the record (FoldRecord), after its own
// interval, comes off its parent's self time and its ancestors' totals. Percentiles, Max and the
// slowest traces are of spans written in full only.
func (a *Aggregator) addFold(s *Span) {
	si := a.statFor(s.Name)
	st := a.stats[si]
	if a.spans == 0 || s.Start < a.start {
		a.start = s.Start
	}
	a.end = max(a.end, s.Start+s.Dur)
	a.spans += s.Folded
	a.foldRecords++
	dur, less, cost, record := s.Dur, s.Dur, int64(0), int64(0)
	if c, ok := a.costOf(s.Pid); ok {
		record = c.FoldRecord
		dur = max(s.Dur-s.Folded*c.FoldInner, 0)
		less = s.Dur + s.Folded*(c.FoldOuter-c.FoldInner) // their intervals as measured, and what lies outside them
		cost = s.Folded * c.FoldOuter
		a.compensated += s.Folded
		a.subtracted += s.Dur - dur
	}
	st.count += s.Folded
	st.folded += s.Folded
	st.total += dur
	st.self += dur
	if a.cfg.by {
		for i, v := range s.Groups {
			g := st.group(i, v)
			g.count += s.Folded
			g.folded += s.Folded
			g.total += dur
			g.self += dur
		}
	}
	var n *node
	if a.cfg.flame {
		n = &node{name: st.name, count: s.Folded, size: 1, self: dur}
	}
	if s.IsRoot() {
		a.roots++
		if n != nil {
			a.flame.adopt(n)
		}
		return
	}
	pk := key{s.TraceID, s.ParentID}
	hp := hashKey(&pk)
	if d := a.recent(&pk, hp); d >= 0 {
		a.late++
		var more doneMore
		if a.doneMore != nil {
			more = a.doneMore[d]
		}
		if cost > 0 {
			a.lessTotal(d, cost)
		}
		a.lessSelf(d, more, less, n)
		a.lessOutside(d, record)
		return
	}
	p := a.pendingFor(&pk, hp)
	p.foldSelf += less
	p.descNs += cost
	p.outside += record
	if n != nil {
		grown := n.size - p.kids.adopt(n)
		p.kids.size += grown
		a.live += grown
	}
	a.recost(p)
	a.evict()
}

// markFolded marks the cells of a table row (tableHeader's columns) whose
// figures fold records estimate: total, self, self% and mean with "~";
// the percentiles and max, which are of the calls written in full, with
// "-" when every call was folded.
func markFolded(cells []string, s Stat) []string {
	if s.Folded == 0 {
		return cells
	}
	for _, i := range []int{4, 5, 6, 7} {
		cells[i] = "~" + cells[i]
	}
	if s.Folded == s.Count {
		for _, i := range []int{8, 9, 10, 11} {
			cells[i] = "-"
		}
	}
	return cells
}

// FoldNote says how many calls were folded (Span.Folded) and what that
// means for the figures, or "" when none were.
func (r *Result) FoldNote() string {
	var calls, names int64
	for _, s := range r.Stats {
		if s.Folded > 0 {
			calls += s.Folded
			names++
		}
	}
	if calls == 0 {
		return ""
	}
	return "~ folded: " + plural(calls, "call") + " of " + plural(names, "name") + " in " + plural(r.FoldRecords, "fold record") +
		" (AUTOTRACE_FOLD): counts exact, times estimated from the timed calls (one in 8 by default); percentiles and max are of the calls written in full"
}

// lessOutside takes ns, spent by the End of the finished span in window
// slot d after its interval (writing a late fold record), off its
// parent's self time and its ancestors' totals.
func (a *Aggregator) lessOutside(d int32, ns int64) {
	if ns <= 0 || a.done[d].parent == ([8]byte{}) {
		return
	}
	pk := a.done[d].parentKey()
	h := hashKey(&pk)
	if i := a.recent(&pk, h); i >= 0 {
		var more doneMore
		if a.doneMore != nil {
			more = a.doneMore[i]
		}
		a.lessSelf(i, more, ns, nil)
		a.lessTotal(i, ns)
		return
	}
	p := a.pendingFor(&pk, h)
	p.foldSelf += ns
	p.descNs += ns
	a.recost(p)
	a.evict()
}
