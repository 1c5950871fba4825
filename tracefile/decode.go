package tracefile

import (
	"encoding/binary"
	"math"
)

// dec reads the fields of one record; a read past its end sets bad.
type dec struct {
	b   []byte
	bad bool
}

func (d *dec) byte() byte {
	if len(d.b) < 1 {
		d.bad = true
		return 0
	}
	c := d.b[0]
	d.b = d.b[1:]
	return c
}

func (d *dec) bytes(n uint64) []byte {
	if uint64(len(d.b)) < n {
		d.bad = true
		d.b = nil
		return nil
	}
	v := d.b[:n]
	d.b = d.b[n:]
	return v
}

func (d *dec) uvarint() uint64 {
	v, n := binary.Uvarint(d.b)
	if n <= 0 {
		d.bad = true
		d.b = nil
		return 0
	}
	d.b = d.b[n:]
	return v
}

func (d *dec) varint() int64 {
	v, n := binary.Varint(d.b)
	if n <= 0 {
		d.bad = true
		d.b = nil
		return 0
	}
	d.b = d.b[n:]
	return v
}

func (d *dec) string() string { return string(d.bytes(d.uvarint())) }

// record decodes the next record of the current chunk. It returns the
// span or process record, or neither for a table record (ok) or an
// unreadable one (!ok; a malformed one ends the chunk).
func (r *Reader) record() (*Span, *Process, bool) {
	c := &r.chunk
	d := dec{b: c.payload}
	h := d.byte()
	if h&spanRecord != 0 {
		sp, ok := r.spanRecord(h, &d)
		c.payload = d.b
		if d.bad {
			c.payload = nil
			return nil, nil, false
		}
		return sp, nil, ok
	}
	body := d.bytes(d.uvarint())
	c.payload = d.b
	if d.bad {
		c.payload = nil
		return nil, nil, false
	}
	d = dec{b: body}
	switch h {
	case recSite:
		id := d.uvarint()
		s := siteBody(&d)
		if d.bad || id == 0 {
			return nil, nil, false
		}
		c.t.setSite(id, s)
	case recString:
		id := d.uvarint()
		v := d.string()
		if d.bad || id == 0 {
			return nil, nil, false
		}
		c.t.strings[id] = v
	case recCost:
		cost := Cost{Pid: int(c.pid), InnerNs: int64(d.uvarint()), OuterNs: int64(d.uvarint())}
		if d.bad {
			return nil, nil, false
		}
		if len(d.b) > 0 { // since 1.2: the ctx path's pair, then a folded call's
			d.uvarint()
			d.uvarint()
			fi, fo := int64(d.uvarint()), int64(d.uvarint())
			var rec, early, foldEarly int64
			if len(d.b) > 0 {
				rec = int64(d.uvarint())
			}
			if len(d.b) > 0 { // how far below 0 the inners are (end read early)
				early = int64(d.uvarint())
				d.uvarint()
				foldEarly = int64(d.uvarint())
			}
			if !d.bad && early <= cost.InnerNs+cost.OuterNs {
				cost.InnerNs -= early
			}
			if !d.bad && fi <= fo && foldEarly <= fi+fo {
				cost.FoldInnerNs, cost.FoldOuterNs, cost.FoldRecordNs = fi-foldEarly, fo, rec
			}
		}
		if r.Cost != nil {
			r.Cost(cost)
		}
	case recProcess:
		p := &r.proc
		*p = Process{Pid: int(c.pid)}
		p.Cmd = d.string()
		p.StartNs = d.varint()
		p.Spans = d.uvarint()
		p.Dropped = d.uvarint()
		p.PendingCount = d.uvarint()
		p.WriteErrors = d.uvarint()
		p.Untracked = d.uvarint()
		n := d.uvarint()
		for i := uint64(0); i < n && i < maxPendingRead && !d.bad; i++ {
			p.Pending = append(p.Pending, d.string())
		}
		if d.bad {
			return nil, nil, false
		}
		return nil, p, true
	case recFold:
		if !r.Folds {
			return nil, nil, true
		}
		sp, ok := r.foldRecord(&d)
		return sp, nil, ok
	}
	return nil, nil, true // a table, or a type of a later minor version
}

func siteBody(d *dec) site {
	var s site
	s.name = d.string()
	s.function = d.string()
	s.file = d.string()
	s.line = int(d.uvarint()) - 1
	return s
}

// spanRecord decodes a span record whose first byte is h.
func (r *Reader) spanRecord(h byte, d *dec) (*Span, bool) {
	c := &r.chunk
	sp := &r.span
	attrs := sp.Attrs[:0]
	*sp = Span{Pid: int(c.pid), Status: h >> 4 & 3, Line: -1}
	copy(sp.SpanID[:], d.bytes(8))
	ok := true
	switch h & 3 {
	case 0:
		copy(sp.TraceID[:], d.bytes(16))
		c.recent[c.ntraces%recentTraces] = sp.TraceID
		c.ntraces++
	case 1:
		sp.TraceID = c.prevTrace
		ok = sp.TraceID != [16]byte{}
	case 2:
		i := int(d.byte())
		ok = i < min(c.ntraces, recentTraces)
		if ok {
			sp.TraceID = c.recent[i]
		}
	default:
		ok = false
	}
	c.prevTrace = sp.TraceID
	switch h >> 2 & 3 {
	case 1:
		copy(sp.ParentID[:], d.bytes(8))
	case 2:
		sp.ParentID = c.prevParent
	case 3:
		ok = false
	}
	c.prevParent = sp.ParentID
	siteID := d.uvarint()
	c.prevStart += d.varint()
	sp.StartNs = c.prevStart
	sp.DurNs = int64(d.uvarint())
	var extras []byte
	if h&(1<<6) != 0 {
		extras = d.bytes(d.uvarint())
	}
	if d.bad {
		return nil, false
	}
	if r.Want != nil && ok && !r.want(sp.TraceID) {
		return nil, true
	}
	if siteID != 0 {
		s, found := c.t.site(siteID)
		if !found {
			ok = false
		}
		sp.Name, sp.Function, sp.File, sp.Line = s.name, s.function, s.file, s.line
	}
	hasSite := siteID != 0
	e := dec{b: extras}
	for len(e.b) > 0 && !e.bad {
		tag := e.byte()
		item := dec{b: e.bytes(e.uvarint())}
		switch tag {
		case extraError:
			sp.Error = string(item.b)
		case extraState:
			sp.Tracestate = string(item.b)
		case extraPanic:
			sp.HasPanic = true
			sp.PanicValue = item.string()
			sp.PanicLocation = item.string()
			sp.PanicFunction = item.string()
		case extraSite:
			s := siteBody(&item)
			sp.Name, sp.Function, sp.File, sp.Line = s.name, s.function, s.file, s.line
			hasSite = !item.bad
		case extraAttr:
			if a, known := r.attr(&item); known && !item.bad {
				attrs = append(attrs, a)
			}
		}
	}
	sp.Attrs = attrs
	if e.bad || !hasSite || !ok || sp.Status > StatusPanic || SpanProblem(sp.TraceID, sp.SpanID, sp.DurNs) != "" {
		return nil, false
	}
	return sp, true
}

// want reports whether Want wants trace id, asking it only when id is not
// the trace it was last asked about.
func (r *Reader) want(id [16]byte) bool {
	if !r.wantAsked || id != r.wantID {
		r.wantID, r.wantAsked, r.wanted = id, true, r.Want(id)
	}
	return r.wanted
}

// attr decodes an attribute item; known is false for a kind this version
// does not know.
func (r *Reader) attr(d *dec) (a Attr, known bool) {
	if id := d.uvarint(); id != 0 {
		k, found := r.chunk.t.strings[id]
		if !found {
			d.bad = true
		}
		a.Key = k
	} else {
		a.Key = d.string()
	}
	a.Kind = Kind(d.byte())
	switch a.Kind {
	case KindString:
		a.Str = d.string()
	case KindInt64:
		a.Int = d.varint()
	case KindUint64:
		a.Uint = d.uvarint()
	case KindFloat64:
		if b := d.bytes(8); b != nil {
			a.Float = math.Float64frombits(binary.LittleEndian.Uint64(b))
		}
	case KindBool:
		a.Bool = d.byte() != 0
	default:
		return a, false
	}
	return a, true
}

// foldRecord decodes the body of a fold record: trace id, parent id,
// site, start (Unix ns), calls, summed duration (ns).
// It returns nil and ok for a record Want does not want.
func (r *Reader) foldRecord(d *dec) (*Span, bool) {
	c := &r.chunk
	sp := &r.span
	*sp = Span{Pid: int(c.pid), Line: -1, Attrs: sp.Attrs[:0]}
	copy(sp.TraceID[:], d.bytes(16))
	copy(sp.ParentID[:], d.bytes(8))
	siteID := d.uvarint()
	sp.StartNs = d.varint()
	sp.Calls = d.uvarint()
	sp.DurNs = int64(d.uvarint())
	if d.bad || sp.Calls == 0 || sp.TraceID == [16]byte{} || sp.ParentID == [8]byte{} || sp.DurNs < 0 {
		return nil, false
	}
	if r.Want != nil && !r.want(sp.TraceID) {
		return nil, true
	}
	s, found := c.t.site(siteID)
	if !found {
		return nil, false
	}
	sp.Name, sp.Function, sp.File, sp.Line = s.name, s.function, s.file, s.line
	return sp, true
}
