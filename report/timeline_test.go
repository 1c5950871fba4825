package report

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// tlSpan is a span of a known-answer layout test and the lane it must get.
type tlSpan struct {
	trace, id, parent int
	start, end        int64
	lane              string
}

// writeTrace writes spans, in the order given, as a JSON Lines trace of
// process pid and returns its path.
func writeTrace(t *testing.T, pid int, spans []tlSpan) string {
	t.Helper()
	var b strings.Builder
	const base = 1_763_856_000_000_000_000
	for _, s := range spans {
		fmt.Fprintf(&b, `{"trace_id":"%032x","span_id":"%016x","name":"pkg.f%d","start_ns":%d,"dur_ns":%d,"pid":%d`,
			s.trace, s.id, s.id, base+s.start, s.end-s.start, pid)
		if s.parent != 0 {
			fmt.Fprintf(&b, `,"parent_id":"%016x"`, s.parent)
		}
		b.WriteString("}\n")
	}
	path := filepath.Join(t.TempDir(), "trace.jsonl")
	if err := os.WriteFile(path, []byte(b.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

// TestTimelineLayout checks the streaming layout against lanes worked out
// by hand, for the chrome and perfetto formats: spans arrive as the runtime
// writes them (children before their parent), and the file must hold every
// span, on the lane the layout's rules give it, each lane nesting.
func TestTimelineLayout(t *testing.T) {
	tests := []struct {
		name    string
		waiting int
		spans   []tlSpan
	}{{
		// Trace 1: B overlaps its sibling A, so it takes a sub-lane of
		// its own; the sub-lanes go on lanes 1 and 2. Trace 2 overlaps
		// both (its root starts at 50, before lane 1 ends at 100 and
		// lane 2 at 60): lane 3. Trace 3 starts at 200, after lane 1's
		// last end: lane 1 again.
		name: "concurrent", waiting: defaultMaxWaiting,
		spans: []tlSpan{
			{1, 2, 1, 10, 50, "lane 1"},
			{1, 3, 1, 20, 60, "lane 2"},
			{2, 12, 11, 60, 140, "lane 3"},
			{1, 4, 1, 70, 90, "lane 1"},
			{1, 1, 0, 0, 100, "lane 1"},
			{2, 11, 0, 50, 150, "lane 3"},
			{3, 22, 21, 210, 220, "lane 1"},
			{3, 21, 0, 200, 300, "lane 1"},
		},
	}, {
		// One root with 20 children, 6 spans allowed to wait: the
		// trace is laid out in pieces of 7 spans as the cap is passed
		// (children 1-7, 8-14; the root arrives with 15-20). The first
		// two pieces follow each other on lane 1; the root's piece
		// spans them, so it takes lane 2.
		name: "over the cap", waiting: 6,
		spans: func() []tlSpan {
			var s []tlSpan
			for k := range 20 {
				lane := "lane 1"
				if k >= 14 {
					lane = "lane 2"
				}
				st := 1000 + 50*int64(k)
				s = append(s, tlSpan{7, 100 + k, 99, st, st + 40, lane})
			}
			return append(s, tlSpan{7, 99, 0, 1000, 2000, "lane 2"})
		}(),
	}}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			setMaxWaiting(t, tt.waiting)
			path := writeTrace(t, 300, tt.spans)

			var out, errb bytes.Buffer
			if code := Command([]string{"-format", "perfetto", path}, &out, &errb); code != 0 {
				t.Fatal(errb.String())
			}
			got, lanes, _ := readPerfetto(t, out.Bytes())
			if len(got) != len(tt.spans) {
				t.Errorf("perfetto: %d slices, want %d", len(got), len(tt.spans))
			}
			for _, s := range tt.spans {
				g, ok := got[uint64(s.id)]
				if !ok {
					t.Errorf("perfetto: span %d missing", s.id)
					continue
				}
				if g.dur != s.end-s.start || lanes[uint64(s.id)] != s.lane {
					t.Errorf("perfetto: span %d: %d ns on %q, want %d ns on %q", s.id, g.dur, lanes[uint64(s.id)], s.end-s.start, s.lane)
				}
			}

			out.Reset()
			if code := Command([]string{"-format", "chrome", path}, &out, &errb); code != 0 {
				t.Fatal(errb.String())
			}
			var doc struct {
				TraceEvents []chromeEvent `json:"traceEvents"`
			}
			if err := json.Unmarshal(out.Bytes(), &doc); err != nil {
				t.Fatalf("chrome: not JSON: %v", err)
			}
			checkNesting(t, doc.TraceEvents)
			tid := map[string]int{}
			for _, e := range doc.TraceEvents {
				if e.Ph == "X" {
					tid[e.Args["span_id"].(string)] = e.Tid
				}
			}
			if len(tid) != len(tt.spans) {
				t.Errorf("chrome: %d spans, want %d", len(tid), len(tt.spans))
			}
			for _, s := range tt.spans {
				if l := fmt.Sprintf("lane %d", tid[fmt.Sprintf("%016x", s.id)]); l != s.lane {
					t.Errorf("chrome: span %d on %s, want %s", s.id, l, s.lane)
				}
			}
		})
	}
}
