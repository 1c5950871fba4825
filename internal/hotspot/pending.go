package hotspot

// addPending files c as waiting for the parent pk.
func (a *Aggregator) addPending(pk key, c child) {
	p := a.pend[pk]
	if p == nil {
		p = &pendEntry{k: pk, prev: a.tail}
		if a.tail != nil {
			a.tail.next = p
		} else {
			a.head = p
		}
		a.tail = p
		a.pend[pk] = p
	}
	p.children = append(p.children, c)
	a.live += c.size()
	a.evict()
}

// unlink removes p from the pending set.
func (a *Aggregator) unlink(p *pendEntry) {
	if p.prev != nil {
		p.prev.next = p.next
	} else {
		a.head = p.next
	}
	if p.next != nil {
		p.next.prev = p.prev
	} else {
		a.tail = p.prev
	}
	p.prev, p.next = nil, nil
	delete(a.pend, p.k)
}

// evict gives up on the oldest waiting children while over the cap: they
// become roots.
func (a *Aggregator) evict() {
	for a.live > int64(a.cfg.maxPending) && a.head != nil {
		p := a.head
		a.unlink(p)
		for i := range p.children {
			c := &p.children[i]
			a.live -= c.size()
			a.evicted++
			if c.node != nil {
				a.flame.adopt(c.node)
			}
		}
	}
}

// remember puts d in the window of recently finished spans.
func (a *Aggregator) remember(d doneRec) {
	if len(a.done) < a.cfg.window {
		a.doneIdx[d.k] = int32(len(a.done))
		a.done = append(a.done, d)
		return
	}
	slot := a.doneNext
	if old := &a.done[slot]; a.doneIdx[old.k] == int32(slot) {
		delete(a.doneIdx, old.k)
	}
	a.done[slot] = d
	a.doneIdx[d.k] = int32(slot)
	a.doneNext = (slot + 1) % a.cfg.window
}

// recent returns the recently finished span k, or nil.
func (a *Aggregator) recent(k key) *doneRec {
	i, ok := a.doneIdx[k]
	if !ok {
		return nil
	}
	return &a.done[i]
}
