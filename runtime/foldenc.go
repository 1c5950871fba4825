package autotrace

import (
	"encoding/binary"
	"strconv"

	"github.com/autotrace/autotrace/internal/hotspot"
)

// recFold is the fold record's type in the binary format (since 1.2): a
// table-like record (type, length, body), so that a 1.0 or 1.1 reader
// skips it by its length rather than misread it.
const recFold = 5

// addFold encodes the fold aggregate r (fold.go) and feeds the summary.
// A sink gets nothing: it takes spans, and folding is off with one.
func (e *exporter) addFold(r *rec) {
	e.fold.noteParent(r.parentID)
	if e.sum != nil {
		e.sum.addFold(r, e.conv.wall(r.start), e.conv.dur(r.end-r.start))
	}
	if e.out == nil || r.site == 0 {
		return
	}
	e.folds++
	if e.bin != nil {
		if len(e.buf)-e.chunkAt >= chunkMax {
			e.bin.seal(e.buf[e.chunkAt:])
			e.chunkAt = len(e.buf)
		}
		e.buf = e.bin.appendFold(e.buf, r, &e.conv)
	} else {
		e.buf = appendFold(e.buf, r, &e.conv)
	}
	if len(e.buf) >= batchMax {
		e.write()
	}
}

// appendFold appends the fold record of r: trace id, parent id, site,
// start of the first call (Unix ns), calls, sum of their durations (ns).
func (w *binEncoder) appendFold(b []byte, r *rec, c *clockConv) []byte {
	if !w.open {
		b = w.begin(b)
	}
	if !w.siteSent(r.site) {
		b = w.appendSiteRecord(b, r.site, siteAt(r.site))
	}
	b = append(b, recFold)
	n := len(b)
	b = append(b, 0, 0)
	b = binary.BigEndian.AppendUint64(b, r.trace.hi)
	b = binary.BigEndian.AppendUint64(b, r.trace.lo)
	b = binary.BigEndian.AppendUint64(b, r.parentID)
	b = binary.AppendUvarint(b, uint64(r.site))
	b = binary.AppendVarint(b, c.wall(r.start))
	b = binary.AppendUvarint(b, r.id)
	b = binary.AppendUvarint(b, uint64(c.dur(r.end-r.start)))
	return patchLen2(b, n)
}

// appendFold appends the fold line of the JSON Lines view:
// {"fold":{"trace_id":…,"parent_id":…,"name":…,"start_ns":…,"dur_ns":…,
// "calls":N,"pid":…,"attrs":{…}}}.
func appendFold(b []byte, r *rec, c *clockConv) []byte {
	j := &siteAt(r.site).json
	b = append(b, `{"fold":{"trace_id":"`...)
	b = appendHex64(b, r.trace.hi)
	b = appendHex64(b, r.trace.lo)
	b = append(b, `","parent_id":"`...)
	b = appendHex64(b, r.parentID)
	b = append(b, j.head...)
	b = c.appendUnixNs(b, c.wall(r.start))
	b = append(b, `,"dur_ns":`...)
	b = strconv.AppendInt(b, c.dur(r.end-r.start), 10)
	b = append(b, `,"calls":`...)
	b = strconv.AppendUint(b, r.id, 10)
	b = append(b, `,"pid":`...)
	b = strconv.AppendInt(b, int64(pid), 10)
	b = append(b, j.attrs...)
	return append(b, "}}}\n"...)
}

// addFold accounts for a fold aggregate of the calls r.id, which took d
// nanoseconds in all from the Unix time start.
func (m *summary) addFold(r *rec, start, d int64) {
	h := hotspot.Span{Name: siteAt(r.site).name, Start: start, Dur: d, Pid: pid, Folded: int64(r.id)}
	h.TraceID, h.ParentID = r.trace.bytes(), spanIDBytes(r.parentID)
	m.agg.Add(h)
}
