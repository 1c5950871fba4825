package autotrace

import (
	"io"

	"github.com/autotrace/autotrace/internal/hotspot"
)

// summary is the AUTOTRACE_SUMMARY hotspot table: the exporter feeds every
// ended span to the same aggregator `autotrace report` uses, off the hot
// path, and Shutdown prints its table (count, errors, panics, total, self,
// mean, percentiles, max; the slowest traces; dropped and pending spans).
type summary struct{ agg *hotspot.Aggregator }

func newSummary() *summary {
	return &summary{agg: hotspot.New(hotspot.TopTraces(5))}
}

// add accounts for one ended span of d nanoseconds that started at the
// Unix time start.
// (r is the buffered span, s its Span or nil.)
func (m *summary) add(r *rec, s *spanExtra, start, d int64) {
	h := hotspot.Span{Name: recSite(r, s).name, Start: start, Dur: d, Status: r.status, Pid: pid}
	h.TraceID, h.SpanID, h.ParentID = r.trace.bytes(), spanIDBytes(r.id), spanIDBytes(r.parentID)
	m.agg.Add(h)
}

// setCost makes the table subtract the measured cost of recording.
func (m *summary) setCost(k cost) {
	m.agg.SetCost(pid, hotspot.Cost{Inner: k.innerHere, Outer: k.outerHere, FoldInner: k.innerFold, FoldOuter: k.outerFold, FoldRecord: k.foldRecord})
}

// write prints the table, with the process's own record.
func (m *summary) write(w io.Writer, p processRecord) {
	m.agg.AddProcess(hotspot.Process{
		Pid: pid, Cmd: p.cmd, Start: p.startNs, Spans: int64(p.spans),
		Dropped: int64(p.dropped), Pending: int64(p.pendingCount), Open: p.pending,
	})
	io.WriteString(w, "autotrace summary\n")
	m.agg.Result().WriteTable(w, hotspot.Rows(30))
}
