package compare

import (
	"math/rand/v2"
	"path/filepath"
	"testing"
)

// BenchmarkReadCompare reads two generated traces of about 100,000 spans
// each and compares them; spans/op is per side. Anchor: BenchmarkReadOnly
// on the same files, reading without comparing.
func BenchmarkReadCompare(b *testing.B) {
	base, head := benchFiles(b)
	b.ResetTimer()
	for range b.N {
		bs, err := Read([]string{base})
		if err != nil {
			b.Fatal(err)
		}
		hs, err := Read([]string{head})
		if err != nil {
			b.Fatal(err)
		}
		Compare(bs, hs, DefaultOptions)
	}
}

// BenchmarkReadOnly reads the same two traces, keeping the samples.
func BenchmarkReadOnly(b *testing.B) {
	base, head := benchFiles(b)
	b.ResetTimer()
	for range b.N {
		for _, f := range []string{base, head} {
			if _, err := Read([]string{f}); err != nil {
				b.Fatal(err)
			}
		}
	}
}

func benchFiles(b *testing.B) (string, string) {
	b.Helper()
	gen := baseGen
	gen.traces = 14_000 // 7 spans a trace on average
	dir := b.TempDir()
	base, head := filepath.Join(dir, "base.jsonl"), filepath.Join(dir, "head.jsonl")
	if err := writeJSONL(base, gen.spans(rand.New(rand.NewPCG(1, 1)), 0)); err != nil {
		b.Fatal(err)
	}
	slow := gen.with("app.load", func(c *childGen) { c.median *= 1.25 })
	if err := writeJSONL(head, slow.spans(rand.New(rand.NewPCG(1, 2)), 1<<32)); err != nil {
		b.Fatal(err)
	}
	return base, head
}
