package autotrace

import (
	"fmt"
	"io"
	"sort"
	"text/tabwriter"
	"time"
)

// summary is the AUTOTRACE_SUMMARY hotspot table: per span name, count,
// errors, panics, total and max time. It is a stand-in behind a small seam
// (newSummary, add, write) until internal/hotspot provides the full table
// of `autotrace report`. It runs on the exporter, off the hot path.
type summary struct {
	byName map[string]*nameStats
}

type nameStats struct {
	count, errors, panics int
	total, max            time.Duration
}

func newSummary() *summary { return &summary{byName: map[string]*nameStats{}} }

// add accounts for one ended span of d nanoseconds.
func (m *summary) add(s *Span, d int64) {
	st := m.byName[s.name]
	if st == nil {
		st = &nameStats{}
		m.byName[s.name] = st
	}
	st.count++
	switch s.status {
	case statusError:
		st.errors++
	case statusPanic:
		st.panics++
	}
	st.total += time.Duration(d)
	st.max = max(st.max, time.Duration(d))
}

// write prints the table, by total time, heaviest first.
func (m *summary) write(w io.Writer, dropped, pending uint64) {
	names := make([]string, 0, len(m.byName))
	for n := range m.byName {
		names = append(names, n)
	}
	sort.Slice(names, func(i, j int) bool {
		a, b := m.byName[names[i]], m.byName[names[j]]
		if a.total != b.total {
			return a.total > b.total
		}
		return names[i] < names[j]
	})
	var spans int
	for _, st := range m.byName {
		spans += st.count
	}
	fmt.Fprintf(w, "autotrace summary: %d spans, %d dropped (buffers full), %d never ended\n", spans, dropped, pending)
	if len(names) == 0 {
		return
	}
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "count\terrors\tpanics\ttotal\tmean\tmax\t  span")
	for _, n := range names {
		st := m.byName[n]
		fmt.Fprintf(tw, "%d\t%d\t%d\t%v\t%v\t%v\t  %s\n", st.count, st.errors, st.panics,
			st.total, st.total/time.Duration(st.count), st.max, n)
	}
	tw.Flush()
}
