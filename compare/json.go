package compare

import (
	"encoding/json"
	"io"
	"math"
)

// jsonResult is the json format. Times are integers in nanoseconds;
// changes are percentages; a value that does not apply is null.
type jsonResult struct {
	Metric      Metric    `json:"metric"`
	Threshold   float64   `json:"threshold_pct"`
	Alpha       float64   `json:"alpha"`
	MinCount    int       `json:"min_count"`
	Calls       bool      `json:"calls"`
	Base        jsonSide  `json:"base"`
	Head        jsonSide  `json:"head"`
	Regressions int       `json:"regressions"`
	Spans       []jsonRow `json:"spans"`
}

type jsonSide struct {
	Files       []string `json:"files"`
	Spans       int64    `json:"spans"`
	RootTraces  int64    `json:"root_traces"`
	Dropped     int64    `json:"dropped"`
	Sampled     int      `json:"sampled_names,omitempty"`
	Malformed   int64    `json:"malformed"`
	MalformedAt []string `json:"malformed_at"`
}

type jsonRow struct {
	Name           string       `json:"name"`
	Verdict        string       `json:"verdict"`
	Regression     bool         `json:"regression"`
	Slower         bool         `json:"slower"`
	Faster         bool         `json:"faster"`
	MoreCalls      bool         `json:"more_calls"`
	FewerCalls     bool         `json:"fewer_calls"`
	TooFew         bool         `json:"too_few"`
	ChangePct      *float64     `json:"change_pct"`
	CallsChangePct *float64     `json:"calls_change_pct"`
	P              *float64     `json:"p"`
	Exact          bool         `json:"exact"`
	Base           *jsonSummary `json:"base"`
	Head           *jsonSummary `json:"head"`
}

type jsonSummary struct {
	Count         int      `json:"count"`
	CallsPerTrace *float64 `json:"calls_per_trace"`
	SelfP50Ns     int64    `json:"self_p50_ns"`
	SelfP95Ns     int64    `json:"self_p95_ns"`
	TotalP50Ns    int64    `json:"total_p50_ns"`
	TotalP95Ns    int64    `json:"total_p95_ns"`
}

// finite returns &v, or nil for NaN and infinities (which JSON lacks).
func finite(v float64) *float64 {
	if math.IsNaN(v) || math.IsInf(v, 0) {
		return nil
	}
	return &v
}

func sideJSON(s *Side) jsonSide {
	at := s.MalformedAt
	if at == nil {
		at = []string{}
	}
	return jsonSide{Files: s.Files, Spans: s.Spans, RootTraces: s.Roots, Dropped: s.Dropped, Sampled: s.Sampled, Malformed: s.Malformed, MalformedAt: at}
}

func summaryJSON(s *Summary) *jsonSummary {
	if s == nil {
		return nil
	}
	return &jsonSummary{Count: s.Count, CallsPerTrace: finite(s.CallsPerTrace),
		SelfP50Ns: s.SelfP50, SelfP95Ns: s.SelfP95, TotalP50Ns: s.TotalP50, TotalP95Ns: s.TotalP95}
}

func writeJSON(w io.Writer, res *Result) error {
	o := &res.Options
	out := jsonResult{
		Metric: o.Metric, Threshold: math.Round(1e9*100*o.Threshold) / 1e9, Alpha: o.Alpha, MinCount: o.MinCount, Calls: o.Calls,
		Base: sideJSON(res.Base), Head: sideJSON(res.Head), Regressions: res.Regressions(),
		Spans: []jsonRow{},
	}
	for i := range res.Rows {
		r := &res.Rows[i]
		jr := jsonRow{
			Name: r.Name, Verdict: r.Verdict(o.Alpha), Regression: r.Regression(),
			Slower: r.Slower, Faster: r.Faster, MoreCalls: r.MoreCalls, FewerCalls: r.Fewer, TooFew: r.TooFew,
			ChangePct: finite(100 * r.Change), CallsChangePct: finite(100 * r.CallsChange),
			Base: summaryJSON(r.Base), Head: summaryJSON(r.Head),
		}
		if r.Test != nil {
			jr.P, jr.Exact = &r.Test.P, r.Test.Exact
		}
		out.Spans = append(out.Spans, jr)
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	return enc.Encode(out)
}
