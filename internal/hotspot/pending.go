package hotspot

// pendEntry is the state of one parent that some children reached before
// it did: not the children themselves, but what the parent will need from
// them, so that its cost does not grow with their number: the union of
// their intervals (bounded, see coverage) and their flame subtrees merged by
// name under a placeholder node. Entries are in a FIFO list ordered by first
// arrival.
type pendEntry struct {
	k          key
	hash       uint32 // hashKey(&k)
	cov        coverage
	kids       *node // placeholder (no name) holding the children's subtrees; nil with the flame graph off
	n          int64 // children
	desc       int64 // descendants: the children and theirs
	foldSelf   int64 // ns that folded children take off its self time (fold.go)
	descNs     int64 // ns of recording in folded descendants, beyond desc spans' cost
	outside    int64 // ns its End spends writing fold records, after its interval: its parent's
	units      int64 // what it and its intervals cost against the cap, as counted in live (its flame nodes are counted there as kids.size)
	prev, next *pendEntry
}

// cost is what e and its intervals should cost against the cap now.
func (e *pendEntry) cost() int64 { return 1 + e.cov.size() }

// addPending files a child with interval iv and flame subtree n (nil with
// the flame graph off) as waiting for the parent pk, of hash h.
// desc is the child's subtree size: itself and its descendants; descNs
// and outside are what its folded descendants and fold records cost
// (fold.go).
func (a *Aggregator) addPending(pk *key, h uint32, iv interval, n *node, desc, descNs, outside int64) {
	a.joinPending(a.pendingFor(pk, h), iv, n, desc, descNs, outside)
}

// pendingFor returns the pending entry of the parent pk, of hash h,
// making one.
func (a *Aggregator) pendingFor(pk *key, h uint32) *pendEntry {
	p := a.pend.get(pk, h)
	if p == nil {
		p = a.newPending()
		p.k, p.hash = *pk, h
		if a.cfg.flame {
			p.kids = &node{}
		}
		a.link(p)
	}
	return p
}

// link adds p, not in the pending set, at its end (the newest).
func (a *Aggregator) link(p *pendEntry) {
	p.prev, p.next = a.tail, nil
	if a.tail != nil {
		a.tail.next = p
	} else {
		a.head = p
	}
	a.tail = p
	a.pend.put(p)
}

// joinPending files a child with interval iv, flame subtree n and subtree
// size desc (descNs, outside: see addPending) under the waiting parent p.
func (a *Aggregator) joinPending(p *pendEntry, iv interval, n *node, desc, descNs, outside int64) {
	p.n++
	p.desc += desc
	p.descNs += descNs + outside
	p.foldSelf += outside
	p.cov.add(iv)
	if n != nil {
		grown := n.size - p.kids.adopt(n)
		p.kids.size += grown
		a.live += grown
	}
	a.recost(p)
	a.evict()
}

// maxFree bounds the pending entries and interval slices kept for reuse.
const maxFree = 1 << 10

// newPending returns an empty pending entry, one given back by
// freePending if there is one: parents wait briefly, and most spans are
// one, so reuse saves an allocation or more (its intervals) per span.
func (a *Aggregator) newPending() *pendEntry {
	if n := len(a.freePend); n > 0 {
		p := a.freePend[n-1]
		a.freePend = a.freePend[:n-1]
		return p
	}
	p := &pendEntry{}
	if n := len(a.freeIvs); n > 0 {
		p.cov.ivs = a.freeIvs[n-1]
		a.freeIvs = a.freeIvs[:n-1]
	}
	return p
}

// freePending takes back p, unlinked, whose state nothing refers to any
// more (its coverage has been copied out with its interval slices: they are
// the finished span's now, see freeIntervals).
func (a *Aggregator) freePending(p *pendEntry) {
	*p = pendEntry{}
	if len(a.freePend) < maxFree {
		if n := len(a.freeIvs); n > 0 {
			p.cov.ivs = a.freeIvs[n-1]
			a.freeIvs = a.freeIvs[:n-1]
		}
		a.freePend = append(a.freePend, p)
	}
}

// reuse takes back p, which holds only a coverage nothing refers to any
// more (a finished span's, leaving the window), with its interval slice.
func (a *Aggregator) reuse(p *pendEntry) {
	if len(a.freePend) < maxFree {
		*p = pendEntry{cov: coverage{ivs: p.cov.ivs[:0]}}
		a.freePend = append(a.freePend, p)
	}
}

// freeIntervals takes back the interval slices of a coverage nothing uses
// any more (a finished span leaving the window).
func (a *Aggregator) freeIntervals(c *coverage) {
	if c.ivs != nil && len(a.freeIvs) < maxFree {
		a.freeIvs = append(a.freeIvs, c.ivs[:0])
	}
}

// recost brings live up to date with p's cost.
func (a *Aggregator) recost(p *pendEntry) {
	c := p.cost()
	a.live += c - p.units
	p.units = c
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
	a.pend.del(p)
	a.live -= p.units
	if p.kids != nil {
		a.live -= p.kids.size
	}
	p.units = 0
}

// evict gives up on the oldest waiting parents while over the cap: their
// children become roots. With the state of a parent this small, it takes
// more than MaxPending parents waiting at once (see MaxPending).
func (a *Aggregator) evict() {
	for a.live > int64(a.cfg.maxPending) && a.head != nil && a.head != a.tail {
		p := a.head
		a.unlink(p)
		a.evicted += p.n
		if p.kids != nil {
			for _, k := range p.kids.kids {
				k.size = 1 // not used again: the tree is the flame root's now
				a.flame.adopt(k)
			}
		}
		a.freeIntervals(&p.cov)
		a.freePending(p)
	}
}
