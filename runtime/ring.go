package autotrace

import "sync/atomic"

// An ended span waits for the exporter as a rec: a copy of what its line
// needs, 64 bytes with no pointers (its site by number, see registerSite),
// so that its record (spanrec.go) is free for the next span at once, the
// buffers are never scanned by the GC, and the exporter reads them
// sequentially. Only a span that has more than a rec holds (an error,
// attributes, a panic, a tracestate, or a site without a number) also
// keeps its extras, by pointer, in a shard's small ring of its own (see
// shard.xs), in the same order. A shard of N spans thus takes 64·N bytes
// plus 8·min(N, 1024), and the extras it holds.
type rec struct {
	trace    traceID
	id       uint64
	parentID uint64
	start    int64  // ticks
	end      int64  // ticks
	site     uint32 // site number; 0: none, see the Span
	status   uint8
	hasSpan  bool // the span's extras are in its buffer's ring of extras
	_        [10]byte
}

// recOf fills r with the span s (extras x, or nil), which ended at end,
// and reports whether the exporter needs x too.
func recOf(r *rec, s *spanRec, x *spanExtra, end int64) bool {
	r.trace = traceID{s.traceHi.Load(), s.traceLo.Load()}
	r.id = s.id.Load()
	r.parentID = s.parent
	r.start = s.start
	r.end = end
	r.site = s.site.Load()
	r.status = s.status
	r.hasSpan = x != nil
	return r.hasSpan
}

// shard is one P's span buffer: a single-producer, single-consumer ring of
// ended spans. The producer is whichever goroutine runs on the shard's P,
// pinned to it (procPin) while it pushes, so there is never more than one
// at a time and the hot path needs no CAS. Producer and consumer (the
// exporter, serialised by recorder.mu) each publish their index with one
// atomic store and keep a cached copy of the other's, so they share cache
// lines only when the ring is nearly full or empty.
//
// Each group of fields has cache lines of its own (shards sit side by side
// in one slice), so two Ps never write to the same line.
type shard struct {
	_    [64]byte
	mask uint64 // read-only after init
	recs []rec
	// xs holds the extras of the recs that have them (hasSpan), in push
	// order: a ring of its own, indexed by xtail and xhead, and far
	// smaller than recs, because the GC scans every word of a slice of
	// pointers at every cycle, nil or not. A side array as long as recs
	// (512 KB of pointers at the default size) cost the E1 server ~3,000
	// instructions of GC scanning a request (typePointers.next,
	// scanObject), more than its spans' starts.
	xs    []*spanExtra
	xmask uint64 // read-only after init

	tail      atomic.Uint64 // spans pushed (producer)
	headCache atomic.Uint64 // producer's last view of head
	dropped   atomic.Uint64 // spans dropped because the ring was full (counted by the caller)
	xtail     atomic.Uint64 // extras pushed (producer)
	_         [32]byte

	head  atomic.Uint64 // spans consumed (consumer)
	xhead atomic.Uint64 // extras consumed (consumer)
	_     [48]byte
}

// maxShardExtras bounds a shard's ring of extras: spans with extras are
// few (errors, attributes, panics), and a burst of more than this between
// two drains finds the shard full, as a burst of spans does (pushFull).
const maxShardExtras = 1024

// init makes q an empty ring of size slots, a power of two.
func (q *shard) init(size int) {
	q.mask = uint64(size - 1)
	q.recs = make([]rec, size)
	nx := min(size, maxShardExtras)
	q.xmask = uint64(nx - 1)
	q.xs = make([]*spanExtra, nx)
}

// push appends s and returns its position, or reports that the ring is
// full (the caller drops s, or finds it another place). Only the goroutine
// pinned to the shard's P may call it.
func (q *shard) push(s *spanRec, x *spanExtra, end int64) (pos uint64, ok bool) {
	t := q.tail.Load()
	if t-q.headCache.Load() > q.mask {
		h := q.head.Load()
		q.headCache.Store(h)
		if t-h > q.mask {
			return t, false
		}
	}
	if x != nil {
		xt := q.xtail.Load()
		if xt-q.xhead.Load() > q.xmask {
			return t, false
		}
		q.xs[xt&q.xmask] = x
		q.xtail.Store(xt + 1)
	}
	recOf(&q.recs[t&q.mask], s, x, end)
	storeRelUint64(&q.tail, t+1)
	return t, true
}

// drain calls f for each span pushed so far, at most one ring's worth, and
// frees their slots.
func (q *shard) drain(f func(*rec, *spanExtra)) {
	h, t := q.head.Load(), q.tail.Load()
	xh := q.xhead.Load()
	for ; h != t; h++ {
		if h&1023 == 0 {
			q.xhead.Store(xh)
			q.head.Store(h) // free slots as we go: a producer may be waiting (pushFull)
		}
		r := &q.recs[h&q.mask]
		if !r.hasSpan {
			f(r, nil)
			continue
		}
		i := xh & q.xmask
		x := q.xs[i]
		q.xs[i] = nil // do not keep the extras alive
		xh++
		f(r, x)
	}
	q.xhead.Store(xh)
	q.head.Store(h)
}

// mpscRing is the buffer for spans ended on a P beyond the shards (when
// GOMAXPROCS grew after recording started): a bounded multi-producer ring
// (Vyukov's sequence-numbered slots), slower but safe without pinning.
type mpscRing struct {
	tail    atomic.Uint64
	dropped atomic.Uint64
	_       [48]byte
	head    uint64 // consumer only
	mask    uint64
	slots   []mpscSlot
	spans   []*spanExtra
}

type mpscSlot struct {
	seq atomic.Uint64 // == pos: free for pos; == pos+1: holds pos's span
	rec
}

func (q *mpscRing) init(size int) {
	q.mask = uint64(size - 1)
	q.slots = make([]mpscSlot, size)
	q.spans = make([]*spanExtra, size)
	for i := range q.slots {
		q.slots[i].seq.Store(uint64(i))
	}
}

func (q *mpscRing) push(s *spanRec, x *spanExtra, end int64) {
	pos := q.tail.Load()
	for {
		sl := &q.slots[pos&q.mask]
		seq := sl.seq.Load()
		switch {
		case seq == pos:
			if q.tail.CompareAndSwap(pos, pos+1) {
				if recOf(&sl.rec, s, x, end) {
					q.spans[pos&q.mask] = x
				}
				sl.seq.Store(pos + 1)
				return
			}
		case seq < pos: // the consumer has not freed this slot yet: full
			q.dropped.Add(1)
			return
		}
		pos = q.tail.Load()
	}
}

func (q *mpscRing) drain(f func(*rec, *spanExtra)) {
	for n := len(q.slots); n > 0; n-- {
		i := q.head & q.mask
		sl := &q.slots[i]
		if sl.seq.Load() != q.head+1 {
			return
		}
		var s *spanExtra
		if sl.hasSpan {
			s, q.spans[i] = q.spans[i], nil
		}
		f(&sl.rec, s)
		sl.seq.Store(q.head + q.mask + 1)
		q.head++
	}
}
