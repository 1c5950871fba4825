package report

import (
	"encoding/hex"
	"encoding/json"
	"io"
	"maps"
	"slices"

	"github.com/autotrace/autotrace/internal/hotspot"
)

type hotspotFrame = hotspot.Frame

// jsonReport is the json format: the table, machine-readable. Durations and
// times are integers in nanoseconds (times since the Unix epoch).
type jsonReport struct {
	Inputs          []string `json:"inputs"`
	Spans           int64    `json:"spans"`
	Roots           int64    `json:"roots"`
	StartNs         int64    `json:"start_ns"`
	EndNs           int64    `json:"end_ns"`
	Malformed       int64    `json:"malformed"`
	MalformedAt     []string `json:"malformed_at"`
	Dropped         int64    `json:"dropped"`
	NeverEnded      int64    `json:"never_ended"`
	Orphans         int64    `json:"orphans"`
	Evicted         int64    `json:"evicted"`
	Late            int64    `json:"late"`
	Approx          int64    `json:"approx_self,omitempty"`
	PercentileError float64  `json:"percentile_error"`
	// With a cost record: what recording cost was subtracted (-raw: none).
	Compensated   int64         `json:"compensated_spans,omitempty"`
	SubtractedNs  int64         `json:"subtracted_ns,omitempty"`
	FoldRecords   int64         `json:"fold_records,omitempty"` // fold records read (AUTOTRACE_FOLD)
	Costs         []jsonCost    `json:"recording_cost,omitempty"`
	Hotspots      []jsonStat    `json:"hotspots"`
	SlowestTraces []jsonTrace   `json:"slowest_traces"`
	Processes     []jsonProcess `json:"processes"`
	ActiveTime    *jsonActive   `json:"active_time,omitempty"` // with execution traces
	By            []string      `json:"by,omitempty"`          // with -by: the attributes
}

// jsonCost is what recording a span cost one process.
type jsonCost struct {
	Pid         int   `json:"pid"`
	InnerNs     int64 `json:"inner_ns"`
	OuterNs     int64 `json:"outer_ns"`
	FoldInnerNs int64 `json:"fold_inner_ns,omitempty"` // a folded call's (AUTOTRACE_FOLD)
	FoldOuterNs int64 `json:"fold_outer_ns,omitempty"`
	FoldRecord  int64 `json:"fold_record_ns,omitempty"` // writing one fold record, after its parent's end
}

type jsonStat struct {
	Name  string `json:"name"`
	Count int64  `json:"count"`
	// Folded is how many of Count were folded calls (AUTOTRACE_FOLD):
	// their time is in total, self and mean, not in the percentiles or max.
	Folded  int64 `json:"folded,omitempty"`
	Errors  int64 `json:"errors"`
	Panics  int64 `json:"panics"`
	TotalNs int64 `json:"total_ns"`
	SelfNs  int64 `json:"self_ns"`
	MeanNs  int64 `json:"mean_ns"`
	P50Ns   int64 `json:"p50_ns"`
	P95Ns   int64 `json:"p95_ns"`
	P99Ns   int64 `json:"p99_ns"`
	MaxNs   int64 `json:"max_ns"`
	// With -by: per attribute, the row broken down by its values, the
	// value as Name ("(other)" for the rest, "(none)" for spans without
	// it); an attribute no span of the name had is left out.
	By map[string][]jsonStat `json:"by,omitempty"`
}

type jsonTrace struct {
	TraceID      string     `json:"trace_id"`
	Root         string     `json:"root"`
	StartNs      int64      `json:"start_ns"`
	DurNs        int64      `json:"dur_ns"`
	Spans        int        `json:"spans"`
	Errors       int        `json:"errors"`
	Panics       int        `json:"panics"`
	Pids         []int      `json:"pids"`
	Truncated    bool       `json:"truncated,omitempty"`
	CriticalPath []jsonStep `json:"critical_path"`
}

type jsonStep struct {
	Name    string `json:"name"`
	SpanID  string `json:"span_id"`
	Pid     int    `json:"pid"`
	StartNs int64  `json:"start_ns"`
	DurNs   int64  `json:"dur_ns"`
	SelfNs  int64  `json:"self_ns"`
	Status  string `json:"status"`
	Depth   int    `json:"depth"`
}

type jsonProcess struct {
	Pid        int      `json:"pid"`
	Cmd        string   `json:"cmd"`
	StartNs    int64    `json:"start_ns"`
	Spans      int64    `json:"spans"`
	Dropped    int64    `json:"dropped"`
	NeverEnded int64    `json:"never_ended"`
	Open       []string `json:"open"`
}

func statusName(s uint8) string {
	if int(s) < len(statusNames) {
		return statusNames[s]
	}
	return "ok"
}

func toJSONStat(s hotspot.Stat) jsonStat {
	return jsonStat{
		Name: s.Name, Count: s.Count, Folded: s.Folded, Errors: s.Errors, Panics: s.Panics,
		TotalNs: int64(s.Total), SelfNs: int64(s.Self), MeanNs: int64(s.Mean),
		P50Ns: int64(s.P50), P95Ns: int64(s.P95), P99Ns: int64(s.P99), MaxNs: int64(s.Max),
	}
}

// toJSON converts d to the json format's shape.
func toJSON(d *data) *jsonReport {
	r := d.res
	j := &jsonReport{
		Inputs: d.inputs, Spans: r.Spans, Roots: r.Roots, StartNs: r.Start, EndNs: r.End,
		Malformed: r.Malformed, MalformedAt: nonNil(r.MalformedAt), Dropped: r.Dropped(), NeverEnded: r.Open(),
		Orphans: r.Orphans, Evicted: r.Evicted, Late: r.Late, Approx: r.Approx, PercentileError: hotspot.PercentileError,
		Hotspots: []jsonStat{}, SlowestTraces: []jsonTrace{}, Processes: []jsonProcess{},
		ActiveTime: toJSONActive(d),
	}
	j.By = r.By
	j.Compensated, j.SubtractedNs, j.FoldRecords = r.Compensated, r.Subtracted, r.FoldRecords
	if r.Compensated > 0 {
		for _, pid := range slices.Sorted(maps.Keys(r.Costs)) {
			c := r.Costs[pid]
			j.Costs = append(j.Costs, jsonCost{Pid: pid, InnerNs: c.Inner, OuterNs: c.Outer, FoldInnerNs: c.FoldInner, FoldOuterNs: c.FoldOuter, FoldRecord: c.FoldRecord})
		}
	}
	for _, s := range r.Stats {
		js := toJSONStat(s)
		for i, groups := range s.Groups {
			for _, g := range groups {
				if js.By == nil {
					js.By = map[string][]jsonStat{}
				}
				js.By[r.By[i]] = append(js.By[r.By[i]], toJSONStat(g))
			}
		}
		j.Hotspots = append(j.Hotspots, js)
	}
	for i, t := range r.Traces {
		if i >= d.top {
			break
		}
		jt := jsonTrace{
			TraceID: hex.EncodeToString(t.ID[:]), Root: t.Root, StartNs: t.Start, DurNs: int64(t.Dur),
			Spans: t.Spans, Errors: t.Errors, Panics: t.Panics, Pids: nonNil(t.Pids), CriticalPath: []jsonStep{},
		}
		if i < len(d.traces) {
			jt.Truncated = d.traces[i].truncated
		}
		for _, s := range t.Path {
			jt.CriticalPath = append(jt.CriticalPath, jsonStep{
				Name: s.Name, SpanID: hex.EncodeToString(s.SpanID[:]), Pid: s.Pid, StartNs: s.Start,
				DurNs: int64(s.Dur), SelfNs: int64(s.Self), Status: statusName(s.Status), Depth: s.Depth,
			})
		}
		j.SlowestTraces = append(j.SlowestTraces, jt)
	}
	for _, p := range r.Processes {
		j.Processes = append(j.Processes, jsonProcess{
			Pid: p.Pid, Cmd: p.Cmd, StartNs: p.Start, Spans: p.Spans, Dropped: p.Dropped,
			NeverEnded: p.Pending, Open: nonNil(p.Open),
		})
	}
	return j
}

func nonNil[T any](s []T) []T {
	if s == nil {
		return []T{}
	}
	return s
}

// writeJSON writes the json format.
func writeJSON(w io.Writer, d *data) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(toJSON(d))
}
