package autotrace

import (
	"sync"
	"sync/atomic"
)

// An open span's state lives in a spanRec, not in a heap object of its
// own: records sit in chunks allocated once and reused, and hold no
// pointers, so a span allocates nothing and the garbage collector neither
// scans the records nor pays a write barrier for them. A Span is a handle
// to its record: the record's number and its generation, which the record
// changes when the span starts and when it ends, so a handle kept past End
// (or a record reused by another span) no longer matches and is ignored.
//
// What few spans have and needs pointers (an error, attributes, a panic, a
// tracestate, an execution-trace task) goes in a spanExtra, found by the
// record's number in a side table and handed to the exporter at End.
//
// Fields that another goroutine reads (a goroutine adopting the span,
// Shutdown listing pending spans, a stale handle being checked) are
// atomics written with release stores: plain MOVs on amd64.
type spanRec struct {
	gen     atomic.Uint32 // odd while open; a handle is live while it matches
	site    atomic.Uint32 // site number (siteAt); 0: the site is in the extras
	prev    atomic.Uint64 // ref of the goroutine's innermost span before this one
	traceHi atomic.Uint64
	traceLo atomic.Uint64
	id      atomic.Uint64
	owner   atomic.Uintptr // getg key of the goroutine that started the span
	link    ref            // flagLink: the span the goroutine adopted
	parent  uint64         // parent span id, 0 for a root of a new trace
	start   int64          // ticks
	flags   atomic.Uint32  // flagSampled, flagRemote, flagLink, flagRoot, flagKept
	slot    int16          // goroutine-table slot, -1 if none
	status  uint8
	depth   uint8 // open spans of the goroutine below this one in its slot (recstack.go)
}

// ref names a record and one generation of it: gen<<32 | number. The zero
// ref names nothing (record 0 is never used, and open generations are odd).
type ref uint64

func mkref(idx, gen uint32) ref { return ref(uint64(gen)<<32 | uint64(idx)) }
func (h ref) idx() uint32       { return uint32(h) }
func (h ref) gen() uint32       { return uint32(h >> 32) }

// Record storage: chunks of recChunk records, made as open spans need
// them, up to maxRecChunks (about a million spans open at once, 80 MB);
// past that a span is not recorded and is counted as dropped. The chunks
// numbered from maxRecChunks on are the records the goroutine table's
// slots keep (recstack.go), in a static array of their own.
const (
	recChunkBits = 12
	recChunk     = 1 << recChunkBits
	maxRecChunks = 256
	recChunkNums = 512 // chunk numbers: the pool's, the slots', unused
	recCacheSize = 64  // free records kept per P
	maxCachedPs  = 128 // Ps with a cache; the others take the lock
)

type recChunkT [recChunk]spanRec
type extChunkT [recChunk]atomic.Pointer[spanExtra]

var recs struct {
	chunks [recChunkNums]atomic.Pointer[recChunkT]
	exts   [recChunkNums]atomic.Pointer[extChunkT] // made on first extras in the chunk

	mu      sync.Mutex
	free    []uint32 // free record numbers beyond the per-P caches
	made    uint32   // chunks made
	refused atomic.Uint64
}

// recCache is one P's free records, so that most starts and ends take a
// record without a lock: only goroutines pinned to the P touch it. n is an
// atomic so the race detector sees the hand-over between goroutines.
type recCache struct {
	n   atomic.Uint32
	idx [recCacheSize]uint32
	_   [60]byte
}

var recCaches [maxCachedPs]recCache

// live returns h's record if h is its current generation, else nil.
func (h ref) rec() *spanRec {
	g := h.gen()
	if g&1 == 0 {
		return nil
	}
	c := recs.chunks[h.idx()>>recChunkBits%recChunkNums].Load()
	if c == nil {
		return nil
	}
	r := &c[h.idx()&(recChunk-1)]
	if r.gen.Load() != g {
		return nil
	}
	return r
}

// own returns h's record if h is live and was started by the calling
// goroutine, else nil: a handle used after End or from another goroutine
// is ignored.
func (h ref) own() *spanRec {
	r := h.rec()
	if r == nil || r.owner.Load() != getg() {
		return nil
	}
	return r
}

// openRec takes a free record, opens a new generation of it for the
// calling goroutine and returns it with its ref; nil when every record is
// in use (counted in recs.refused, reported as dropped).
func openRec(g uintptr, flags uint32) (*spanRec, ref) {
	i := allocRec()
	if i == 0 {
		recs.refused.Add(1)
		return nil, 0
	}
	r := &recs.chunks[i>>recChunkBits].Load()[i&(recChunk-1)]
	gen := r.gen.Load() + 1
	storeRelUint32(&r.gen, gen)
	storeRelUintptr(&r.owner, g)
	storeRelUint32(&r.flags, flags)
	return r, mkref(i, gen)
}

func allocRec() uint32 {
	pid := procPin()
	if uint(pid) < maxCachedPs {
		c := &recCaches[pid]
		if n := c.n.Load(); n > 0 {
			i := c.idx[n-1]
			storeRelUint32(&c.n, n-1)
			procUnpin()
			return i
		}
	}
	procUnpin()
	return allocSlow()
}

// allocSlow refills the P's cache from the free list, making a chunk when
// that is empty. The lock is never taken while pinned: a pinned goroutine
// must not block.
func allocSlow() uint32 {
	var batch [recCacheSize / 2]uint32
	k := 0
	recs.mu.Lock()
	for k < len(batch) {
		if n := len(recs.free); n > 0 {
			take := min(n, len(batch)-k)
			copy(batch[k:], recs.free[n-take:])
			recs.free = recs.free[:n-take]
			k += take
			continue
		}
		if !growRecs() {
			break
		}
	}
	recs.mu.Unlock()
	if k == 0 {
		return 0
	}
	k--
	i := batch[k]
	pid := procPin()
	if uint(pid) < maxCachedPs {
		c := &recCaches[pid]
		n := c.n.Load()
		for k > 0 && n < recCacheSize {
			k--
			c.idx[n] = batch[k]
			n++
		}
		storeRelUint32(&c.n, n)
	}
	procUnpin()
	if k > 0 {
		recs.mu.Lock()
		recs.free = append(recs.free, batch[:k]...)
		recs.mu.Unlock()
	}
	return i
}

// growRecs makes a chunk and frees its records; recs.mu is held.
func growRecs() bool {
	if recs.made == maxRecChunks {
		return false
	}
	c := recs.made
	recs.chunks[c].Store(new(recChunkT))
	recs.made++
	first := c << recChunkBits
	if first == 0 {
		first = 1 // record 0 is never used: the zero ref names nothing
	}
	for i := c<<recChunkBits + recChunk - 1; i >= first; i-- {
		recs.free = append(recs.free, i)
	}
	return true
}

func freeRec(i uint32) {
	pid := procPin()
	if freeRecPinned(pid, i) {
		procUnpin()
		return
	}
	procUnpin()
	freeRecSlow(i)
}

// freeRecPinned puts record i in P pid's cache, to which the caller is
// pinned, and reports whether it fitted. A full cache (spans start on one
// P and end on another) first moves half of itself to the free list.
func freeRecPinned(pid int, i uint32) bool {
	if uint(pid) >= maxCachedPs {
		return false
	}
	c := &recCaches[pid]
	n := c.n.Load()
	if n < recCacheSize {
		c.idx[n] = i
		storeRelUint32(&c.n, n+1)
		return true
	}
	return false
}

// freeRecSlow returns record i to the free list, with half of the
// calling P's cache when that is full.
func freeRecSlow(i uint32) {
	var out [recCacheSize/2 + 1]uint32
	k := 0
	pid := procPin()
	if uint(pid) < maxCachedPs {
		c := &recCaches[pid]
		if n := c.n.Load(); n == recCacheSize {
			k = copy(out[:], c.idx[n-recCacheSize/2:n])
			storeRelUint32(&c.n, n-recCacheSize/2)
		}
	}
	procUnpin()
	out[k] = i
	recs.mu.Lock()
	recs.free = append(recs.free, out[:k+1]...)
	recs.mu.Unlock()
}

// extOf returns record i's extras, or nil.
func extOf(i uint32) *spanExtra {
	if c := recs.exts[i>>recChunkBits].Load(); c != nil {
		return c[i&(recChunk-1)].Load()
	}
	return nil
}

// extFor returns record i's extras, making them.
func extFor(i uint32) *spanExtra {
	if x := extOf(i); x != nil {
		return x
	}
	x := new(spanExtra)
	setExt(i, x)
	return x
}

func setExt(i uint32, x *spanExtra) {
	c := recs.exts[i>>recChunkBits].Load()
	if c == nil {
		c = new(extChunkT)
		if !recs.exts[i>>recChunkBits].CompareAndSwap(nil, c) {
			c = recs.exts[i>>recChunkBits].Load()
		}
	}
	c[i&(recChunk-1)].Store(x)
}

// clearExt drops record i's extras from the side table (End hands them
// to the exporter).
func clearExt(i uint32) { recs.exts[i>>recChunkBits].Load()[i&(recChunk-1)].Store(nil) }

// takeExt returns record i's extras and clears them from the side table.
func takeExt(i uint32) *spanExtra {
	if c := recs.exts[i>>recChunkBits].Load(); c != nil {
		if x := c[i&(recChunk-1)].Load(); x != nil {
			c[i&(recChunk-1)].Store(nil)
			return x
		}
	}
	return nil
}

// siteOfRec returns r's site; x is its extras or nil.
func siteOfRec(r *spanRec, x *spanExtra) *callSite {
	if i := r.site.Load(); i != 0 {
		return siteAt(i)
	}
	if x != nil && x.site != nil {
		return x.site
	}
	return unknownSite
}

// unknownSite names a span whose site cannot be found (never, in practice:
// a site without a number keeps itself in the extras).
var unknownSite = &callSite{name: "?", function: "?"}

// traceOf returns r's trace id.
func (r *spanRec) trace() traceID { return traceID{r.traceHi.Load(), r.traceLo.Load()} }

func (r *spanRec) setTrace(t traceID) {
	storeRelUint64(&r.traceHi, t.hi)
	storeRelUint64(&r.traceLo, t.lo)
}
