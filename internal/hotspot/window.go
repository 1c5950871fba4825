package hotspot

// The window of recently finished spans, for children that arrive after
// their parent: the spans of the last Window stream positions (see AddAt),
// in a ring that grows up to Window records. An Aggregator that sees every
// span keeps exactly the last Window of them; one of several sharing a
// stream keeps its own of those positions, about Window/n, so that the
// ring and its index stay small enough for the cache.

// remember makes room in the window for k, of hash h, at the current
// position, and returns its slot for the caller to fill in (k and hash
// included).
func (a *Aggregator) remember(k *key, h uint32) int32 {
	if a.doneLen == len(a.done) {
		if len(a.done) < a.cfg.window {
			a.growWindow()
		} else {
			a.forget()
		}
	}
	slot := a.doneHead + a.doneLen
	if slot >= len(a.done) {
		slot -= len(a.done)
	}
	a.doneLen++
	a.doneSeq[slot] = a.pos
	a.doneIdx.set(k, h, int32(slot), a.done)
	return int32(slot)
}

// expire drops the spans more than Window positions before the current
// one, before the span there looks for its parent.
func (a *Aggregator) expire() {
	for a.doneLen > 0 && a.pos-a.doneSeq[a.doneHead] > int64(a.cfg.window) {
		a.forget()
	}
}

// forget drops the oldest span of the window.
func (a *Aggregator) forget() {
	slot := a.doneHead
	old := &a.done[slot]
	a.doneIdx.drop(old.hash, int32(slot))
	if old.covered != nil {
		a.reuse(old.covered)
		old.covered = nil
	}
	if a.doneHead++; a.doneHead == len(a.done) {
		a.doneHead = 0
	}
	a.doneLen--
}

// minWindowRing is the ring's first size.
const minWindowRing = 1 << 10

// growWindow enlarges the full ring by half (up to Window), oldest record
// first at slot 0, and indexes it anew.
func (a *Aggregator) growWindow() {
	n := min(a.cfg.window, max(minWindowRing, len(a.done)+len(a.done)/2))
	done := make([]doneRec, n)
	seq := make([]int64, n)
	var more []doneMore
	if a.cfg.flame || a.cfg.samples || a.cfg.by {
		more = make([]doneMore, n)
	}
	for i := range a.doneLen {
		j := a.doneHead + i
		if j >= len(a.done) {
			j -= len(a.done)
		}
		done[i], seq[i] = a.done[j], a.doneSeq[j]
		if more != nil {
			more[i] = a.doneMore[j]
		}
	}
	a.done, a.doneSeq, a.doneMore, a.doneHead = done, seq, more, 0
	a.doneIdx = newWindowIndex(n)
	for i := range a.doneLen {
		a.doneIdx.set(&done[i].k, done[i].hash, int32(i), done)
	}
}

// recent returns the window slot of the recently finished span k, of hash
// h, or -1.
func (a *Aggregator) recent(k *key, h uint32) int32 {
	return a.doneIdx.find(k, h, a.done)
}
