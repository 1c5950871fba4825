package hotspot

import (
	"math/rand/v2"
	"slices"
	"strings"
)

// Default limits; see the Option functions.
const (
	DefaultMaxPending = 1 << 22 // units of state of parents some children reached first (see MaxPending)
	// DefaultWindow is the recently finished spans kept for late
	// children: the runtime drains its per-P buffers (65,536 spans each by
	// default) one after another, so a child ended on one P can reach the
	// file a buffer after its parent ended on another (848 of 10^8 spans
	// came more than 2^15 spans late in scripts/scale.sh's S1 trace on two
	// Ps, none more than 2^17). 64 bytes a span: 8 MB. A bigger window
	// costs every span cache misses (2^18: report 1.3x slower).
	DefaultWindow    = 1 << 17
	DefaultTopTraces = 10 // slowest traces kept
)

// Option configures an Aggregator.
type Option func(*config)

type config struct {
	maxPending    int
	window        int
	topTraces     int
	flame         bool
	flameByGroups bool // flame nodes split by Span.Groups (see FlameByGroups)
	samples       bool
	by            bool // keep statistics per Span.Groups (see By)
	byTop         int
	raw           bool // ignore SetCost
	onSpan        func(s Span, name string, self int64)
}

// MaxPending bounds the state kept for parents that some children reached
// first: one unit per such parent, per interval of its children's union
// that it keeps (at most maxIntervals) and, with the flame graph on, per
// node of its children's subtrees merged by name. It does not grow with the
// number of children: one root with 10^8 descendants needs one entry per
// open ancestor. Past it the oldest waiting parents are given up (never the
// newest): their children become roots, the parent's self time is
// overstated, and Result.Evicted counts them.
func MaxPending(n int) Option { return func(c *config) { c.maxPending = max(n, 1) } }

// OnSpan has fn called for every span Add accounts for, with its duration
// compensated (see SetCost), its name as the Result's Stats spell it and
// its self time so far: children that arrive after it (Result.Late) still
// take theirs off the Stats, not off what fn was told. For views that
// place time on a timeline.
func OnSpan(fn func(s Span, name string, self int64)) Option {
	return func(c *config) { c.onSpan = fn }
}

// Window is the number of recently finished spans remembered so that a child
// arriving after its parent still counts against the parent's self time.
func Window(n int) Option { return func(c *config) { c.window = max(n, 1) } }

// TopTraces is the number of slowest traces kept (0 for none).
func TopTraces(n int) Option { return func(c *config) { c.topTraces = max(n, 0) } }

// Flame turns the aggregated flame graph (Result.Flame) on or off. It is off
// by default: the runtime's summary does not need it.
func Flame(on bool) Option { return func(c *config) { c.flame = on } }

// FlameByGroups splits the flame graph's frames by the span's Groups as
// well as by its name: spans of one path with different values are
// different frames, whose Frame.Name holds the values after the name
// (see FrameLabels). For profiles whose samples carry labels.
func FlameByGroups(on bool) Option { return func(c *config) { c.flameByGroups = on } }

// KeepSamples makes the Aggregator keep every span's duration and self time,
// per name, in Result.Samples, up to SampleCap spans a name and a uniform
// sample of that many beyond: what `autotrace compare` tests. They are
// float32 nanoseconds: exact up to 16ms, within 6e-8 of the value beyond.
// It is off by default.
func KeepSamples(on bool) Option { return func(c *config) { c.samples = on } }

// key identifies a span across traces.
type key struct {
	trace [16]byte
	span  [8]byte
}

// stat is the running aggregate of one span name.
type stat struct {
	name                   string
	count, errors, panics  int64
	folded                 int64 // of count, folded calls (addFold)
	total, self, min, maxd int64
	h                      hist
	kept                   reservoir          // with the KeepSamples option
	groups                 []map[string]*stat // per attribute, by Span.Groups, with the By option
}

// doneRec is a recently finished span, for children that arrive late: 64
// bytes, one cache line, as every span writes one and few are read again
// (what only some options need is in doneMore).
type doneRec struct {
	k          key
	parent     [8]byte // its parent's span ID (same trace); zero for a root
	hash       uint32  // hashKey(&k)
	stat       int32
	start, end int64
	// covered holds the union of its children so far (its cov), nil for
	// a span none reached yet (most spans are leaves).
	covered *pendEntry
}

// parentKey returns the key of d's parent.
func (d *doneRec) parentKey() key { return key{d.k.trace, d.parent} }

// doneMore is the rest of a doneRec, kept (in Aggregator.doneMore, by the
// same slot) only with the Flame, KeepSamples or By options.
type doneMore struct {
	groups  []*stat // the stats of its Span.Groups, with the By option
	node    *node
	sample  int   // its slot in the stat's reservoir, or -1 (KeepSamples option)
	ordinal int64 // its place among its name's spans, 1-based
}

// Aggregator accumulates spans. It is not safe for concurrent use.
type Aggregator struct {
	cfg   config
	index map[string]int32
	stats []*stat

	pend       pendIndex
	head, tail *pendEntry
	live       int64 // children (flame nodes) held in pend

	// The window of recently finished spans (see window.go): a ring of
	// doneLen records from doneHead, the stream position of each in
	// doneSeq.
	done              []doneRec
	doneMore          []doneMore // by the slot of done; nil without the options that use it
	doneSeq           []int64
	doneHead, doneLen int
	doneIdx           windowIndex
	pos               int64 // stream position of the span being added (see AddAt)

	freePend []*pendEntry // for reuse (see newPending)
	freeIvs  [][]interval // interval slices for reuse, emptied

	flame *node
	top   topTraces
	procs map[int]*Process
	costs map[int]Cost // per pid, from SetCost

	// The last pid costOf looked up (when lastCostSet) and what it found.
	lastCostSet bool
	lastCostPid int
	lastCost    Cost
	lastCostOK  bool

	// names caches statFor's answers by a hash of the name's length and
	// ends: a span's name is nearly always one of a few recent ones.
	names [64]nameSlot

	compensated, subtracted int64 // spans compensated, and the nanoseconds taken off their durations
	foldRecords             int64 // fold records added (addFold)

	spans, roots, late, evicted, approx int64
	start, end                          int64

	rng *rand.Rand // for the reservoirs of KeepSamples; seeded alike every run
}

// New returns an empty Aggregator.
func New(opts ...Option) *Aggregator {
	a := &Aggregator{
		cfg:   config{maxPending: DefaultMaxPending, window: DefaultWindow, topTraces: DefaultTopTraces},
		index: make(map[string]int32),
		pend:  newPendIndex(),
		flame: &node{},
		procs: make(map[int]*Process),
		rng:   rand.New(rand.NewPCG(1, 2)),
	}
	for _, o := range opts {
		o(&a.cfg)
	}
	a.top.init(a.cfg.topTraces)
	a.doneIdx = newWindowIndex(0)
	return a
}

// nameSlot is an entry of Aggregator.names.
type nameSlot struct {
	name string
	stat int32
}

// statFor returns the index of the stat for name, adding it if need be.
func (a *Aggregator) statFor(name string) int32 {
	var h int
	if n := len(name); n > 0 {
		h = (n*31 + int(name[0])*7 + int(name[n-1])) & (len(a.names) - 1)
	}
	c := &a.names[h]
	// Equal strings from one table share their bytes: the comparison is
	// a pointer check then.
	if c.stat > 0 && c.name == name {
		return c.stat - 1
	}
	i, ok := a.index[name]
	if !ok {
		i = int32(len(a.stats))
		a.index[name] = i
		a.stats = append(a.stats, &stat{name: name, min: -1})
	}
	*c = nameSlot{name: name, stat: i + 1}
	return i
}

// Add accounts for one finished span. Spans may arrive in any order; memory
// stays bounded by the options.
func (a *Aggregator) Add(s Span) {
	a.pos++
	a.add(s)
}

// AddAt is Add for a span at position pos of a stream that other
// Aggregators share (see Merge): the window keeps the spans of the last
// Window positions, wherever the others went. Positions only go forward: an
// earlier one counts as the latest so far.
func (a *Aggregator) AddAt(s Span, pos int64) {
	a.pos = max(a.pos, pos)
	a.add(s)
}

func (a *Aggregator) add(s Span) {
	a.expire()
	if s.Dur < 0 {
		s.Dur = 0
	}
	if s.Folded > 0 {
		a.addFold(&s)
		return
	}
	end := s.Start + s.Dur
	si := a.statFor(s.Name)
	st := a.stats[si]
	if a.spans == 0 || s.Start < a.start {
		a.start = s.Start
	}
	a.end = max(a.end, end)
	a.spans++

	var n *node
	if a.cfg.flame {
		n = &node{name: st.name, count: 1, size: 1}
		if a.cfg.flameByGroups && slices.ContainsFunc(s.Groups, func(v string) bool { return v != "" }) {
			n.name = st.name + labelSep + strings.Join(s.Groups, labelSep)
		}
		switch s.Status {
		case StatusError:
			n.errors = 1
		case StatusPanic:
			n.panics = 1
		}
	}

	// Children that arrived before this span.
	k := key{s.TraceID, s.SpanID}
	hk := hashKey(&k)
	var covered *pendEntry
	var cov, kids, desc, foldSelf, descNs, outside int64
	if p := a.pend.get(&k, hk); p != nil {
		a.unlink(p)
		kids, desc, foldSelf, descNs, outside = p.n, p.desc, p.foldSelf, p.descNs, p.outside
		var exact bool
		cov, exact = p.cov.total(s.Start, end)
		if !exact {
			a.approx++
		}
		if n != nil {
			// The placeholder's subtrees, merged by name, become n's.
			n.kids, n.byName = p.kids.kids, p.kids.byName
			for _, c := range n.kids {
				c.up = n
			}
			n.size += p.kids.size
		}
		*p = pendEntry{cov: p.cov} // now only the finished span's coverage
		p.cov.seal(doneIntervals)  // what it keeps for late children
		covered = p
	}
	self := max(s.Dur-cov-foldSelf, 0)
	if c, ok := a.costOf(s.Pid); ok {
		dur := s.Dur
		s.Dur, self = compensate(c, max(s.Dur-descNs, 0), self, kids, desc)
		a.compensated++
		a.subtracted += dur - s.Dur
	}
	st.addSpan(s.Dur, s.Status)
	var gsts []*stat
	if a.cfg.by && len(s.Groups) > 0 {
		gsts = make([]*stat, len(s.Groups))
		for i, v := range s.Groups {
			gsts[i] = st.group(i, v)
			gsts[i].addSpan(s.Dur, s.Status)
		}
	}
	st.self += self
	for _, g := range gsts {
		g.self += self
	}
	sample := -1
	if a.cfg.samples {
		sample = st.kept.keep(a.rng, st.count, s.Dur, self)
	}
	if n != nil {
		n.self = self
	}
	if a.cfg.onSpan != nil {
		a.cfg.onSpan(s, st.name, self) // by value: &s would move every span to the heap
	}

	// Hand this span to its parent.
	pk := key{s.TraceID, s.ParentID}
	switch {
	case s.IsRoot():
		a.roots++
		if n != nil {
			a.flame.adopt(n)
		}
	default:
		// A parent some siblings wait for has not ended: the usual case,
		// answered by the small pending table before the window's.
		hp := hashKey(&pk)
		if p := a.pend.get(&pk, hp); p != nil {
			a.joinPending(p, interval{s.Start, end}, n, 1+desc, descNs, outside)
		} else if d := a.recent(&pk, hp); d >= 0 {
			a.lateChild(d, interval{s.Start, end}, n, s.Pid, desc, descNs, outside)
		} else {
			a.addPending(&pk, hp, interval{s.Start, end}, n, 1+desc, descNs, outside)
		}
	}
	slot := a.remember(&k, hk)
	a.done[slot] = doneRec{k: k, hash: hk, parent: s.ParentID, stat: si, start: s.Start, end: end, covered: covered}
	if a.doneMore != nil {
		a.doneMore[slot] = doneMore{groups: gsts, node: n, sample: sample, ordinal: st.count}
	}
	a.top.add(&s)
}

// lateChild accounts for a child that arrived after its parent, in window
// slot i. With a Cost for pid, the parent's self time and total lose what
// the child (with desc descendants) cost beyond its own interval; its
// percentiles, already counted, do not.
func (a *Aggregator) lateChild(i int32, iv interval, n *node, pid int, desc, descNs, outside int64) {
	a.late++
	d := &a.done[i]
	var more doneMore
	if a.doneMore != nil {
		more = a.doneMore[i]
	}
	if d.covered == nil {
		d.covered = a.newPending()
	}
	u := &d.covered.cov
	before, _ := u.total(d.start, d.end)
	u.add(iv)
	after, exact := u.total(d.start, d.end)
	if !exact {
		a.approx++
	}
	add := after - before
	if c, ok := a.costOf(pid); ok {
		add += c.Outer - c.Inner + outside
		a.lessTotal(i, (1+desc)*c.Outer+descNs+outside)
	}
	a.lessSelf(i, more, add, n)
}

// lessSelf takes add off the self time of the finished span in window
// slot i (more: its doneMore), and adopts its late child's flame node n.
func (a *Aggregator) lessSelf(i int32, more doneMore, add int64, n *node) {
	st := a.stats[a.done[i].stat]
	st.self -= add
	for _, g := range more.groups {
		g.self -= add
	}
	if a.cfg.samples {
		st.kept.lessSelf(more.sample, more.ordinal, add)
	}
	if n == nil || more.node == nil {
		return
	}
	pn := more.node.resolve()
	pn.self -= add
	grown := n.size - pn.adopt(n)
	if r := pn.top(); r != a.flame {
		r.size += grown
		a.live += grown
		a.evict()
	}
}

// maxLateDepth bounds how far up a late child's cost is taken off its
// ancestors' totals: deeper ones keep it (no unbounded parent walks).
const maxLateDepth = 64

// lessTotal takes ns, what recording a late child of d and its
// descendants cost, off the totals of d and of its ancestors: those
// already counted directly, one still waiting for children through its
// pending state.
func (a *Aggregator) lessTotal(i int32, ns int64) {
	for range maxLateDepth {
		d := &a.done[i]
		a.stats[d.stat].total -= ns
		a.subtracted += ns
		if d.parent == ([8]byte{}) {
			return
		}
		pk := d.parentKey()
		h := hashKey(&pk)
		if p := a.pend.get(&pk, h); p != nil {
			p.descNs += ns
			return
		}
		if i = a.recent(&pk, h); i < 0 {
			return
		}
	}
}

// AddProcess accounts for a process record. Records for the same pid add up.
func (a *Aggregator) AddProcess(p Process) {
	q := a.procs[p.Pid]
	if q == nil {
		q = &Process{Pid: p.Pid, Cmd: p.Cmd, Start: p.Start}
		a.procs[p.Pid] = q
	}
	if q.Cmd == "" {
		q.Cmd = p.Cmd
	}
	q.Spans += p.Spans
	q.Dropped += p.Dropped
	q.Pending += p.Pending
	for _, name := range p.Open {
		if len(q.Open) < 20 {
			q.Open = append(q.Open, name)
		}
	}
}
