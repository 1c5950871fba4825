package autotrace

import (
	"context"
	"encoding/binary"
	"slices"
	"strconv"
	"sync/atomic"
)

// Calibration (DESIGN §5, honest times): the runtime measures what
// recording a span costs the program, so that readers can take it off
// the times they report. A span's measured duration holds the part of
// its own recording that lies between its two clock reads (inner: the
// end of Start after the start time is read, the beginning of End before
// the end time is), and each child span adds all of its recording to its
// parent's duration (outer). The background goroutine measures both when
// recording starts, off the program's goroutines and in well under a
// millisecond: it times batches of a small piece of work (calibWork),
// bare and inside child spans under a parent span of its own, on each
// path; outer is what the spans add to the fastest batch (preemption only
// adds), inner what a child's own duration (their median) holds beyond
// the work, which can be negative (below). A folded call's outer is
// measured around no work (calibFoldedEmpty). The exporter reads the children's durations and drops the
// spans instead of writing them. The result is written to the trace as a cost
// record (docs/trace-format.md, version 1.1; the folded call's and fold
// record's figures since 1.2; a negative inner since 1.2's early fields).
//
// Inner is negative when a span's end time is read before its own work
// has finished: the clock read waits for nothing (unfenced, clock.go), so
// the processor reads it while the tail of the function's dependent work
// is still executing, and those few nanoseconds of the child's work fall
// after its interval, in its parent's self time. The calibration child
// shows the same (its median duration below its bare work by 4-6 ns on
// this machine), and so do the leaves of testdata/accuracy, whose
// self times came out that much under their known work while their
// parents' came out that much over per child, when inner was clamped to 0.
// Kept negative, readers add it back to the child and take it off the
// parent.

// calibrateOff turns calibration off, for the runtime's own tests that
// count what reaches the buffers.
var calibrateOff atomic.Bool

// Names of the calibration spans, which the exporter recognises by site.
const (
	calibParentName = "autotrace.calibrate"
	calibHereName   = "autotrace.calibrate.here"
	calibCtxName    = "autotrace.calibrate.ctx"
	calibFoldName   = "autotrace.calibrate.fold"
	calibFoldParent = "autotrace.calibrate.foldparent"
	calibFoldEmpty  = "autotrace.calibrate.foldempty"
)

// calibBatches batches of calibBatch spans a path, after one to warm
// the caches: well under a millisecond in all.
const (
	calibBatches = 24
	calibBatch   = 64
)

// calibration is what the exporter collects of the calibration spans.
type calibration struct {
	parent, here, ctx uint32  // their site numbers; 0 until calibrate runs
	hereTicks         []int64 // the here children's durations
	ctxTicks          []int64
	fold              uint32  // the folded children's site (fold.go), 0 without folding
	foldParent        uint32  // the site of spans with one folded child each
	foldEmpty         uint32  // folded children with no work: a folded call's outer cost
	foldTicks         []int64 // their timed calls' mean duration, per aggregate
}

// take reports whether the drained span r is a calibration span, and
// keeps a child's duration.
func (c *calibration) take(r *rec) bool {
	switch r.site {
	case 0:
		return false
	case c.here:
		c.hereTicks = append(c.hereTicks, r.end-r.start)
	case c.ctx:
		c.ctxTicks = append(c.ctxTicks, r.end-r.start)
	case c.foldParent, c.foldEmpty:
	case c.fold:
		if timed := r.id >> 32; r.status == statusFold && timed > 0 { // its timed calls' mean (fold.go)
			c.foldTicks = append(c.foldTicks, (r.end-r.start)/int64(timed))
		}
	case c.parent:
	default:
		return false
	}
	return true
}

// cost is what recording one span costs, in nanoseconds, as measured.
type cost struct {
	innerHere, outerHere int64 // StartHere/End
	innerCtx, outerCtx   int64 // Start(ctx)/End
	innerFold, outerFold int64 // StartHere/End of a folded site (fold.go); 0 without folding
	foldRecord           int64 // what writing a fold record adds to its parent's End, outside its interval
}

// calibrate measures the cost of a span and writes the cost record. It
// runs on the background goroutine before its first flush.
func (r *recorder) calibrate() {
	defer func() { // whatever happened, writing goes on
		r.mu.Lock()
		r.exp.hold = false
		r.mu.Unlock()
	}()
	r.mu.Lock()
	c := &r.exp.calib
	c.parent = siteOf(calibParentName).idx
	c.here = siteOf(calibHereName).idx
	c.ctx = siteOf(calibCtxName).idx
	if !r.exp.fold.rule.off {
		c.fold = siteOf(calibFoldName).idx
		c.foldParent = siteOf(calibFoldParent).idx
		c.foldEmpty = siteOf(calibFoldEmpty).idx
	}
	r.mu.Unlock()
	if c.parent == 0 || c.here == 0 || c.ctx == 0 {
		return // no site numbers left: the spans could not be told apart
	}
	if execOn.Load() {
		return // spans are execution-trace tasks: other costs, and the calibration would show in the trace
	}
	if c.fold != 0 {
		setSiteFolded(c.fold) // its children fold from the first: the folded path's cost
		setSiteFolded(c.foldEmpty)
		startFold(r.exp.fold.rule)
	}
	const never = int64(1 << 62)
	work, withHere, withCtx, withFold, withRecord := never, never, never, never, never
	bare, withEmpty := never, never
	for i := range calibBatches + 1 {
		r.touchRing(4*calibBatch + 3) // here, ctx, and the fold parents with their fold records; p and its own
		ctx, p := Start(context.Background(), calibParentName)
		pr := p.recording()
		if pr == nil {
			p.End()
			continue // not sampled: nothing to measure with
		}
		// Not a root of the program's: its end must not write the file
		// (flushHere) nor count as the last root-end write, which would
		// leave the program's next root span to the exporter alone.
		pr.flags.And(^uint32(flagRoot))
		t0 := ticks()
		for range calibBatch {
			calibWork()
		}
		t1 := ticks()
		for range calibBatch {
			calibHere(calibHereName)
		}
		t2 := ticks()
		for range calibBatch {
			calibCtx(ctx)
		}
		t3 := ticks()
		if c.fold != 0 {
			for range calibBatch {
				calibHere(calibFoldName)
			}
		}
		t4 := ticks()
		if c.fold != 0 {
			for range calibBatch { // each parent ends writing a fold record of one call
				q := StartHere(calibFoldParent)
				calibWork() // as a parent does: its recording overlaps work too
				calibHere(calibFoldName)
				q.End()
			}
		}
		t5 := ticks()
		if c.fold != 0 {
			for range calibBatch {
				calibEmpty()
			}
		}
		t6 := ticks()
		if c.fold != 0 {
			for range calibBatch {
				calibFoldedEmpty()
			}
		}
		t7 := ticks()
		p.End()
		if i == 0 {
			continue // warming up
		}
		work, withHere, withCtx = min(work, t1-t0), min(withHere, t2-t1), min(withCtx, t3-t2)
		withFold = min(withFold, t4-t3)
		withRecord = min(withRecord, t5-t4)
		bare, withEmpty = min(bare, t6-t5), min(withEmpty, t7-t6)
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.closed {
		return
	}
	r.drainLocked() // the exporter takes the children's durations
	if len(c.hereTicks) == 0 || len(c.ctxTicks) == 0 {
		return
	}
	conv := &r.exp.conv
	perCall := work / calibBatch
	k := cost{
		innerHere: conv.sdur(median(c.hereTicks) - perCall), outerHere: conv.dur((withHere - work) / calibBatch),
		innerCtx: conv.sdur(median(c.ctxTicks) - perCall), outerCtx: conv.dur((withCtx - work) / calibBatch),
	}
	k.outerHere = max(k.outerHere, k.innerHere, 1)
	k.outerCtx = max(k.outerCtx, k.innerCtx, 1)
	if len(c.foldTicks) > 0 {
		k.innerFold = conv.sdur(median(c.foldTicks) - perCall)
		k.outerFold = max(conv.dur((withEmpty-bare)/calibBatch), k.innerFold) // (calibFoldedEmpty)
		// The fold parents' child has calibWork's work, and costs them
		// what a folded call does alongside work.
		outerWithWork := max(conv.dur((withFold-work)/calibBatch), k.innerFold)
		k.foldRecord = max(conv.dur((withRecord-2*work)/calibBatch)-k.outerHere-outerWithWork, 0)
	}
	c.hereTicks, c.ctxTicks, c.foldTicks = nil, nil, nil
	r.exp.fold.start(k, conv)
	r.exp.cost = k
	r.exp.addCost(k)
	r.exp.hold = false
	r.exp.write()
}

// touchRing writes to the ring slots that the next n spans ended on this
// P will take, as far as they are free: a slot's first write faults its
// page in, which a program pays once per page of the ring and the batch
// after it would pay on every batch, as if spans cost more (a
// third more on this machine). Pinned, this goroutine is the shard's
// only producer, so slots past its tail are its own. A batch that runs
// on another P after all is slower, and the fastest batch is kept.
func (r *recorder) touchRing(n uint64) {
	pid := procPin()
	defer procUnpin()
	if pid >= len(r.shards) {
		return
	}
	q := &r.shards[pid]
	t := q.tail.Load()
	n = min(n+slotsPerPage, q.mask+1-(t-q.head.Load()))
	for i := t; i < t+n; i += slotsPerPage / 2 {
		q.recs[i&q.mask].id = 0
	}
	// Publish the writes as a push does, for the next producer on this P
	// (the race detector does not know pinning).
	storeRelUint64(&q.tail, t)
}

// slotsPerPage is the ring slots in a 4 KiB page.
const slotsPerPage = 4096 / 64

// calibWork is the work of a calibration child: a chain of dependent
// multiply-adds, about 40 ns, as the body of a small function is. Empty
// children would overstate the cost: the processor runs much of a span's
// recording alongside the work around it, and what a program pays is the
// difference between its work with spans and without.
func calibWork() {
	x := calibSink
	for range calibWorkLen {
		x = x*6364136223846793005 + 1442695040888963407
	}
	calibSink = x
}

// calibHere and calibCtx are calibration children as gen writes an
// instrumented function: a call that is not inlined, its span ended by a
// deferred End. What the program pays for a span includes both (the
// function would be inlined without its span, and defer has a cost).
//
//go:noinline
func calibHere(name string) {
	s := StartHere(name)
	defer s.End()
	calibWork()
}

// calibFoldedEmpty is a folded call with no work, and calibEmpty the same
// call without its span. A folded site is a tiny function, and what its
// span code costs the program is that of a call with little work around
// it to run alongside (a benchmark of a parent with 8 folded children of
// the accuracy program's sizes and patterns: 24–42 ns a child, the
// children of calibWork's 40 ns of dependent work 29, calibWork's own
// measure 21–25; docs/performance.md): the outer cost of a folded call is
// measured on these, its inner on calibHere's.
//
//go:noinline
func calibFoldedEmpty() {
	s := StartHere(calibFoldEmpty)
	defer s.End()
}

//go:noinline
func calibEmpty() {}

//go:noinline
func calibCtx(ctx context.Context) {
	_, s := Start(ctx, calibCtxName)
	defer s.End()
	calibWork()
}

// calibWorkLen is the length of calibWork's chain.
const calibWorkLen = 32

// calibSink keeps calibWork's result alive; only calibrate writes it.
var calibSink uint64

func median(v []int64) int64 {
	slices.Sort(v)
	return v[len(v)/2]
}

// addCost puts the cost record in front of every span not yet written
// (writes wait for it: exporter.hold), so that readers, which apply a
// cost to the spans after it, compensate them all; and tells the summary.
func (e *exporter) addCost(k cost) {
	if e.sum != nil {
		e.sum.setCost(k)
	}
	if e.out == nil {
		return
	}
	var head []byte
	if e.bin != nil {
		head = e.bin.costChunk(k)
		e.chunkAt += len(head)
	} else {
		head = appendCost(nil, k)
	}
	e.buf = append(head, e.buf...)
}

// costChunk returns a chunk of its own holding the cost record; marked as
// the process's first when no chunk was written yet (it defines nothing a
// reader could forget), else not, so that the tables already written stay.
func (w *binEncoder) costChunk(k cost) []byte {
	c := binEncoder{open: true, started: w.started}
	b := c.appendCost(make([]byte, chunkHeaderLen, chunkHeaderLen+32), k)
	c.seal(b)
	return b
}

// appendCost appends the cost record (type 4): inner and outer of the
// ctx-less path, then of the ctx path, then (since 1.2) of a folded call,
// in nanoseconds, each inner at least 0 (a reader of 1.2 takes it as it
// is), then how far below 0 each inner is (early: its end read early).
func (w *binEncoder) appendCost(b []byte, k cost) []byte {
	if !w.open {
		b = w.begin(b)
	}
	var body [10 * binary.MaxVarintLen64]byte
	n := binary.PutUvarint(body[:], uint64(max(k.innerHere, 0)))
	n += binary.PutUvarint(body[n:], uint64(k.outerHere))
	n += binary.PutUvarint(body[n:], uint64(max(k.innerCtx, 0)))
	n += binary.PutUvarint(body[n:], uint64(k.outerCtx))
	n += binary.PutUvarint(body[n:], uint64(max(k.innerFold, 0))) // since 1.2
	n += binary.PutUvarint(body[n:], uint64(k.outerFold))
	n += binary.PutUvarint(body[n:], uint64(k.foldRecord))
	n += binary.PutUvarint(body[n:], uint64(max(-k.innerHere, 0))) // early fields
	n += binary.PutUvarint(body[n:], uint64(max(-k.innerCtx, 0)))
	n += binary.PutUvarint(body[n:], uint64(max(-k.innerFold, 0)))
	b = append(b, recCost)
	b = binary.AppendUvarint(b, uint64(n))
	return append(b, body[:n]...)
}

// appendCost appends the cost line of the JSON Lines view.
func appendCost(b []byte, k cost) []byte {
	b = append(b, `{"cost":{"pid":`...)
	b = appendInt(b, int64(pid))
	b = append(b, `,"inner_ns":`...)
	b = strconv.AppendInt(b, max(k.innerHere, 0), 10)
	b = append(b, `,"outer_ns":`...)
	b = strconv.AppendInt(b, k.outerHere, 10)
	b = append(b, `,"ctx_inner_ns":`...)
	b = strconv.AppendInt(b, max(k.innerCtx, 0), 10)
	b = append(b, `,"ctx_outer_ns":`...)
	b = strconv.AppendInt(b, k.outerCtx, 10)
	if k.outerFold > 0 {
		b = append(b, `,"fold_inner_ns":`...)
		b = strconv.AppendInt(b, max(k.innerFold, 0), 10)
		b = append(b, `,"fold_outer_ns":`...)
		b = strconv.AppendInt(b, k.outerFold, 10)
		b = append(b, `,"fold_record_ns":`...)
		b = strconv.AppendInt(b, k.foldRecord, 10)
	}
	b = appendEarly(b, `,"early_ns":`, k.innerHere)
	b = appendEarly(b, `,"ctx_early_ns":`, k.innerCtx)
	b = appendEarly(b, `,"fold_early_ns":`, k.innerFold)
	return append(b, "}}\n"...)
}

// appendEarly appends key and how far below 0 inner is, when it is: a
// reader that knows no such key keeps inner at 0, as before.
func appendEarly(b []byte, key string, inner int64) []byte {
	if inner >= 0 {
		return b
	}
	return strconv.AppendInt(append(b, key...), -inner, 10)
}
