package autotrace

import "math/bits"

// Each slot of the goroutine table has a small stack of records of its
// own, one per depth: the span a goroutine starts at depth d of its slot
// (d spans of the goroutine are open below it) takes the slot's record d,
// and End gives it back by closing its generation. Taking and giving back
// are then a few plain loads and stores at an address computed from the
// slot and the depth, without procPin or the per-P caches: only the
// slot's owner opens the slot's records, and the key CAS that hands a
// slot to another goroutine orders the owners' writes.
//
// The records are named like pool records, as chunks from maxRecChunks
// on, so that a handle, the extras and every reader work alike for both;
// each chunk holds the records of 292 consecutive slots and is made
// (pointer-free, like the pool's, so the garbage collector never scans
// it) when the first of them is used: at most glsSize·glsDepth records,
// 18 MB, for a program whose goroutines use every slot 14 deep. A
// goroutine releases its slot when its last open span ends, so the
// records it used are closed by then, and ready for the slot's next
// owner.
//
// A span deeper than glsDepth, or one whose depth's record is still open
// (spans ended out of order can leave one behind when the slot is
// released), takes a pool record as before.
const (
	glsDepth   = 14
	keptChunks = glsSize * glsDepth / recChunk
	keptFirst  = maxRecChunks << recChunkBits // the first kept record's number
)

var _ [recChunkNums - maxRecChunks - keptChunks]struct{}

// keptRec returns slot j's record for depth d and its number; nil if its
// chunk is not made yet (makeKept).
func keptRec(j uint32, d uint8) (*spanRec, uint32) {
	i := keptFirst + j*glsDepth + uint32(d)
	c := recs.chunks[i>>recChunkBits%recChunkNums].Load()
	if c == nil {
		return nil, i
	}
	return &c[i&(recChunk-1)], i
}

// makeKept makes the chunk of kept record i.
func makeKept(i uint32) *spanRec {
	p := &recs.chunks[i>>recChunkBits%recChunkNums]
	p.CompareAndSwap(nil, new(recChunkT))
	return &p.Load()[i&(recChunk-1)]
}

// recAt returns record i, which exists.
func recAt(i uint32) *spanRec {
	return &recs.chunks[i>>recChunkBits%recChunkNums].Load()[i&(recChunk-1)]
}

// recStack is one goroutine-table slot's span-id sequence, a line of its
// own: each span writes it.
type recStack struct {
	ids uint64 // (spanIDAt)
	_   [56]byte
}

var recStacks [glsSize]recStack

// place is where the goroutine's next span goes: its table slot j (-1:
// none), above its innermost open span top (0: none), at depth d.
type place struct {
	top ref
	j   int32
	d   uint8
}

// placeAt returns the place of the next span in slot j (-1: none).
func placeAt(j int32) place {
	at, _ := placeIn(j)
	return at
}

// maxDepth is the depth recorded for spans at that depth or deeper.
const maxDepth = 255

// openAt opens a record for a span the goroutine g starts at place at:
// the slot's record for its depth when that is closed, else a pool record
// (openRec).
func openAt(g uintptr, at place, flags uint32) (*spanRec, ref) {
	if at.j < 0 || at.d >= glsDepth {
		return openRec(g, flags)
	}
	r, i := keptRec(uint32(at.j), at.d)
	if r == nil {
		r = makeKept(i)
	}
	gen := r.gen.Load()
	if gen&1 != 0 {
		return openRec(g, flags) // still open: spans ended out of order
	}
	gen++
	storeRelUint32(&r.gen, gen)
	storeRelUintptr(&r.owner, g)
	storeRelUint32(&r.flags, flags|flagKept)
	return r, mkref(i, gen)
}

// closeRec ends h's generation (record r) and frees the record, unless
// a goroutine-table slot keeps it: then closing it is all there is.
func closeRec(r *spanRec, h ref) {
	kept := r.flags.Load()&flagKept != 0
	storeRelUint32(&r.gen, h.gen()+1)
	if !kept {
		freeRec(h.idx())
	}
}

// flagKept marks a record that a goroutine-table slot keeps (spanRec.flags).
const flagKept = flagState << 1

// spanIDAt returns a new span id for a span begun in slot j (-1: none):
// from the slot's sequence (nextID), seeded at random on first use.
func spanIDAt(j int32) uint64 {
	if uint32(j) >= glsSize {
		return newSpanID()
	}
	st := &recStacks[j]
	if st.ids == 0 {
		st.ids = uint64(cheaprand64())<<1 | 1
	}
	return st.nextID()
}

// nextID draws the slot's next span id: wyrand, the runtime's own
// generator (cheaprand), on a state of the slot's, so that a span id costs
// one multiply and touches nothing shared. 63 random bits, as newSpanID's,
// and the lowest set, so never 0. The state, a Weyl sequence, never
// repeats in 2^64 draws, and two slots' states meet only if their random
// seeds were within as many steps as they drew.
func (st *recStack) nextID() uint64 {
	st.ids += 0xa0761d6478bd642f
	hi, lo := bits.Mul64(st.ids, st.ids^0xe7037ed1a0b428db)
	return hi ^ lo | 1
}

// beginKept begins the span named name of the goroutine g in its common
// case, and returns its handle and span id, or the zero Span, having written
// nothing, when the case is not common: the general path then starts the
// span. The common case: g sits in its home slot, whose record for the
// depth above g's innermost span is closed, and the name's site is known
// and numbered. The parent is the span c names when c is not nil (Start
// with a context from Start), else g's innermost span, which must then be
// a sampled span that is neither an adoption nor has a tracestate
// (StartHere). It is begin written out, every check before the first
// write, the start time read last; a folded site's untimed call reads none
// (fold.go).
func beginKept(g uintptr, name string, c *spanCtx) (Span, uint64) {
	j := glsHome(g)
	if gls.keys[j].Load() != g || active.Load() == nil {
		return Span{}, 0
	}
	top := ref(gls.vals[j].Load())
	pr := top.rec()
	var d uint8
	if pr != nil {
		if pr.depth >= glsDepth-1 {
			return Span{}, 0 // too deep (and depth saturates at maxDepth)
		}
		d = pr.depth + 1
	} else if c == nil {
		return Span{}, 0 // a root
	}
	site, st := siteCached(name), &recStacks[j]
	if site == nil || site.idx == 0 || st.ids == 0 {
		return Span{}, 0
	}
	if c == nil && pr.flags.Load()&(flagSampled|flagLink|flagState) != flagSampled {
		return Span{}, 0
	}
	r, i := keptRec(j, d)
	if r == nil {
		return Span{}, 0 // its chunk is not made yet
	}
	gen := r.gen.Load() + 1
	if gen&1 == 0 {
		return Span{}, 0 // still open: spans ended out of order
	}
	storeRelUint32(&r.gen, gen)
	storeRelUintptr(&r.owner, g)
	storeRelUint32(&r.flags, flagSampled|flagKept)
	pref := top
	if c != nil {
		r.setTrace(c.trace)
		r.parent = c.id
		pref = c.span.r
	} else {
		storeRelUint64(&r.traceHi, pr.traceHi.Load())
		storeRelUint64(&r.traceLo, pr.traceLo.Load())
		r.parent = pr.id.Load()
	}
	storeRelUint32(&r.site, site.idx)
	id := st.nextID()
	storeRelUint64(&r.id, id)
	r.status = statusOK
	r.slot, r.depth = int16(j), d
	storeRelUint64(&r.prev, uint64(top))
	h := mkref(i, gen)
	storeRelUint64(&gls.vals[j], uint64(h))
	if execOn.Load() {
		execBegin(Span{h}, pref)
	}
	if foldOn.Load() {
		if pref == top && pr != nil {
			keepParent(pr)
		}
		if untimed(id) && siteFolded(site.idx) {
			r.start = 0 // counted, not timed (fold.go)
			return Span{h}, id
		}
	}
	if useTSC { // ticks(), by hand: one call less on the hot path
		r.start = rdtsc()
	} else {
		r.start = monoNow()
	}
	return Span{h}, id
}
