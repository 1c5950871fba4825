package report

import (
	"encoding/hex"
	"fmt"
	"io"
	"strings"
	"text/tabwriter"

	"github.com/autotrace/autotrace/internal/activetime"
	"github.com/autotrace/autotrace/internal/hotspot"
)

// The slowest traces' critical paths, with each step's active time from
// the execution traces: which of the spans that made a request slow were
// computing, waiting for a CPU, or blocked, and on what.

// activePath is one slowest trace's critical path, the steps found in the
// execution traces.
type activePath struct {
	trace hotspot.Trace
	steps []activeStep
}

type activeStep struct {
	step hotspot.Step
	span *activetime.Span
}

// activePaths joins the slowest traces' critical paths (d.res.Traces, as
// many as d.top) with the execution traces' spans, by span id. Traces
// none of whose steps are in the execution traces are left out.
func activePaths(d *data) []activePath {
	if d.active == nil || len(d.res.Traces) == 0 {
		return nil
	}
	byID := make(map[string]*activetime.Span, len(d.active.Spans))
	for i := range d.active.Spans {
		byID[d.active.Spans[i].ID] = &d.active.Spans[i]
	}
	var paths []activePath
	for i, t := range d.res.Traces {
		if i == d.top {
			break
		}
		p := activePath{trace: t}
		found := false
		for _, st := range t.Path {
			s := byID[hex.EncodeToString(st.SpanID[:])]
			found = found || s != nil
			p.steps = append(p.steps, activeStep{st, s})
		}
		if found {
			paths = append(paths, p)
		}
	}
	return paths
}

// writeActivePaths writes the critical paths' active time (table format).
func writeActivePaths(w io.Writer, paths []activePath) error {
	if len(paths) == 0 {
		return nil
	}
	fmt.Fprintln(w, "\nCritical paths of the slowest traces, with their active time")
	for i, p := range paths {
		fmt.Fprintf(w, "%2d. %s  %s  %s\n", i+1, hex.EncodeToString(p.trace.ID[:]), fd(int64(p.trace.Dur)), p.trace.Root)
		tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
		fmt.Fprintln(tw, "    critical path\tduration\tcpu\trunnable\tblocked\telsewhere\tblocked by")
		for _, s := range p.steps {
			name := "    " + strings.Repeat(" ", s.step.Depth) + s.step.Name
			if s.span == nil {
				fmt.Fprintf(tw, "%s\t%s\t-\t-\t-\t-\t(not in the execution trace)\n", name, fd(int64(s.step.Dur)))
				continue
			}
			a := s.span
			fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\t%s\n", name, fd(int64(s.step.Dur)), fd(a.Time[activetime.CPU]),
				fd(a.Time[activetime.Runnable]), fd(a.Time.Blocked()), fd(a.Others), blockedBy(&a.Time))
		}
		if err := tw.Flush(); err != nil {
			return err
		}
	}
	return nil
}

// jsonActivePath is a critical path in the json format's active_time.
type jsonActivePath struct {
	TraceID string           `json:"trace_id"`
	Root    string           `json:"root"`
	DurNs   int64            `json:"dur_ns"`
	Steps   []jsonActiveStep `json:"steps"`
}

type jsonActiveStep struct {
	SpanID string `json:"span_id"`
	Name   string `json:"name"`
	Depth  int    `json:"depth"`
	DurNs  int64  `json:"dur_ns"`
	// The step's active time; absent when its span is not in the
	// execution traces.
	Ns        map[string]int64 `json:"ns,omitempty"`
	BlockedNs int64            `json:"blocked_ns"`
	OthersNs  int64            `json:"elsewhere_ns"`
}

// toJSONActivePaths converts paths for the json format.
func toJSONActivePaths(paths []activePath) []jsonActivePath {
	out := []jsonActivePath{}
	for _, p := range paths {
		jp := jsonActivePath{TraceID: hex.EncodeToString(p.trace.ID[:]), Root: p.trace.Root, DurNs: int64(p.trace.Dur)}
		for _, s := range p.steps {
			js := jsonActiveStep{SpanID: hex.EncodeToString(s.step.SpanID[:]), Name: s.step.Name, Depth: s.step.Depth, DurNs: int64(s.step.Dur)}
			if s.span != nil {
				js.Ns, js.BlockedNs, js.OthersNs = byCategory(&s.span.Time), s.span.Time.Blocked(), s.span.Others
			}
			jp.Steps = append(jp.Steps, js)
		}
		out = append(out, jp)
	}
	return out
}
