package report

import (
	"bufio"
	"bytes"
	"os"
	"path/filepath"
	"slices"
	"testing"

	"github.com/autotrace/autotrace/internal/hotspot"
	"github.com/autotrace/autotrace/report/internal/gentrace"
)

// TestCrossCheck compares the streaming aggregator with a brute-force
// computation over all spans held in memory, on generated traffic with
// concurrency, late children and two processes.
func TestCrossCheck(t *testing.T) {
	var buf bytes.Buffer
	if _, err := gentrace.Write(&buf, gentrace.Options{Spans: 20000, Seed: 11}); err != nil {
		t.Fatal(err)
	}
	var spans []hotspot.Span
	p := newParser()
	var rec record
	sc := bufio.NewScanner(bytes.NewReader(buf.Bytes()))
	for sc.Scan() {
		if k, err := p.parse(sc.Bytes(), &rec); err == nil && k == kindSpan {
			spans = append(spans, rec.span)
		}
	}
	// Brute force: self = dur minus the union of all children, clipped.
	type key struct {
		tr [16]byte
		id [8]byte
	}
	kids := map[key][]int{}
	for i, s := range spans {
		if !s.IsRoot() {
			kids[key{s.TraceID, s.ParentID}] = append(kids[key{s.TraceID, s.ParentID}], i)
		}
	}
	want := map[string]int64{}
	for _, s := range spans {
		var ivs [][2]int64
		for _, k := range kids[key{s.TraceID, s.SpanID}] {
			c := spans[k]
			lo, hi := max(c.Start, s.Start), min(c.End(), s.End())
			if hi > lo {
				ivs = append(ivs, [2]int64{lo, hi})
			}
		}
		slices.SortFunc(ivs, func(a, b [2]int64) int { return cmp64(a[0], b[0]) })
		var cov, end int64 = 0, -1 << 62
		for _, iv := range ivs {
			if iv[0] > end {
				cov += iv[1] - iv[0]
				end = iv[1]
			} else if iv[1] > end {
				cov += iv[1] - end
				end = iv[1]
			}
		}
		want[s.Name] += s.Dur - cov
	}

	// Both file orders: the worker's spans after, then before their parents.
	path := filepath.Join(t.TempDir(), "t.jsonl")
	os.WriteFile(path, buf.Bytes(), 0o644)
	for _, order := range [][]hotspot.Span{spans, reversed(spans)} {
		a := hotspot.New(hotspot.Flame(true))
		for _, s := range order {
			a.Add(s)
		}
		r := a.Result()
		for _, st := range r.Stats {
			if int64(st.Self) != want[st.Name] {
				t.Errorf("%s: self %d, brute force %d", st.Name, st.Self, want[st.Name])
			}
		}
		var flameSelf, wantSelf int64
		r.Flame.Walk(func(_ []string, f *hotspot.Frame) { flameSelf += f.Self })
		for _, v := range want {
			wantSelf += v
		}
		if flameSelf != wantSelf || r.Orphans != 0 || r.Evicted != 0 {
			t.Errorf("flame self %d, want %d; orphans %d, evicted %d", flameSelf, wantSelf, r.Orphans, r.Evicted)
		}
	}
}

func reversed[T any](s []T) []T {
	r := slices.Clone(s)
	slices.Reverse(r)
	return r
}

// FuzzParse: the parser never panics, and what it accepts as a span has the
// required fields.
func FuzzParse(f *testing.F) {
	f.Add([]byte(benchLine))
	f.Add([]byte(`{"process":{"pid":1}}`))
	f.Add([]byte(`{"a":[{"b":"\"}"}],"name":"x\u00e9"}`))
	p := newParser()
	f.Fuzz(func(t *testing.T, line []byte) {
		var r record
		k, err := p.parse(line, &r)
		if err == nil && k == kindSpan && r.span.Name == "" && !bytes.Contains(line, []byte(`"name"`)) {
			t.Errorf("span without a name from %q", line)
		}
	})
}
