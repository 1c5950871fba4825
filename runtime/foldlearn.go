package autotrace

// foldLearner is the exporter's side of folding (fold.go): it watches
// the spans written and decides which sites fold. Only the exporter
// (under recorder.mu) uses it.
type foldLearner struct {
	rule  foldRule
	limit int64 // ticks: the p90 limit; 0 until the cost is known (no decisions)
	sites []foldSite
	// parents holds the parent ids of recent spans, direct-mapped: a span
	// whose id is there had a child, and its site never folds. Children
	// are written before their parent, mostly just before.
	parents [1 << 12]uint64
}

// foldSite is what the learner knows of one site.
type foldSite struct {
	seen, over uint32 // spans of its first rule.after; of them, over the limit
	repeats    uint32 // of them, under the same parent as the site's previous one
	lastParent uint64
	decided    bool
	// Its timed folded calls so far: their count and the sum of their
	// durations, in ticks (estimate).
	timed      uint64
	timedTicks int64
}

// site returns what the learner knows of site i, growing its table.
func (l *foldLearner) site(i uint32) *foldSite {
	if int(i) >= len(l.sites) {
		l.sites = append(l.sites, make([]foldSite, int(i)+1-len(l.sites)+len(l.sites)/2)...)
	}
	return &l.sites[i]
}

// estimate makes the fold rec r (fold.go, statusFold) an aggregate of
// r.id calls whose durations sum to r.end-r.start: from the timed calls'
// count and sum it holds, as their mean times the count, or with none
// timed, the site's mean so far times the count.
func (l *foldLearner) estimate(r *rec) {
	calls, timed := r.id&maxFoldCalls, r.id>>32
	s := l.site(r.site)
	sum := r.end - r.start
	if timed > 0 {
		s.timed += timed
		s.timedTicks += sum
		sum = int64(float64(sum) * float64(calls) / float64(timed))
	} else {
		sum = int64(float64(calls) * s.mean())
	}
	r.id, r.end = calls, r.start+sum
}

// placeUntimed gives r, a folded call written in full that was not timed
// (its start 0), a start: its site's mean duration before its end.
func (l *foldLearner) placeUntimed(r *rec) {
	r.start = r.end - int64(l.site(r.site).mean())
}

// mean is the mean duration of the site's timed folded calls, in ticks;
// 0 before the first.
func (s *foldSite) mean() float64 {
	if s.timed == 0 {
		return 0
	}
	return float64(s.timedTicks) / float64(s.timed)
}

// start sets the limit from the calibrated cost k and turns folding on.
func (l *foldLearner) start(k cost, conv *clockConv) {
	if l.rule.off || k.outerHere <= 0 || conv.rate <= 0 {
		return
	}
	l.limit = max(int64(l.rule.p90*float64(k.outerHere)/conv.rate), 1)
	foldSlow.Store(int64(l.rule.slow * float64(l.limit)))
	startFold(l.rule)
}

// learn watches the written span r.
func (l *foldLearner) learn(r *rec) {
	if l.limit == 0 {
		return
	}
	l.noteParent(r.parentID)
	if r.site == 0 {
		return
	}
	s := l.site(r.site)
	if s.decided {
		return
	}
	if r.parentID == 0 || l.parents[r.id%uint64(len(l.parents))] == r.id {
		s.decided = true // a root, or a parent: never folds
		return
	}
	s.seen++
	if r.end-r.start > l.limit {
		s.over++
	}
	if r.parentID == s.lastParent {
		s.repeats++
	}
	s.lastParent = r.parentID
	if s.seen >= l.rule.after {
		s.decided = true
		// Tiny nine times in ten, and called twice or more per parent:
		// one fold record then stands for two spans or more.
		if s.over*10 <= s.seen && s.repeats*2 >= s.seen {
			setSiteFolded(r.site)
		}
	}
}

// noteParent remembers that the span id had a child.
func (l *foldLearner) noteParent(id uint64) {
	l.parents[id%uint64(len(l.parents))] = id
}
