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

// foldedTrace lays out, as JSON Lines and as the runtime records it, a
// root calling mid three times, each calling leaf ten times, the leaves
// folded into one fold record per mid written before it: a span costs
// a+b around its clock reads and b inside its interval, a folded call fa
// and fb. It returns the lines, mid's measured duration and the fold
// records' measured time (each the same).
func foldedTrace() (lines []string, midDur, foldDur int64) {
	const a, b, fa, fb = 100, 40, 20, 10
	const trace = "0102030405060708090a0b0c0d0e0f10"
	at := int64(1_000_000)
	line := func(id, parent int, name string, start, dur int64) string {
		p := ""
		if parent != 0 {
			p = fmt.Sprintf("%016x", parent)
		}
		return fmt.Sprintf(`{"trace_id":"%s","span_id":"%016x","parent_id":"%s","name":"%s","start_ns":%d,"dur_ns":%d,"pid":7,"status":"ok"}`, trace, id, p, name, start, dur)
	}
	lines = append(lines, fmt.Sprintf(`{"cost":{"pid":7,"inner_ns":%d,"outer_ns":%d,"ctx_inner_ns":0,"ctx_outer_ns":0,"fold_inner_ns":%d,"fold_outer_ns":%d}}`, b, a+b, fb, fa+fb))
	at += a / 2
	rootStart := at
	at += b/2 + 1000
	for m := range 3 {
		id := 2 + m
		at += a / 2
		start := at
		at += b/2 + 200
		foldStart, sum := at+fa/2, int64(0)
		for range 10 {
			at += fa / 2
			at += fb + 30
			sum += fb + 30
			at += fa - fa/2
		}
		at += b - b/2
		lines = append(lines, fmt.Sprintf(`{"fold":{"trace_id":"%s","parent_id":"%016x","name":"leaf","start_ns":%d,"dur_ns":%d,"calls":10,"pid":7,"attrs":{}}}`, trace, id, foldStart, sum))
		lines = append(lines, line(id, 1, "mid", start, at-start))
		midDur, foldDur = at-start, sum
		at += a - a/2
	}
	at += b - b/2
	lines = append(lines, line(1, 0, "root", rootStart, at-rootStart))
	return lines, midDur, foldDur
}

// TestFoldedTrace: report counts folded calls exactly and, with the cost
// record's figures for a folded call, gives every function its true
// total and self time (known by construction); the table marks the
// folded row and says so below it; the slowest trace's critical path
// takes the folded calls off their parent's self time, and the HTML
// timeline draws them as a band under their parent.
func TestFoldedTrace(t *testing.T) {
	lines, midDur, foldDur := foldedTrace()
	path := filepath.Join(t.TempDir(), "t.jsonl")
	if err := os.WriteFile(path, []byte(strings.Join(lines, "\n")+"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	run := func(args ...string) string {
		var out, errb bytes.Buffer
		if code := Command(append(args, path), &out, &errb); code != 0 || errb.Len() > 0 {
			t.Fatalf("%v: exit %d: %s", args, code, errb.String())
		}
		return out.String()
	}
	var j struct {
		Spans       int64 `json:"spans"`
		FoldRecords int64 `json:"fold_records"`
		Hotspots    []struct {
			Name    string `json:"name"`
			Count   int64  `json:"count"`
			Folded  int64  `json:"folded"`
			TotalNs int64  `json:"total_ns"`
			SelfNs  int64  `json:"self_ns"`
		} `json:"hotspots"`
		Slowest []struct {
			Spans int `json:"spans"`
			Path  []struct {
				Name   string `json:"name"`
				DurNs  int64  `json:"dur_ns"`
				SelfNs int64  `json:"self_ns"`
			} `json:"critical_path"`
		} `json:"slowest_traces"`
	}
	if err := json.Unmarshal([]byte(run("-format", "json")), &j); err != nil {
		t.Fatal(err)
	}
	want := map[string][4]int64{ // count, folded, total, self
		"root": {1, 0, 1000 + 3*(200+10*30), 1000},
		"mid":  {3, 0, 3 * (200 + 10*30), 3 * 200},
		"leaf": {30, 30, 30 * 30, 30 * 30},
	}
	for _, h := range j.Hotspots {
		if got := [4]int64{h.Count, h.Folded, h.TotalNs, h.SelfNs}; got != want[h.Name] {
			t.Errorf("%s: count, folded, total, self %v; want %v", h.Name, got, want[h.Name])
		}
	}
	if j.Spans != 34 || j.FoldRecords != 3 {
		t.Errorf("spans %d, fold records %d; want 34 calls and 3", j.Spans, j.FoldRecords)
	}
	if len(j.Slowest) != 1 || j.Slowest[0].Spans != 34 || len(j.Slowest[0].Path) < 2 {
		t.Fatalf("slowest traces %+v", j.Slowest)
	}
	for _, s := range j.Slowest[0].Path {
		if s.Name == "mid" && s.SelfNs != midDur-foldDur {
			t.Errorf("critical path: mid self %d; want its duration %d less its folded calls' %d", s.SelfNs, midDur, foldDur)
		}
	}
	table := run()
	for _, w := range []string{"leaf     30", "~900ns", "~ folded: 30 calls of 1 name in 3 fold records"} {
		if !strings.Contains(table, w) {
			t.Errorf("table lacks %q:\n%s", w, table)
		}
	}
	d := embeddedData(t, run("-format", "html"))
	bands := 0
	tr := d.Traces[0]
	for _, s := range tr.Spans {
		if len(s) > 11 && s[11] > 0 {
			bands++
			if s[7] < 0 {
				t.Fatalf("band %v without its parent", s)
			}
			p := tr.Spans[s[7]]
			if s[11] != 10 || s[4] != p[4] || s[5] != p[5]+1 {
				t.Errorf("band %v under %v: want 10 calls, in its parent's lane, one row below it", s, p)
			}
		}
	}
	if bands != 3 {
		t.Errorf("%d folded bands in the timeline; want 3", bands)
	}
}
