package compare

import (
	"bytes"
	"flag"
	"math/rand/v2"
	"os"
	"path/filepath"
	"testing"
)

var update = flag.Bool("update", false, "rewrite testdata/compare: the generated traces and the golden outputs")

// goldenBase and goldenHead make testdata/compare/{base,head}.jsonl: in the
// head, app.load is 25% slower, app.query is called three times as often,
// app.render is twice as fast, app.rare has too few spans, app.old is gone
// and app.new is new.
var (
	goldenBase = traceGen{
		traces:   40,
		rootSelf: 50_000,
		children: []childGen{
			{name: "app.load", calls: 1, median: 2e6, sigma: 0.15},
			{name: "app.query", calls: 2, median: 400e3, sigma: 0.3},
			{name: "app.render", calls: 1, median: 1e6, sigma: 0.15},
			{name: "app.rare", calls: 1, median: 300e3, sigma: 0.2, every: 20},
			{name: "app.old", calls: 1, median: 100e3, sigma: 0.2},
		},
	}
	goldenHead = goldenBase.
			with("app.load", func(c *childGen) { c.median *= 1.25 }).
			with("app.query", func(c *childGen) { c.calls *= 3 }).
			with("app.render", func(c *childGen) { c.median /= 2 }).
			with("app.rare", func(c *childGen) { c.median *= 3 }).
			with("app.old", func(c *childGen) { c.name = "app.new" })
)

// TestGolden runs the command on testdata/compare/{base,head}.jsonl and
// compares each format, and the exit status (1: regressions), with the
// golden files there. `go test ./compare -update` rewrites the traces and
// the golden files.
func TestGolden(t *testing.T) {
	dir, err := filepath.Abs("../testdata/compare")
	if err != nil {
		t.Fatal(err)
	}
	if *update {
		if err := os.MkdirAll(dir, 0o755); err != nil {
			t.Fatal(err)
		}
		if err := writeJSONL(filepath.Join(dir, "base.jsonl"), goldenBase.spans(rand.New(rand.NewPCG(1, 1)), 1)); err != nil {
			t.Fatal(err)
		}
		if err := writeJSONL(filepath.Join(dir, "head.jsonl"), goldenHead.spans(rand.New(rand.NewPCG(1, 2)), 1001)); err != nil {
			t.Fatal(err)
		}
	}
	t.Chdir(dir) // short file names in the output
	for _, tt := range []struct {
		golden string
		args   []string
	}{
		{"table.txt", []string{"base.jsonl", "--", "head.jsonl"}},
		{"compare.md", []string{"-format", "markdown", "base.jsonl", "--", "head.jsonl"}},
		{"compare.json", []string{"-format=json", "base.jsonl", "--", "head.jsonl"}},
		{"total.txt", []string{"-metric", "total", "-only", `^app\.(load|render|handle)$`, "base.jsonl", "--", "head.jsonl"}},
	} {
		t.Run(tt.golden, func(t *testing.T) {
			var out, errb bytes.Buffer
			if code := Command(tt.args, &out, &errb); code != 1 {
				t.Fatalf("exit %d, want 1 (regressions): %s", code, errb.String())
			}
			if errb.Len() > 0 {
				t.Errorf("stderr: %s", errb.String())
			}
			path := filepath.Join(dir, tt.golden)
			if *update {
				if err := os.WriteFile(path, out.Bytes(), 0o644); err != nil {
					t.Fatal(err)
				}
				return
			}
			want, err := os.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(out.Bytes(), want) {
				t.Errorf("output differs from %s (go test ./compare -update rewrites it):\n%s", path, out.String())
			}
		})
	}
}
