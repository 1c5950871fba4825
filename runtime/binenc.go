package autotrace

import (
	"encoding/binary"
	"hash/crc32"
)

// The binary trace format (docs/trace-format.md): chunks of records, each
// chunk written whole by one write. The encoder appends into the
// exporter's reused buffer with no reflection and no allocation per span;
// only a site or attribute key seen for the first time costs a map or
// bitset update.

const (
	chunkMagic     = "\x89ATR"
	formatMajor    = 1
	formatMinor    = 2 // 1.1: cost record; 1.2: fold record, cost of a folded call
	chunkHeaderLen = 20
	chunkFirst     = 1 // chunk flag: first chunk of the process

	recSiteDef = 1
	recString  = 2
	recProcess = 3
	recCost    = 4 // since 1.1

	spanRecord = 0x80

	extraError      = 1
	extraTracestate = 2
	extraPanic      = 3
	extraAttr       = 4
	extraSite       = 5

	// Attribute value kinds in the format (AttrKind has the same numbers).
	kindString  = byte(KindString)
	kindInt64   = byte(KindInt)
	kindFloat64 = byte(KindFloat)
	kindBool    = byte(KindBool)
	kindUint64  = byte(KindUint)

	recentTraces = 16      // slots of a chunk's recent-trace table
	maxKeys      = 1 << 12 // attribute keys given an id; later ones go inline
)

var castagnoli = crc32.MakeTable(crc32.Castagnoli)

// binEncoder holds what the process has told the file (sites and keys
// defined) and what the current chunk's span records refer back to.
type binEncoder struct {
	sitesSent []uint64          // bitset of site numbers defined
	keys      map[string]uint64 // attribute keys defined, by id
	started   bool              // a chunk was written: later ones are not first
	open      bool              // a chunk is begun and not yet sealed

	// Per chunk (reset by begin).
	prevTrace  traceID
	prevParent uint64
	prevStart  int64
	recent     [recentTraces]traceID
	ntraces    int // trace ids written in full in the chunk

	extras []byte // scratch for a span's extras section
}

// forget makes the encoder define every site and key again: the chunk
// that defined them may not have reached the file.
func (w *binEncoder) forget() {
	w.open = false
	clear(w.sitesSent)
	clear(w.keys)
}

// begin starts a chunk at the end of b: a header filled in by seal.
func (w *binEncoder) begin(b []byte) []byte {
	w.prevTrace, w.prevParent, w.prevStart, w.ntraces = traceID{}, 0, 0, 0
	w.open = true
	var h [chunkHeaderLen]byte
	return append(b, h[:]...)
}

// seal fills in the header of the chunk b holds, from its start.
func (w *binEncoder) seal(b []byte) {
	w.open = false
	copy(b, chunkMagic)
	b[4], b[5], b[6], b[7] = formatMajor, formatMinor, 0, 0
	if !w.started {
		b[6] = chunkFirst
		w.started = true
	}
	binary.LittleEndian.PutUint32(b[8:], uint32(len(b)-chunkHeaderLen))
	binary.LittleEndian.PutUint32(b[12:], uint32(pid))
	crc := crc32.Update(0, castagnoli, b[4:16])
	crc = crc32.Update(crc, castagnoli, b[chunkHeaderLen:])
	binary.LittleEndian.PutUint32(b[16:], crc)
}

// appendSpan appends the span record of the buffered span r (s: its Span
// when r.hasSpan, else nil), and the site record before it if its site is
// new to the file.
func (w *binEncoder) appendSpan(b []byte, r *rec, s *spanExtra, c *clockConv) []byte {
	if !w.open {
		b = w.begin(b)
	}
	if r.site != 0 && !w.siteSent(r.site) {
		b = w.appendSiteRecord(b, r.site, siteAt(r.site))
	}
	b = w.defineKeys(b, s)
	var ids [16]byte
	h := byte(spanRecord) | r.status<<4
	// Trace: same as the previous span, one of the recent ones, or new.
	ti := -1
	switch {
	case r.trace == w.prevTrace && !r.trace.isZero():
		h |= 1
	default:
		for i := range min(w.ntraces, recentTraces) {
			if w.recent[i] == r.trace {
				ti = i
				h |= 2
				break
			}
		}
	}
	// Parent: none, given, or the previous span's.
	switch {
	case r.parentID == 0:
	case r.parentID == w.prevParent:
		h |= 2 << 2
	default:
		h |= 1 << 2
	}
	if s != nil {
		w.extras = w.appendExtras(w.extras[:0], r, s)
		if len(w.extras) > 0 {
			h |= 1 << 6
		}
	}
	b = append(b, h)
	binary.BigEndian.PutUint64(ids[:8], r.id)
	b = append(b, ids[:8]...)
	switch h & 3 {
	case 0:
		binary.BigEndian.PutUint64(ids[:8], r.trace.hi)
		binary.BigEndian.PutUint64(ids[8:], r.trace.lo)
		b = append(b, ids[:]...)
		w.recent[w.ntraces%recentTraces] = r.trace
		w.ntraces++
	case 2:
		b = append(b, byte(ti))
	}
	w.prevTrace = r.trace
	if h>>2&3 == 1 {
		binary.BigEndian.PutUint64(ids[:8], r.parentID)
		b = append(b, ids[:8]...)
	}
	w.prevParent = r.parentID
	b = binary.AppendUvarint(b, uint64(r.site))
	start := c.wall(r.start)
	b = binary.AppendVarint(b, start-w.prevStart)
	w.prevStart = start
	b = binary.AppendUvarint(b, uint64(c.dur(r.end-r.start)))
	if h&(1<<6) != 0 {
		b = binary.AppendUvarint(b, uint64(len(w.extras)))
		b = append(b, w.extras...)
	}
	return b
}

func (w *binEncoder) siteSent(i uint32) bool {
	word := int(i / 64)
	if word >= len(w.sitesSent) {
		w.sitesSent = append(w.sitesSent, make([]uint64, word+1-len(w.sitesSent))...)
	}
	bit := uint64(1) << (i % 64)
	sent := w.sitesSent[word]&bit != 0
	w.sitesSent[word] |= bit
	return sent
}

// appendSiteRecord appends the definition of site number i.
func (w *binEncoder) appendSiteRecord(b []byte, i uint32, c *callSite) []byte {
	b = append(b, recSiteDef)
	n := len(b)
	b = append(b, 0, 0) // body length: two-byte uvarint, patched below
	b = binary.AppendUvarint(b, uint64(i))
	b = appendSiteBody(b, c)
	return patchLen2(b, n)
}

// appendSiteBody appends a site's name, function, file and line+1.
func appendSiteBody(b []byte, c *callSite) []byte {
	path, line := splitLocation(c.location)
	b = appendBinString(b, c.name)
	b = appendBinString(b, c.function)
	b = appendBinString(b, path)
	return binary.AppendUvarint(b, uint64(line+1))
}

// patchLen2 writes the length of b[n+2:] as a two-byte uvarint at b[n:],
// or, when it does not fit, moves the body to make room.
func patchLen2(b []byte, n int) []byte {
	l := len(b) - n - 2
	if l < 1<<14 {
		b[n], b[n+1] = byte(l)|0x80, byte(l>>7)
		return b
	}
	var lb [binary.MaxVarintLen64]byte
	k := binary.PutUvarint(lb[:], uint64(l))
	b = append(b, lb[:k-2]...)
	copy(b[n+k:], b[n+2:n+2+l])
	copy(b[n:], lb[:k])
	return b
}

// appendExtras appends the extras items of s (docs/trace-format.md).
func (w *binEncoder) appendExtras(b []byte, r *rec, s *spanExtra) []byte {
	if s.state != "" {
		b = appendItem(b, extraTracestate, s.state)
	}
	if r.site == 0 {
		b = append(b, extraSite)
		n := len(b)
		b = append(b, 0, 0)
		b = appendSiteBody(b, s.site)
		b = patchLen2(b, n)
	}
	e := s
	if e == nil {
		return b
	}
	if e.err != "" {
		b = appendItem(b, extraError, e.err)
	}
	if r.status == statusPanic {
		b = append(b, extraPanic)
		n := len(b)
		b = append(b, 0, 0)
		b = appendBinString(b, e.panicVal)
		b = appendBinString(b, e.panicLoc)
		b = appendBinString(b, e.panicFn)
		b = patchLen2(b, n)
	}
	for _, a := range e.attrs {
		b = w.appendAttr(b, a)
	}
	return b
}

// appendAttr appends one attribute item: key reference, kind and value.
// It is the one place that knows how an attribute is encoded. The kinds
// are numbered as AttrKind numbers them; a time is written as the string
// the JSON view shows (RFC 3339).
func (w *binEncoder) appendAttr(b []byte, a Attr) []byte {
	b = append(b, extraAttr)
	n := len(b)
	b = append(b, 0, 0)
	b = w.appendKey(b, a.Key)
	v := a.Value
	switch v.kind {
	case KindInt:
		b = append(b, kindInt64)
		b = binary.AppendVarint(b, v.Int())
	case KindUint:
		b = append(b, kindUint64)
		b = binary.AppendUvarint(b, v.bits)
	case KindFloat:
		b = append(b, kindFloat64)
		b = binary.LittleEndian.AppendUint64(b, v.bits)
	case KindBool:
		b = append(b, kindBool, byte(v.bits&1))
	case KindTime:
		b = append(b, kindString)
		n := len(b)
		b = append(b, 0) // a time's text is under 128 bytes: one-byte length
		b = v.appendText(b)
		b[n] = byte(len(b) - n - 1)
	default:
		b = append(b, kindString)
		b = appendBinString(b, v.str)
	}
	return patchLen2(b, n)
}

// appendKey appends a reference to an attribute key: its id, defined
// before the span record by defineKeys, or 0 and the key itself when the
// key table is full.
func (w *binEncoder) appendKey(b []byte, key string) []byte {
	if id, ok := w.keys[key]; ok {
		return binary.AppendUvarint(b, id)
	}
	b = append(b, 0)
	return appendBinString(b, key)
}

// defineKeys appends string records for the attribute keys of s not yet
// defined, so the span record after them can refer to them by id.
func (w *binEncoder) defineKeys(b []byte, s *spanExtra) []byte {
	if s == nil {
		return b
	}
	for _, a := range s.attrs {
		if _, ok := w.keys[a.Key]; ok || len(w.keys) >= maxKeys {
			continue
		}
		if w.keys == nil {
			w.keys = make(map[string]uint64)
		}
		id := uint64(len(w.keys) + 1)
		w.keys[a.Key] = id
		b = append(b, recString)
		n := len(b)
		b = append(b, 0, 0)
		b = binary.AppendUvarint(b, id)
		b = appendBinString(b, a.Key)
		b = patchLen2(b, n)
	}
	return b
}

func appendItem(b []byte, tag byte, v string) []byte {
	b = append(b, tag)
	b = binary.AppendUvarint(b, uint64(len(v)))
	return append(b, v...)
}

func appendBinString(b []byte, v string) []byte {
	b = binary.AppendUvarint(b, uint64(len(v)))
	return append(b, v...)
}

// appendProcess appends the process record (type 3).
func (w *binEncoder) appendProcess(b []byte, p processRecord) []byte {
	if !w.open {
		b = w.begin(b)
	}
	b = append(b, recProcess)
	n := len(b)
	b = append(b, 0, 0)
	b = appendBinString(b, p.cmd)
	b = binary.AppendVarint(b, p.startNs)
	b = binary.AppendUvarint(b, p.spans)
	b = binary.AppendUvarint(b, p.dropped)
	b = binary.AppendUvarint(b, p.pendingCount)
	b = binary.AppendUvarint(b, p.writeErrors)
	b = binary.AppendUvarint(b, p.untracked)
	b = binary.AppendUvarint(b, uint64(len(p.pending)))
	for _, name := range p.pending {
		b = appendBinString(b, name)
	}
	return patchLen2(b, n)
}
