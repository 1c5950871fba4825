package otlp

import (
	"bytes"
	"context"
	"encoding/json"
	"strings"
	"testing"

	"github.com/autotrace/autotrace/report"
)

// TestOneValidityRule: report and export take the same spans and refuse
// the same ones (tracefile.SpanProblem), so that a CI step on report and
// the spans a backend receives never disagree about a file.
func TestOneValidityRule(t *testing.T) {
	const good = `"trace_id":"0af7651916cd43dd8448eb211c80319c","span_id":"00f067aa0ba902b7","parent_id":"","name":"n","pid":1,"status":"ok"`
	tests := []struct {
		name, line string
		valid      bool
	}{
		{"whole", `{` + good + `,"start_ns":1000,"dur_ns":5}`, true},
		{"empty name", `{` + strings.Replace(good, `"name":"n"`, `"name":""`, 1) + `,"start_ns":1000,"dur_ns":5}`, true},
		{"zero duration", `{` + good + `,"start_ns":1000,"dur_ns":0}`, true},
		{"no start_ns", `{` + good + `,"dur_ns":5}`, false},
		{"negative dur_ns", `{` + good + `,"start_ns":1000,"dur_ns":-5}`, false},
		{"zero trace_id", `{` + strings.Replace(good, "0af7651916cd43dd8448eb211c80319c", strings.Repeat("0", 32), 1) + `,"start_ns":1000,"dur_ns":5}`, false},
		{"zero span_id", `{` + strings.Replace(good, "00f067aa0ba902b7", strings.Repeat("0", 16), 1) + `,"start_ns":1000,"dur_ns":5}`, false},
		{"short trace_id", `{` + strings.Replace(good, "0af7651916cd43dd8448eb211c80319c", "0af7", 1) + `,"start_ns":1000,"dur_ns":5}`, false},
	}
	clearOTELEnv(t)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			// A valid span beside it keeps the file a trace either way.
			other := `{"trace_id":"1af7651916cd43dd8448eb211c80319c","span_id":"10f067aa0ba902b7","parent_id":"","name":"other","start_ns":1,"dur_ns":1,"pid":1,"status":"ok"}`
			path := writeTrace(t, other+"\n"+tt.line+"\n")
			var c collector
			res, err := Export(context.Background(), Options{Endpoint: c.start(t)}, path)
			if err != nil {
				t.Fatal(err)
			}
			exported := res.Spans == 2
			var out, errb bytes.Buffer
			report.Command([]string{"-format", "json", path}, &out, &errb)
			var j struct {
				Spans int `json:"spans"`
			}
			if err := json.Unmarshal(out.Bytes(), &j); err != nil {
				t.Fatalf("report: %v\n%s%s", err, out.String(), errb.String())
			}
			reported := j.Spans == 2
			if exported != tt.valid || reported != tt.valid {
				t.Errorf("valid %v: export took it %v (%d spans, %v), report %v (%d spans; %s)", tt.valid, exported, res.Spans, res.Problems, reported, j.Spans, strings.TrimSpace(errb.String()))
			}
		})
	}
}
