package autotrace

import "sync/atomic"

// The goroutine-local table maps a goroutine (its getg key) to the innermost
// span it has open, so that StartHere finds its parent without a context.
// It is a fixed-size open-addressing table: a goroutine claims a free slot
// with one CAS, only the owning goroutine writes the slot's value, and the
// slot is released (to a tombstone) when the goroutine's last open span
// ends, so that a goroutine later given the same g struct by the runtime
// starts with no parent. A slot's value is the ref of the innermost span
// (spanrec.go): no pointer, so no write barrier. Every span remembers the
// previous top (spanRec.prev) and End restores it, so the table never
// walks a parent chain.
const (
	glsBits  = 14
	glsSize  = 1 << glsBits
	glsMask  = glsSize - 1
	glsProbe = 16 // bounded probing: past it the goroutine gets no slot

	// glsFree marks a released slot. Slots never return to 0 (never
	// used), so a lookup can stop at the first 0: no key lies beyond it.
	glsFree = ^uintptr(0)
)

// A span keeps its slot in an int16 (spanRec.slot), to stay small.
var _ [1<<15 - glsSize]struct{}

type glsTable struct {
	keys [glsSize]atomic.Uintptr
	// Only the owner writes vals (with release stores), but Shutdown reads
	// them from another goroutine to list pending spans.
	vals [glsSize]atomic.Uint64

	// Spans that found no slot (the probe window was full): counted so
	// Shutdown can report them pending, as the table cannot name them.
	untrackedStarted, untrackedEnded atomic.Int64
}

var gls glsTable

// glsHome is where probing for key starts: g structs are a few hundred
// bytes apart, so a multiplicative hash spreads them over the table.
func glsHome(key uintptr) uint32 {
	return uint32((uint64(key) * 0x9E3779B97F4A7C15) >> (64 - glsBits))
}

// lookup returns key's slot, or -1.
func (t *glsTable) lookup(key uintptr) int32 {
	h := glsHome(key)
	for i := uint32(0); i < glsProbe; i++ {
		j := (h + i) & glsMask
		switch t.keys[j].Load() {
		case key:
			return int32(j)
		case 0:
			return -1
		}
	}
	return -1
}

// acquire returns key's slot, claiming the first free one when key has
// none, or -1 when the probe window is full. Only key's own goroutine
// inserts key, so a key is never in two slots.
func (t *glsTable) acquire(key uintptr) int32 {
	h := glsHome(key)
	if t.keys[h].Load() == key { // most goroutines sit in their home slot
		return int32(h)
	}
	return t.claim(key, h)
}

// claim is acquire past the home slot h.
func (t *glsTable) claim(key uintptr, h uint32) int32 {
	for attempt := 0; attempt < 4; attempt++ { // lost CAS races: retry a little
		free, old := int32(-1), uintptr(0)
		for i := uint32(0); i < glsProbe; i++ {
			j := (h + i) & glsMask
			k := t.keys[j].Load()
			if k == key {
				return int32(j)
			}
			if (k == 0 || k == glsFree) && free < 0 {
				free, old = int32(j), k
			}
			if k == 0 {
				break
			}
		}
		if free < 0 {
			break
		}
		if t.keys[free].CompareAndSwap(old, key) {
			return free
		}
	}
	return -1
}

// push makes the span h (record r) the innermost open span of the current
// goroutine at place at (see placeAt), remembering the previous one in
// r.prev.
func (t *glsTable) push(at place, h ref, r *spanRec) {
	j := at.j
	r.slot = int16(j)
	r.depth = at.d
	if j < 0 {
		if r.flags.Load()&flagSampled != 0 {
			t.untrackedStarted.Add(1)
		}
		storeRelUint64(&r.prev, 0)
		return
	}
	storeRelUint64(&r.prev, uint64(at.top))
	storeRelUint64(&t.vals[j], uint64(h))
}

// pop restores the goroutine's innermost span to what it was before h
// (record r) started, and releases the slot when no span of the goroutine
// is left open. Only the owner ends a span (see ref.own). A span ended out
// of order (an enclosing one ended first) leaves the table alone: the
// refs it leaves behind go stale and are skipped, never followed.
func (t *glsTable) pop(r *spanRec, h ref) {
	j := uint32(int32(r.slot))
	if j >= glsSize {
		if r.flags.Load()&flagSampled != 0 {
			t.untrackedEnded.Add(1)
		}
		return
	}
	if t.vals[j].Load() != uint64(h) {
		return
	}
	prev := ref(r.prev.Load())
	if prev.rec() == nil { // none open below, or it ended out of order
		storeRelUint64(&t.vals[j], 0)
		storeRelUintptr(&t.keys[j], glsFree)
		return
	}
	storeRelUint64(&t.vals[j], uint64(prev))
}

// unclaim releases the slot of place at when no span was begun in it and
// none is open there: a claimed slot left empty would stay its goroutine's.
func (t *glsTable) unclaim(at place) {
	if at.j >= 0 && at.top == 0 {
		storeRelUintptr(&t.keys[at.j], glsFree)
	}
}
