package report

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"

	"github.com/autotrace/autotrace/report/internal/gentrace"
)

// TestWorkersAgree: pass 1 split among several aggregators (by trace, then
// merged) gives the report one aggregator gives, in every format that
// aggregates, on generated traffic with late children and two processes,
// and on a binary trace the runtime wrote.
func TestWorkersAgree(t *testing.T) {
	dir := t.TempDir()
	gen := filepath.Join(dir, "gen.jsonl")
	f, err := os.Create(gen)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := gentrace.Write(f, gentrace.Options{Spans: 30000, Seed: 5}); err != nil {
		t.Fatal(err)
	}
	f.Close()
	defer func() { testWorkers = 0 }()
	for _, path := range []string{gen, "../tracefile/testdata/sample.trace"} {
		for _, format := range []string{"table", "json", "folded", "pprof"} {
			var outs [3][]byte
			for i, n := range []int{1, 2, 5} {
				testWorkers = n
				var stdout, stderr bytes.Buffer
				if code := Command([]string{"-format", format, "-top", "5", path}, &stdout, &stderr); code != 0 {
					t.Fatalf("%s %s, %d workers: exit %d: %s", path, format, n, code, stderr.String())
				}
				outs[i] = stdout.Bytes()
			}
			if len(outs[0]) == 0 {
				t.Errorf("%s %s: empty report", path, format)
			}
			for i, n := range []int{2, 5} {
				if !bytes.Equal(outs[0], outs[i+1]) {
					t.Errorf("%s %s: %d workers' report differs from one's:\n%s\n---\n%s", path, format, n, outs[i+1], outs[0])
				}
			}
		}
	}
}
