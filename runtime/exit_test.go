package autotrace

import (
	"context"
	"os"
	"path/filepath"
	"testing"
	"time"
)

// TestRootSurvivesFullBuffers: a burst of child spans fills the buffers
// of a disk slower than the program, so spans are dropped; the root span
// that ends after them (main.main's, say) is still written, and the
// process record accounts for every span exactly.
func TestRootSurvivesFullBuffers(t *testing.T) {
	out := filepath.Join(t.TempDir(), "roots.trace")
	f, err := os.Create(out)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	record(t, Config{Writer: slowFile{f}, BufferSize: 256, FlushInterval: time.Hour})
	const n = 10_000
	ctx, root := Start(context.Background(), "burst.root")
	for range n {
		_, sp := Start(ctx, "burst.child")
		sp.End()
	}
	root.End()
	if err := Shutdown(context.Background()); err != nil {
		t.Fatal(err)
	}
	all, procs := readTrace(t, out)
	if len(procs) != 1 {
		t.Fatalf("%d process records", len(procs))
	}
	var spans []line
	for _, s := range all {
		if s.Name != stallName { // the recorder's stalls, not the program's spans
			spans = append(spans, s)
		}
	}
	p := procs[0]
	p.Spans -= len(all) - len(spans)
	if p.Dropped == 0 {
		t.Fatalf("nothing dropped: the burst did not fill the buffers")
	}
	if p.Spans != len(spans) || p.Spans+p.Dropped != n+1 {
		t.Errorf("process record: %d written + %d dropped, want %d in all, %d lines", p.Spans, p.Dropped, n+1, len(spans))
	}
	found := false
	for _, s := range spans {
		found = found || s.Name == "burst.root"
	}
	if !found {
		t.Errorf("the root span is not in the trace (%d spans written, %d dropped)", p.Spans, p.Dropped)
	}
}

// TestRootEndWritesInEveryProgram: outside benchmarks, the end of a root
// span writes the trace at once when nothing was written for a
// millisecond, and otherwise wakes the exporter once, so a program that
// exits soon after its work loses nothing (flushesOnRoot).
func TestRootEndWritesInEveryProgram(t *testing.T) {
	var w writeCounter
	record(t, Config{Writer: &w, FlushInterval: time.Hour})
	active.Load().flushOnRoot.Store(flushesOnRoot([]string{"/usr/local/bin/shop"}))
	_, sp := Start(context.Background(), "first")
	sp.End()
	if got := w.n.Load(); got != 1 {
		t.Fatalf("%d writes after the first root span ended, want 1", got)
	}
	_, sp = Start(context.Background(), "second")
	sp.End() // within the millisecond: the exporter writes it
	deadline := time.Now().Add(5 * time.Second)
	for w.n.Load() < 2 && time.Now().Before(deadline) {
		time.Sleep(time.Millisecond)
	}
	if got := w.n.Load(); got != 2 {
		t.Fatalf("%d writes after the second root span ended, want 2", got)
	}
}
