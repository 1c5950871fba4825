package report

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// TestCostRecordCompensates: a trace whose cost record says what
// recording a span cost its process reports the program's true times,
// known by construction (the spans are laid out as the runtime records
// them: Start's and End's costs around and inside each span); -raw
// reports the measured ones; the footer says what was subtracted.
func TestCostRecordCompensates(t *testing.T) {
	const a, b, c, d = 40, 15, 25, 60 // Start before and after its clock read, End before and after its
	var lines []string
	var id int
	at := int64(1_000_000)
	// span records one span of own work and children, as they end.
	var span func(name string, own int64, parent int, kids func(self int)) int64
	span = func(name string, own int64, parent int, kids func(self int)) int64 {
		id++
		self := id
		at += a
		start := at
		at += b + own
		if kids != nil {
			kids(self)
		}
		at += c
		parentID := ""
		if parent != 0 {
			parentID = fmt.Sprintf("%016x", parent)
		}
		lines = append(lines, fmt.Sprintf(`{"trace_id":"0102030405060708090a0b0c0d0e0f10","span_id":"%016x","parent_id":"%s","name":"%s","start_ns":%d,"dur_ns":%d,"pid":7,"status":"ok"}`,
			self, parentID, name, start, at-start))
		at += d
		return at
	}
	span("root", 1000, 0, func(root int) {
		for range 3 {
			span("mid", 200, root, func(mid int) {
				for range 10 {
					span("leaf", 30, mid, nil)
				}
			})
		}
	})
	trueSelf := map[string]int64{"root": 1000, "mid": 3 * 200, "leaf": 30 * 30}
	trueTotal := map[string]int64{"root": 1000 + 3*(200+300), "mid": 3 * (200 + 300), "leaf": 30 * 30}
	cost := fmt.Sprintf(`{"cost":{"pid":7,"inner_ns":%d,"outer_ns":%d}}`, b+c, a+b+c+d)
	// The cost record applies to every span of its process, wherever the
	// file holds it: the runtime writes a few spans before it when it must
	// write while calibrating.
	for _, at := range []int{0, 5, len(lines)} {
		t.Run(fmt.Sprintf("cost-after-%d-spans", at), func(t *testing.T) {
			file := slices.Concat(lines[:at:at], []string{cost}, lines[at:])
			testCostCompensates(t, file, len(lines), trueSelf, trueTotal)
		})
	}
}

func testCostCompensates(t *testing.T, file []string, spans int, trueSelf, trueTotal map[string]int64) {
	path := filepath.Join(t.TempDir(), "t.jsonl")
	if err := os.WriteFile(path, []byte(strings.Join(file, "\n")+"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, raw := range []bool{false, true} {
		args := []string{"-format", "json", path}
		if raw {
			args = append([]string{"-raw"}, args...)
		}
		var out, errb bytes.Buffer
		if code := Command(args, &out, &errb); code != 0 {
			t.Fatalf("%v: exit %d: %s", args, code, errb.String())
		}
		var j struct {
			Compensated int64 `json:"compensated_spans"`
			Hotspots    []struct {
				Name    string `json:"name"`
				TotalNs int64  `json:"total_ns"`
				SelfNs  int64  `json:"self_ns"`
			} `json:"hotspots"`
		}
		if err := json.Unmarshal(out.Bytes(), &j); err != nil {
			t.Fatal(err)
		}
		for _, h := range j.Hotspots {
			exact := h.SelfNs == trueSelf[h.Name] && h.TotalNs == trueTotal[h.Name]
			if exact == raw {
				t.Errorf("raw=%v: %s total %d self %d; true %d, %d", raw, h.Name, h.TotalNs, h.SelfNs, trueTotal[h.Name], trueSelf[h.Name])
			}
		}
		if want := int64(spans); !raw && j.Compensated != want || raw && j.Compensated != 0 {
			t.Errorf("raw=%v: compensated_spans %d", raw, j.Compensated)
		}
	}
	var out, errb bytes.Buffer
	Command([]string{path}, &out, &errb)
	if !strings.Contains(out.String(), "recording cost subtracted from 34 spans (pid 7: 40ns inside a span, 140ns seen from its parent;") {
		t.Errorf("table footer does not say what was subtracted:\n%s", out.String())
	}
}
