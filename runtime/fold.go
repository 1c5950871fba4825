package autotrace

import (
	"math/bits"
	"sync/atomic"
)

// Folding hot tiny sites (DESIGN §5, honest times; docs/runtime.md,
// "Folding"). A site whose spans are consistently tiny — of its first
// rule.after spans, nine in ten shorter than rule.p90 times what
// recording a span costs — stops writing a record per call. Its calls
// still open a record (so that spans they start have a parent), but End
// adds them to an aggregate per (parent span, site) instead of buffering
// them: one fold record, written when the parent ends, holds the calls'
// exact count and the sum of their durations, estimated. Only one call in
// rule.time reads the clock (timed: its span id, random, decides); the
// two clock reads are most of what a span costs (57 of 85 ns on the
// machine this was written on), so the others cost a fraction of a
// span. The exporter estimates the sum as the timed calls' mean times the
// count (foldLearner.estimate). A call that ends in an error or a panic, carries
// attributes, is slower than rule.slow times the limit (when timed), or
// whose parent is not the goroutine's enclosing span, is still written in
// full, and so is one under which a span started on its goroutine
// (flagParent). An untimed one has no start time: under a child it reads
// the clock when the child starts (keepParent), else the exporter puts
// its start the site's mean duration before its end (foldLearner.placeUntimed).
//
// The exporter decides, off the hot path: it sees every span written,
// counts per site how many exceed the limit and whether any has children
// (a site with children never folds: its children would lose their
// parent), and sets the site's bit in foldedSites. The hot path reads one
// bit.
//
// Aggregates live in a small fixed table per goroutine-table slot (a
// goroutine's own while it has spans open: only its goroutine writes it),
// pointer-free; a table that is full writes an aggregate early. A parent
// with aggregates is flagged (flagFoldParent), and its End writes them:
// every aggregate's parent is open on the same goroutine when the
// aggregate is made, so the table is empty when the goroutine's last span
// has ended. Shutdown writes the aggregates of parents that never ended.

// statusFold marks a buffered rec that is a fold aggregate: its id holds
// the calls folded (low 32 bits) and how many of them were timed (high
// 32), start the first call's start (its parent's when the first call
// was not timed), and end-start the sum of the timed calls' durations;
// foldLearner.estimate makes id the count and end-start the estimated sum. It
// never reaches a file as a status.
const statusFold uint8 = 3

// flagFoldParent marks a span (spanRec.flags) with folded children in
// its goroutine's table: its End writes their aggregates. Set once per
// aggregate made, by the goroutine that owns both spans. (A bit well
// above span.go's flags.)
const flagFoldParent = 1 << 16

// flagParent marks a span of a folded site under which a span started on
// its own goroutine (keepParent): it is written in full, so that its
// child's parent is in the file. A site is folded when its first spans
// had no children, but a later call may (a cache miss that loads).
const flagParent = 1 << 17

// foldSlots is the size of a goroutine's aggregate table: one entry per
// (parent, folded site) pair open at once, which is one or two in
// practice (a parent calling a few tiny functions in a loop).
const foldSlots = 8

var (
	// foldOn is set while the active recorder folds.
	foldOn atomic.Bool
	// foldSlow is the longest folded call, in ticks: longer ones are
	// written in full (an outlier keeps its place in percentiles).
	foldSlow atomic.Int64
	// foldUntimed is rule.time-1 shifted to a span id's top bits: a folded
	// call whose id has any of them set reads no clock (untimed).
	foldUntimed atomic.Uint64
	// foldedSites has bit i set when site i folds.
	foldedSites [maxSites / 64]atomic.Uint64
	// foldTabs holds the aggregate tables, by goroutine-table slot; made
	// on a slot's first folded call and kept for the slot's next owner.
	foldTabs [glsSize]atomic.Pointer[foldTab]
)

// foldEntry is the aggregate of one folded site's calls under one parent.
// Only the owning goroutine writes it; Shutdown reads it (atomics, plain
// moves on amd64).
type foldEntry struct {
	parent  atomic.Uint64 // parent span id; 0: the entry is free
	traceHi atomic.Uint64
	traceLo atomic.Uint64
	first   atomic.Int64 // ticks: start of the first call
	ticks   atomic.Int64 // sum of the calls' durations
	calls   atomic.Uint64
	timed   atomic.Uint64 // calls that read the clock
	site    atomic.Uint32
}

// maxFoldCalls bounds an aggregate's calls, which a fold rec holds in 32
// bits: a parent with more writes another aggregate.
const maxFoldCalls = 1<<32 - 1

type foldTab struct {
	used atomic.Uint32 // entries in use
	e    [foldSlots]foldEntry
}

func siteFolded(i uint32) bool {
	return foldedSites[i/64%uint32(len(foldedSites))].Load()&(1<<(i%64)) != 0
}

func setSiteFolded(i uint32) {
	w := &foldedSites[i/64%uint32(len(foldedSites))]
	w.Or(1 << (i % 64))
}

// startFold turns folding on with the rule's timing, before any site folds.
func startFold(rule foldRule) {
	// time is a power of two, so time-1 is log2(time) one bits; below
	// the id's top bit, they are all 0 in one id in time.
	ones := max(rule.time, 1) - 1
	foldUntimed.Store(uint64(ones) << (63 - bits.Len32(ones)))
	foldOn.Store(true)
}

// untimed reports whether a folded call with span id id reads no clock.
func untimed(id uint64) bool { return id&foldUntimed.Load() != 0 }

// resetFold forgets which sites fold, for a new recorder.
func resetFold() {
	foldOn.Store(false)
	foldSlow.Store(1<<63 - 1)
	for i := range foldedSites {
		foldedSites[i].Store(0)
	}
}

// foldEnd is End's hook (finish), called with the end time t before the
// goroutine's stack pops, while the goroutine still holds its slot. It
// writes the aggregates of r's folded children, and reports whether r
// itself was folded into its parent's aggregate: the caller then frees r
// without buffering it.
//
// An untimed call (r.start 0) comes with t 0.
func foldEnd(r *spanRec, x *spanExtra, t int64) bool {
	if !foldOn.Load() || r.slot < 0 {
		return false
	}
	flags := r.flags.Load()
	tab := foldTabs[r.slot].Load()
	if flags&flagFoldParent != 0 {
		if tab != nil {
			tab.writeParent(r.id.Load())
		}
		return false // a span with folded children is written in full
	}
	site := r.site.Load()
	if site == 0 || !siteFolded(site) || x != nil || r.status != statusOK ||
		flags&(flagSampled|flagRoot|flagParent) != flagSampled {
		return false
	}
	p := ref(r.prev.Load()).rec()
	if p == nil || p.id.Load() != r.parent {
		return false // the parent is not the goroutine's enclosing span
	}
	d := t - r.start
	if r.start == 0 {
		d = -1 // untimed
	} else if d > foldSlow.Load() || d < 0 {
		return false
	}
	if tab == nil {
		tab = new(foldTab)
		foldTabs[r.slot].Store(tab)
	}
	tab.add(r, p, site, d)
	return true
}

// keepParent marks p, the parent of a span starting on p's goroutine,
// when p's site folds (flagParent). Only p's goroutine writes its flags
// after Start; a child on another goroutine does not mark it, and neither
// does one that starts after p has ended (docs/runtime.md, "Folding").
//
// An untimed p reads its start now, later than it started by its work
// before the child: a call written in full has a start, before its
// child's.
func keepParent(p *spanRec) {
	if f := p.flags.Load(); f&flagParent == 0 && siteFolded(p.site.Load()) {
		storeRelUint32(&p.flags, f|flagParent)
		if p.start == 0 {
			p.start = ticks()
		}
	}
}

// add counts a call of site that took d ticks (-1: untimed) under r's
// parent p.
func (t *foldTab) add(r, p *spanRec, site uint32, d int64) {
	parent := r.parent
	h := (uint32(parent) ^ uint32(parent>>32) ^ site*0x9E3779B1) % foldSlots
	var e *foldEntry
	for _, i := range [2]uint32{h, h ^ 1} { // two ways: a second pair rarely evicts the first
		c := &t.e[i]
		switch c.parent.Load() {
		case parent:
			if c.site.Load() == site {
				c.calls.Store(c.calls.Load() + 1)
				if d >= 0 {
					c.timed.Store(c.timed.Load() + 1)
					c.ticks.Store(c.ticks.Load() + d)
				}
				if c.calls.Load() == maxFoldCalls {
					t.write(c)
				}
				return
			}
		case 0:
			if e == nil {
				e = c
			}
		}
	}
	if e == nil {
		e = &t.e[h]
		t.write(e) // full: the older aggregate is written early
	}
	e.traceHi.Store(r.traceHi.Load())
	e.traceLo.Store(r.traceLo.Load())
	e.site.Store(site)
	if d >= 0 {
		e.first.Store(r.start)
		e.ticks.Store(d)
		e.timed.Store(1)
	} else {
		e.first.Store(p.start)
		e.ticks.Store(0)
		e.timed.Store(0)
	}
	e.calls.Store(1)
	e.parent.Store(parent)
	t.used.Store(t.used.Load() + 1)
	if p.flags.Load()&flagFoldParent == 0 {
		storeRelUint32(&p.flags, p.flags.Load()|flagFoldParent) // its End writes the aggregate; only p's goroutine writes its flags after Start
	}
}

// writeParent writes the aggregates under the span id.
func (t *foldTab) writeParent(id uint64) {
	for i := range t.e {
		if e := &t.e[i]; e.parent.Load() == id {
			t.write(e)
		}
	}
}

// write hands the aggregate e to the exporter and frees e.
func (t *foldTab) write(e *foldEntry) {
	if rc := active.Load(); rc != nil {
		var f spanRec
		end := e.fill(&f)
		rc.pushFold(&f, end)
	}
	e.parent.Store(0)
	t.used.Store(t.used.Load() - 1)
}

// fill makes f the record of e to buffer, and returns its end.
func (e *foldEntry) fill(f *spanRec) int64 {
	f.traceHi.Store(e.traceHi.Load())
	f.traceLo.Store(e.traceLo.Load())
	f.id.Store(e.calls.Load() | e.timed.Load()<<32)
	f.site.Store(e.site.Load())
	f.parent = e.parent.Load()
	f.start = e.first.Load()
	f.status = statusFold
	return f.start + e.ticks.Load()
}

// pushFold buffers the aggregate f as push does a span.
func (rc *recorder) pushFold(f *spanRec, end int64) {
	pid := procPin()
	if uint(pid) >= uint(len(rc.shards)) {
		procUnpin()
		rc.overflowRing().push(f, nil, end)
		return
	}
	_, ok := rc.shards[pid].push(f, nil, end)
	procUnpin()
	if !ok {
		rc.pushFull(f, nil, end, pid, false)
	}
}

// drainFolds hands every aggregate still held to the exporter: at
// Shutdown, for parents that never ended. A goroutine still ending
// folded calls meanwhile may lose or repeat those few (they race with
// the end of recording, as any span ended then may be lost). r.mu is
// held.
func (rc *recorder) drainFolds() {
	for i := range foldTabs {
		t := foldTabs[i].Load()
		if t == nil || t.used.Load() == 0 {
			continue
		}
		for j := range t.e {
			e := &t.e[j]
			if e.parent.Load() == 0 {
				continue
			}
			var f spanRec
			end := e.fill(&f)
			var q rec
			recOf(&q, &f, nil, end)
			rc.exp.add(&q, nil)
			e.parent.Store(0)
		}
		t.used.Store(0)
	}
}
