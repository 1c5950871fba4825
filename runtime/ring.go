package autotrace

import "sync/atomic"

// ring is one shard of the span buffer: a bounded multi-producer,
// single-consumer queue of ended spans (Vyukov's sequence-numbered ring).
// Producers pick the shard of their P while pinned to it, so in practice
// each shard has one producer at a time and its cache lines stay on one
// core; the CAS only matters when two Ps share a shard. The consumer is the
// exporter, serialised by recorder.mu.
type ring struct {
	tail    atomic.Uint64 // next position to reserve; counts spans pushed
	started atomic.Uint64 // recorded spans started on this shard's P
	dropped atomic.Uint64 // spans dropped because the shard was full
	_       [40]byte      // keep producer counters off the consumer's line

	head  uint64 // next position to consume (consumer only)
	mask  uint64
	slots []ringSlot
	_     [32]byte
}

type ringSlot struct {
	seq atomic.Uint64 // == pos: free for pos; == pos+1: holds pos's span
	sp  *Span
}

// init makes q an empty ring of size slots, a power of two.
func (q *ring) init(size int) {
	q.mask = uint64(size - 1)
	q.slots = make([]ringSlot, size)
	for i := range q.slots {
		q.slots[i].seq.Store(uint64(i))
	}
}

// push appends s, or reports false when the shard is full. It never blocks.
func (q *ring) push(s *Span) (pos uint64, ok bool) {
	pos = q.tail.Load()
	for {
		sl := &q.slots[pos&q.mask]
		seq := sl.seq.Load()
		switch {
		case seq == pos:
			if q.tail.CompareAndSwap(pos, pos+1) {
				sl.sp = s
				sl.seq.Store(pos + 1)
				return pos, true
			}
		case seq < pos: // the consumer has not freed this slot yet: full
			return pos, false
		}
		pos = q.tail.Load()
	}
}

// pop removes the oldest span, or returns nil when none is ready.
func (q *ring) pop() *Span {
	sl := &q.slots[q.head&q.mask]
	if sl.seq.Load() != q.head+1 {
		return nil
	}
	s := sl.sp
	sl.sp = nil
	sl.seq.Store(q.head + q.mask + 1)
	q.head++
	return s
}
