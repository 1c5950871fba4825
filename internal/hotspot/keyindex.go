package hotspot

import (
	"encoding/binary"
	"math/bits"
)

// The aggregator looks a span's key up two to four times per span (its own
// pending state, its parent among the recently finished, its parent's
// pending state, the window's index). Go maps hash the 24-byte key with
// memhash and probe a table that, for the window, does not stay in cache;
// these open-addressing tables (linear probing, backward-shift deletion)
// keep a 32-bit hash per slot, so that most probes touch one small array and
// compare the full key only on a hash match. Exact: a key is found only by
// an equal key.

// hashKey mixes the span ID with the trace ID (splitmix64's finaliser, so
// that every input bit reaches the high bits): IDs are random in the
// runtime's traces, but imported ones may count up, in either byte order.
func hashKey(k *key) uint32 {
	x := binary.LittleEndian.Uint64(k.span[:])
	x ^= bits.RotateLeft64(binary.LittleEndian.Uint64(k.trace[:8]), 21)
	x ^= bits.RotateLeft64(binary.LittleEndian.Uint64(k.trace[8:]), 42)
	x ^= x >> 30
	x *= 0xbf58476d1ce4e5b9
	x ^= x >> 27
	x *= 0x94d049bb133111eb
	x ^= x >> 31
	return uint32(x)
}

// windowIndex maps the keys of the window of finished spans (Aggregator.done)
// to their slots. Its size is fixed: at most one entry per slot of the
// window's ring, and at least 1.25 slots per ring slot, so it never fills
// beyond four fifths (half, most of the time: an aggregator of several
// holds about half its ring). Smaller than twice the ring, it stays in
// cache more: 10% less CPU for the report at 10^7 spans.
type windowIndex struct {
	slots []windowSlot
	mask  uint32
	n     int // entries
}

type windowSlot struct {
	hash uint32
	at   int32 // slot in the window; -1: empty
}

func newWindowIndex(window int) windowIndex {
	n := 16
	for n < window+window/4 {
		n *= 2
	}
	w := windowIndex{slots: make([]windowSlot, n), mask: uint32(n - 1)}
	for i := range w.slots {
		w.slots[i].at = -1
	}
	return w
}

// find returns the window slot holding k (of hash h), or -1.
func (w *windowIndex) find(k *key, h uint32, done []doneRec) int32 {
	for i := h & w.mask; ; i = (i + 1) & w.mask {
		s := &w.slots[i]
		if s.at < 0 {
			return -1
		}
		if s.hash == h && done[s.at].k == *k {
			return s.at
		}
	}
}

// set makes k (of hash h) refer to window slot at (replacing an entry for
// k).
func (w *windowIndex) set(k *key, h uint32, at int32, done []doneRec) {
	for i := h & w.mask; ; i = (i + 1) & w.mask {
		s := &w.slots[i]
		if s.at < 0 {
			*s = windowSlot{hash: h, at: at}
			w.n++
			return
		}
		if s.hash == h && done[s.at].k == *k {
			s.at = at
			return
		}
	}
}

// drop removes the entry for window slot at, whose key has hash h, if the
// key still refers to it (a later span with the same key may have taken it
// over). Each slot has at most one entry, so no key comparison is needed.
func (w *windowIndex) drop(h uint32, at int32) {
	for i := h & w.mask; ; i = (i + 1) & w.mask {
		s := &w.slots[i]
		if s.at < 0 {
			return
		}
		if s.at == at {
			w.remove(i)
			w.n--
			return
		}
	}
}

// remove empties slot i and shifts back the entries after it that probed
// past it, so that no probe sequence has a hole.
func (w *windowIndex) remove(i uint32) {
	for j := (i + 1) & w.mask; ; j = (j + 1) & w.mask {
		s := w.slots[j]
		if s.at < 0 {
			break
		}
		home := s.hash & w.mask
		// s may move to i if i lies on its probe path: home..j, cyclically.
		if (j-home)&w.mask >= (j-i)&w.mask {
			w.slots[i] = s
			i = j
		}
	}
	w.slots[i].at = -1
}

// pendIndex maps keys to the pending state of parents not seen yet. It grows
// as parents wait (up to MaxPending of them) and does not shrink.
type pendIndex struct {
	slots []pendSlot
	mask  uint32
	n     int
}

type pendSlot struct {
	hash uint32
	p    *pendEntry // nil: empty
}

func newPendIndex() pendIndex {
	return pendIndex{slots: make([]pendSlot, 64), mask: 63}
}

// get returns the pending state of k (of hash h), or nil.
func (t *pendIndex) get(k *key, h uint32) *pendEntry {
	if t.n == 0 {
		return nil
	}
	for i := h & t.mask; ; i = (i + 1) & t.mask {
		s := &t.slots[i]
		if s.p == nil {
			return nil
		}
		if s.hash == h && s.p.k == *k {
			return s.p
		}
	}
}

// put adds p, whose key (of hash p.hash) is not in t.
func (t *pendIndex) put(p *pendEntry) {
	if 2*(t.n+1) > len(t.slots) {
		t.grow()
	}
	t.insert(p.hash, p)
	t.n++
}

func (t *pendIndex) insert(h uint32, p *pendEntry) {
	i := h & t.mask
	for t.slots[i].p != nil {
		i = (i + 1) & t.mask
	}
	t.slots[i] = pendSlot{hash: h, p: p}
}

func (t *pendIndex) grow() {
	old := t.slots
	t.slots = make([]pendSlot, 2*len(old))
	t.mask = uint32(len(t.slots) - 1)
	for _, s := range old {
		if s.p != nil {
			t.insert(s.hash, s.p)
		}
	}
}

// del removes p, which is in t.
func (t *pendIndex) del(p *pendEntry) {
	h := p.hash
	for i := h & t.mask; ; i = (i + 1) & t.mask {
		s := &t.slots[i]
		if s.p == nil {
			return
		}
		if s.p == p {
			t.remove(i)
			t.n--
			return
		}
	}
}

// remove empties slot i, shifting back the entries that probed past it.
func (t *pendIndex) remove(i uint32) {
	for j := (i + 1) & t.mask; ; j = (j + 1) & t.mask {
		s := t.slots[j]
		if s.p == nil {
			break
		}
		if home := s.hash & t.mask; (j-home)&t.mask >= (j-i)&t.mask {
			t.slots[i] = s
			i = j
		}
	}
	t.slots[i] = pendSlot{}
}
