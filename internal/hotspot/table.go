package hotspot

import (
	"bufio"
	"encoding/hex"
	"fmt"
	"io"
	"maps"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"
)

// TableOption configures WriteTable.
type TableOption func(*tableConfig)

type tableConfig struct {
	rows, traces, nameWidth int
}

// Rows limits the hotspot table to the n names with the most self time
// (0, the default, for all).
func Rows(n int) TableOption { return func(c *tableConfig) { c.rows = max(n, 0) } }

// Traces limits the slowest traces shown (default: all in the Result).
func Traces(n int) TableOption { return func(c *tableConfig) { c.traces = max(n, 0) } }

// NameWidth caps the width of the name column (default 60 runes); longer
// names are elided in the middle.
func NameWidth(n int) TableOption { return func(c *tableConfig) { c.nameWidth = max(n, 8) } }

var tableHeader = []string{"NAME", "COUNT", "ERRORS", "PANICS", "TOTAL", "SELF", "SELF%", "MEAN", "P50", "P95", "P99", "MAX"}

// WriteTable writes the hotspot table (sorted by self time), the slowest
// traces with their critical paths, and a footer saying what the figures
// rest on: malformed, dropped and unmatched spans, and the percentile error.
func (r *Result) WriteTable(w io.Writer, opts ...TableOption) error {
	c := tableConfig{traces: len(r.Traces), nameWidth: 60}
	for _, o := range opts {
		o(&c)
	}
	bw := bufio.NewWriter(w)
	r.writeStats(bw, &c)
	r.writeTraces(bw, &c)
	r.writeFooter(bw)
	return bw.Flush()
}

func (r *Result) writeStats(w *bufio.Writer, c *tableConfig) {
	if len(r.Stats) == 0 {
		if r.rowsNote != "" && r.Spans > 0 {
			fmt.Fprintln(w, "no span name left by -only/-skip")
		} else {
			fmt.Fprintln(w, "no spans")
		}
		return
	}
	stats := r.Stats
	if c.rows > 0 && len(stats) > c.rows {
		stats = stats[:c.rows]
	}
	allSelf := r.allSelf
	if allSelf == 0 {
		for _, s := range r.Stats {
			allSelf += s.Self
		}
	}
	rows := [][]string{tableHeader}
	row := func(name string, s Stat) []string {
		pct := 0.0
		if allSelf > 0 {
			pct = 100 * float64(s.Self) / float64(allSelf)
		}
		cells := []string{
			name, FormatCount(s.Count), FormatCount(s.Errors), FormatCount(s.Panics),
			FormatDuration(s.Total), FormatDuration(s.Self), strconv.FormatFloat(pct, 'f', 1, 64) + "%",
			FormatDuration(s.Mean), FormatDuration(s.P50), FormatDuration(s.P95), FormatDuration(s.P99), FormatDuration(s.Max),
		}
		return markFolded(cells, s)
	}
	for _, s := range stats {
		rows = append(rows, row(ellipsize(s.Name, c.nameWidth), s))
		for i, groups := range s.Groups {
			for _, g := range groups {
				key := ""
				if i < len(r.By) {
					key = r.By[i]
				}
				rows = append(rows, row("  "+ellipsize(GroupLabel(key, g.Name), c.nameWidth-2), g))
			}
		}
	}
	writeGrid(w, rows, "")
	if n := len(r.Stats) - len(stats); n > 0 {
		fmt.Fprintf(w, "… and %s\n", plural(int64(n), "more name"))
	}
}

// writeGrid writes rows as columns separated by two spaces: the first column
// left-aligned, the others right-aligned.
func writeGrid(w *bufio.Writer, rows [][]string, indent string) {
	var width []int
	for _, row := range rows {
		for i, cell := range row {
			if i >= len(width) {
				width = append(width, 0)
			}
			width[i] = max(width[i], utf8.RuneCountInString(cell))
		}
	}
	for _, row := range rows {
		var b strings.Builder
		b.WriteString(indent)
		for i, cell := range row {
			if i > 0 {
				b.WriteString("  ")
			}
			b.WriteString(pad(cell, width[i], i > 0))
		}
		w.WriteString(strings.TrimRight(b.String(), " "))
		w.WriteByte('\n')
	}
}

func (r *Result) writeTraces(w *bufio.Writer, c *tableConfig) {
	traces := r.Traces
	if len(traces) > c.traces {
		traces = traces[:c.traces]
	}
	if len(traces) == 0 {
		return
	}
	fmt.Fprintf(w, "\nslowest traces\n")
	for i, t := range traces {
		var facts []string
		if t.Spans > 0 {
			facts = append(facts, plural(int64(t.Spans), "span"))
		}
		if len(t.Pids) > 1 {
			facts = append(facts, fmt.Sprintf("%d processes", len(t.Pids)))
		}
		if t.Errors > 0 {
			facts = append(facts, plural(int64(t.Errors), "error"))
		}
		if t.Panics > 0 {
			facts = append(facts, plural(int64(t.Panics), "panic"))
		}
		line := fmt.Sprintf("%2d. %s  %s  %s", i+1, hex.EncodeToString(t.ID[:]), FormatDuration(t.Dur), t.Root)
		if len(facts) > 0 {
			line += "  (" + strings.Join(facts, ", ") + ")"
		}
		fmt.Fprintln(w, line)
		if len(t.Path) == 0 {
			continue
		}
		head := "critical path"
		if t.PathOver > 0 {
			head += " (among the first " + FormatCount(int64(t.PathOver)) + " spans)"
		}
		rows := [][]string{{head, "DURATION", "SELF", "PID"}}
		for i, s := range t.Path {
			if i == maxPathRows {
				rows = append(rows, []string{fmt.Sprintf("… %d more steps", len(t.Path)-i), "", "", ""})
				break
			}
			name := strings.Repeat(" ", min(s.Depth, 20)) + ellipsize(s.Name, c.nameWidth)
			switch s.Status {
			case StatusError:
				name += " [error]"
			case StatusPanic:
				name += " [panic]"
			}
			rows = append(rows, []string{name, FormatDuration(s.Dur), FormatDuration(s.Self), strconv.Itoa(s.Pid)})
		}
		writeGrid(w, rows, "    ")
	}
}

// maxPathRows is the number of critical path steps the table shows.
const maxPathRows = 40

func (r *Result) writeFooter(w *bufio.Writer) {
	fmt.Fprintln(w)
	line := plural(r.Spans, "span") + " (" + plural(r.Roots, "root") + ")"
	if n := len(r.Processes); n > 0 {
		line += " from " + plural(int64(n), "process")
	}
	if r.Spans > 0 {
		line += ", " + FormatDuration(time.Duration(r.End-r.Start)) + " of wall time"
	}
	fmt.Fprintln(w, line)
	if r.rowsNote != "" {
		fmt.Fprintln(w, r.rowsNote)
	}
	if r.Malformed > 0 {
		line := "malformed lines skipped: " + FormatCount(r.Malformed)
		if len(r.MalformedAt) > 0 {
			line += " (" + strings.Join(r.MalformedAt, ", ")
			if int64(len(r.MalformedAt)) < r.Malformed {
				line += ", …"
			}
			line += ")"
		}
		fmt.Fprintln(w, line)
	}
	if d := r.Dropped(); d > 0 {
		fmt.Fprintf(w, "dropped by the recorder: %s (%s)\n", plural(d, "span"), r.procList(func(p *Process) (int64, []string) { return p.Dropped, nil }))
	}
	if o := r.Open(); o > 0 {
		fmt.Fprintf(w, "never ended: %s (%s)\n", plural(o, "span"), r.procList(func(p *Process) (int64, []string) { return p.Pending, p.Open }))
	}
	if r.Orphans > 0 {
		fmt.Fprintf(w, "parent not in the input, or ended more than %s spans before them: %s, counted as roots\n", FormatCount(r.Window), plural(r.Orphans, "span"))
	}
	if r.Evicted > 0 {
		fmt.Fprintf(w, "gave up waiting for their parent (memory cap: more parents waiting at once than MaxPending): %s, counted as roots; their parents' self time is overstated\n", plural(r.Evicted, "span"))
	}
	if r.Approx > 0 {
		fmt.Fprintf(w, "self time approximate for %s: a child arrived far out of order (by more than %d of its siblings); at most the gaps between older siblings is misattributed\n", plural(r.Approx, "span"), maxIntervals/2)
	}
	if line := r.CostNote(); line != "" {
		fmt.Fprintln(w, line)
	}
	if line := r.StallNote(); line != "" {
		fmt.Fprintln(w, line)
	}
	if line := r.FoldNote(); line != "" {
		fmt.Fprintln(w, line)
	}
	fmt.Fprintf(w, "self = duration minus the union of child spans; percentiles within %.1f%% (log histogram)\n", 100*PercentileError)
}

// CostNote says what recording cost was subtracted from the times (see
// Aggregator.SetCost), or "" when none was.
func (r *Result) CostNote() string {
	if r.Compensated == 0 {
		return ""
	}
	pids := slices.Sorted(maps.Keys(r.Costs))
	var each []string
	for i, pid := range pids {
		if i == 3 {
			each = append(each, "…")
			break
		}
		c := r.Costs[pid]
		// One wording whatever the sign, so that pages quoting the footer
		// hold in every calibration: a negative inner is an end clock read
		// that lands before the span's own work has finished.
		one := fmt.Sprintf("pid %d: %dns inside a span, %dns seen from its parent", pid, c.Inner, c.Outer)
		if c.FoldOuter > 0 && r.FoldRecords > 0 {
			one += fmt.Sprintf(", a folded call %dns and %dns, a fold record %dns", c.FoldInner, c.FoldOuter, c.FoldRecord)
		}
		each = append(each, one)
	}
	return fmt.Sprintf("recording cost subtracted from %s (%s; %s in all, as each process measured itself); -raw for measured times",
		plural(r.Compensated, "span"), strings.Join(each, "; "), FormatDuration(time.Duration(r.Subtracted)))
}

// StallName names the spans in which the runtime records time it took
// from the program (draining a full buffer, waiting for the exporter).
const StallName = "autotrace.flush"

// StallNote sums the recorder's stalls, or "" when there were none.
func (r *Result) StallNote() string {
	for _, s := range r.Stats {
		if s.Name == StallName {
			return fmt.Sprintf("the recorder held the program for %s in %s (%s rows: buffers drained by a program goroutine), none of it in any function's self time",
				FormatDuration(s.Total), plural(s.Count, "stall"), StallName)
		}
	}
	return ""
}

// procList lists the processes for which f returns a count, with the count
// when several do and the names f gives: "pid 12: a, b; pid 13: 4".
func (r *Result) procList(f func(*Process) (int64, []string)) string {
	var parts []string
	several := 0
	for i := range r.Processes {
		if n, _ := f(&r.Processes[i]); n > 0 {
			several++
		}
	}
	for i := range r.Processes {
		p := &r.Processes[i]
		n, names := f(p)
		if n == 0 {
			continue
		}
		s := fmt.Sprintf("pid %d", p.Pid)
		if several > 1 {
			s += " " + FormatCount(n)
		}
		if len(names) > 0 {
			s += ": " + strings.Join(names, ", ")
			if int64(len(names)) < n {
				s += ", …"
			}
		}
		parts = append(parts, s)
	}
	return strings.Join(parts, "; ")
}

// GroupLabel names a row of the By breakdown: KEY=VALUE, or KEY (other)
// and KEY (none) for the rows of values not listed and of spans without
// the attribute.
func GroupLabel(key, value string) string {
	if value == OtherGroup || value == NoGroup {
		return key + " " + value
	}
	return key + "=" + value
}
