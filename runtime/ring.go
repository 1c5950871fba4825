package autotrace

import "sync/atomic"

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
	_     [64]byte
	mask  uint64 // read-only after init
	slots []slot
	_     [32]byte

	tail      atomic.Uint64 // spans pushed (producer)
	headCache atomic.Uint64 // producer's last view of head
	dropped   atomic.Uint64 // spans dropped because the ring was full
	_         [40]byte

	head atomic.Uint64 // spans consumed (consumer)
	_    [56]byte
}

type slot struct {
	sp  *Span
	end int64 // the span's end time in ticks
}

// init makes q an empty ring of size slots, a power of two.
func (q *shard) init(size int) {
	q.mask = uint64(size - 1)
	q.slots = make([]slot, size)
}

// push appends s, or counts it dropped when the ring is full, and returns
// its position. Only the goroutine pinned to the shard's P may call it.
func (q *shard) push(s *Span, end int64) (pos uint64, ok bool) {
	t := q.tail.Load()
	if t-q.headCache.Load() > q.mask {
		h := q.head.Load()
		q.headCache.Store(h)
		if t-h > q.mask {
			q.dropped.Add(1)
			return t, false
		}
	}
	q.slots[t&q.mask] = slot{s, end}
	storeRelUint64(&q.tail, t+1)
	return t, true
}

// drain calls f for each span pushed so far, at most one ring's worth, and
// frees their slots.
func (q *shard) drain(f func(*Span, int64)) {
	h, t := q.head.Load(), q.tail.Load()
	for ; h != t; h++ {
		sl := &q.slots[h&q.mask]
		f(sl.sp, sl.end)
		sl.sp = nil // do not keep the span and its context alive
	}
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
}

type mpscSlot struct {
	seq atomic.Uint64 // == pos: free for pos; == pos+1: holds pos's span
	slot
}

func (q *mpscRing) init(size int) {
	q.mask = uint64(size - 1)
	q.slots = make([]mpscSlot, size)
	for i := range q.slots {
		q.slots[i].seq.Store(uint64(i))
	}
}

func (q *mpscRing) push(s *Span, end int64) {
	pos := q.tail.Load()
	for {
		sl := &q.slots[pos&q.mask]
		seq := sl.seq.Load()
		switch {
		case seq == pos:
			if q.tail.CompareAndSwap(pos, pos+1) {
				sl.slot = slot{s, end}
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

func (q *mpscRing) drain(f func(*Span, int64)) {
	for n := len(q.slots); n > 0; n-- {
		sl := &q.slots[q.head&q.mask]
		if sl.seq.Load() != q.head+1 {
			return
		}
		f(sl.sp, sl.end)
		sl.slot = slot{}
		sl.seq.Store(q.head + q.mask + 1)
		q.head++
	}
}
