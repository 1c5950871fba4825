package autotrace

import "sync/atomic"

// The goroutine-local table maps a goroutine (its getg key) to the innermost
// span it has open, so that StartHere finds its parent without a context.
// It is a fixed-size open-addressing table: a goroutine claims a free slot
// with one CAS, only the owning goroutine writes the slot's value, and the
// slot is released when the goroutine's last open span ends. Every span
// remembers the previous top (Span.prev) and End restores it, so the table
// never walks a parent chain.
const (
	glsBits  = 14
	glsSize  = 1 << glsBits
	glsMask  = glsSize - 1
	glsProbe = 16 // bounded probing: past it the goroutine gets no slot
)

type glsTable struct {
	keys [glsSize]atomic.Uintptr
	// vals are atomic although only the owner writes them, because
	// Shutdown reads them from another goroutine to list pending spans.
	vals [glsSize]atomic.Pointer[Span]
	// full counts spans that found no slot and so are no goroutine-local
	// parent to the spans they enclose.
	full atomic.Uint64
}

var gls glsTable

// home is where probing for key starts: g structs are a few hundred bytes
// apart, so a multiplicative hash spreads them over the table.
func glsHome(key uintptr) uint32 {
	return uint32((uint64(key) * 0x9E3779B97F4A7C15) >> (64 - glsBits))
}

// lookup returns key's slot, or -1. The whole probe window is scanned
// because freed slots leave holes in front of live ones.
func (t *glsTable) lookup(key uintptr) int32 {
	h := glsHome(key)
	for i := uint32(0); i < glsProbe; i++ {
		j := (h + i) & glsMask
		if t.keys[j].Load() == key {
			return int32(j)
		}
	}
	return -1
}

// acquire returns key's slot, claiming a free one when key has none, or -1
// when the probe window is full. Only key's own goroutine inserts key, so a
// key is never in two slots.
func (t *glsTable) acquire(key uintptr) int32 {
	h := glsHome(key)
	free := int32(-1)
	for i := uint32(0); i < glsProbe; i++ {
		j := (h + i) & glsMask
		k := t.keys[j].Load()
		if k == key {
			return int32(j)
		}
		if k == 0 && free < 0 {
			free = int32(j)
		}
	}
	if free >= 0 {
		if t.keys[free].CompareAndSwap(0, key) {
			return free
		}
		// Lost a race for that slot: claim any other free one.
		for i := uint32(0); i < glsProbe; i++ {
			j := (h + i) & glsMask
			if t.keys[j].Load() == 0 && t.keys[j].CompareAndSwap(0, key) {
				return int32(j)
			}
		}
	}
	t.full.Add(1)
	return -1
}

// push makes s the innermost open span of the current goroutine (key),
// remembering the previous one in s.prev. j is key's slot when the caller
// already looked it up, else -1.
func (t *glsTable) push(key uintptr, j int32, s *Span) {
	if j < 0 {
		j = t.acquire(key)
	}
	s.slot = j
	if j < 0 {
		return
	}
	s.prev = t.vals[j].Load()
	t.vals[j].Store(s)
}

// pop restores the goroutine's innermost span to what it was before s
// started, and frees the slot when no span of the goroutine is left open.
// A span ended on another goroutine than the one that started it leaves
// the table alone: that goroutine's slot heals when its outer span ends.
func (t *glsTable) pop(s *Span) {
	j := s.slot
	if j < 0 || t.keys[j].Load() != getg() {
		return
	}
	t.vals[j].Store(s.prev)
	if s.prev == nil {
		t.keys[j].Store(0)
	}
}

