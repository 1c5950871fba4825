package autotrace

import (
	"bytes"
	"context"
	"errors"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"
)

func TestOneBackgroundGoroutine(t *testing.T) {
	clearEnv(t)
	reset(t)
	t.Cleanup(func() { reset(t) })
	base := runtime.NumGoroutine()
	if err := Configure(Config{Out: t.TempDir() + "/g.trace", FlushInterval: time.Millisecond}); err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	for i := 0; i < 100_000; i++ {
		c, sp := Start(ctx, "a")
		StartHere("b").End()
		_, sp2 := Start(c, "c")
		sp2.End()
		sp.End()
		if i%10_000 == 0 {
			Flush()
		}
	}
	for i := 0; i < 100; i++ {
		_ = Configure(Config{Out: t.TempDir() + "/other.trace"})
		Flush()
	}
	if n := runtime.NumGoroutine(); n > base+1 {
		t.Errorf("%d goroutines while recording, want at most %d (one background goroutine)", n, base+1)
	}
	for i := 0; i < 20; i++ {
		if err := Shutdown(ctx); err != nil {
			t.Fatal(err)
		}
		Flush()
	}
	if n := runtime.NumGoroutine(); n > base {
		t.Errorf("%d goroutines after Shutdown, want %d", n, base)
	}
}

func TestRecordingOffAllocatesNothing(t *testing.T) {
	clearEnv(t)
	reset(t)
	t.Cleanup(func() { reset(t) })
	ctx := context.Background()
	n := testing.AllocsPerRun(1000, func() {
		_ = instrumentedFunc(ctx, 1)
		_ = hereFunc(1)
	})
	if n != 0 {
		t.Errorf("recording off: %v allocations per call", n)
	}
}

func TestRecordedSpanAllocatesOnce(t *testing.T) {
	if raceEnabled {
		t.Skip("the race detector adds allocations")
	}
	record(t, Config{})
	ctx, root := Start(context.Background(), "root")
	defer root.End()
	if n := testing.AllocsPerRun(1000, func() { _ = instrumentedFunc(ctx, 1) }); n > 1 {
		t.Errorf("recorded span on the ctx path: %v allocations, want ≤ 1", n)
	}
}

// slowFile is a trace file on a disk slower than the program.
type slowFile struct{ f *os.File }

func (w slowFile) Write(p []byte) (int, error) {
	time.Sleep(30 * time.Millisecond)
	return w.f.Write(p)
}

// TestStormDropsAndCounts: when the disk is slower than the program, a
// storm of spans keeps memory bounded: past the buffer, spans are dropped
// and counted.
func TestStormDropsAndCounts(t *testing.T) {
	out := filepath.Join(t.TempDir(), "storm.trace")
	f, err := os.Create(out)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	record(t, Config{Writer: slowFile{f}, BufferSize: 256, FlushInterval: time.Hour})
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	const n = 50_000
	ctx := context.Background()
	for i := 0; i < n; i++ {
		_, sp := Start(ctx, "storm")
		sp.End()
	}
	runtime.GC()
	runtime.ReadMemStats(&after)
	if grown := int64(after.HeapAlloc) - int64(before.HeapAlloc); grown > 4<<20 {
		t.Errorf("heap grew by %d bytes during a storm of %d spans", grown, n)
	}
	if err := Shutdown(ctx); err != nil {
		t.Fatal(err)
	}
	spans, procs := readTrace(t, out)
	if len(procs) != 1 {
		t.Fatalf("%d process records", len(procs))
	}
	p := procs[0]
	if p.Dropped == 0 || p.Spans != len(spans) || p.Spans+p.Dropped != n {
		t.Errorf("process record: %d written + %d dropped, want %d in all, %d lines", p.Spans, p.Dropped, n, len(spans))
	}
}

// TestStormWrittenWhole: with a disk that keeps up, a storm of spans far
// larger than the buffer is written whole: the goroutine ending them
// drains the buffer itself when the exporter is late.
func TestStormWrittenWhole(t *testing.T) {
	out := record(t, Config{BufferSize: 256, FlushInterval: time.Hour})
	const n = 50_000
	for range n {
		_, sp := Start(context.Background(), "storm")
		sp.End()
	}
	if err := Shutdown(context.Background()); err != nil {
		t.Fatal(err)
	}
	spans, procs := readTrace(t, out)
	if len(procs) != 1 || procs[0].Dropped != 0 || procs[0].Spans != n || len(spans) != n {
		t.Errorf("%d spans in the file, process records %+v; want %d spans, none dropped", len(spans), procs, n)
	}
}

func TestPendingSpansListed(t *testing.T) {
	out := record(t, Config{})
	started := make(chan struct{})
	release := make(chan struct{})
	var wg sync.WaitGroup
	wg.Add(1)
	go func() { // a worker still busy at Shutdown
		defer wg.Done()
		sp := StartHere("worker.loop")
		_, inner := Start(context.Background(), "worker.step")
		close(started)
		<-release
		inner.End()
		sp.End()
	}()
	<-started
	_, leaked := Start(context.Background(), "leaked") // never ended
	_ = leaked
	StartHere("done").End()
	if err := Shutdown(context.Background()); err != nil {
		t.Fatal(err)
	}
	close(release)
	wg.Wait()
	_, procs := readTrace(t, out)
	p := procs[0]
	slices.Sort(p.Pending)
	if p.PendingCount != 3 || !slices.Equal(p.Pending, []string{"leaked", "worker.loop", "worker.step"}) {
		t.Errorf("pending %d %v, want 3 [leaked worker.loop worker.step]", p.PendingCount, p.Pending)
	}
	if p.Spans != 1 {
		t.Errorf("spans %d, want 1", p.Spans)
	}
	// End the leaked span so the goroutine-local table is clean again.
	leaked.End()
}

// failingWriter fails every write.
type failingWriter struct{ calls int }

func (w *failingWriter) Write(p []byte) (int, error) {
	w.calls++
	return 0, errors.New("disk full")
}

func TestWriteErrorsReportedOnce(t *testing.T) {
	var warnings bytes.Buffer
	warnOut = &warnings
	t.Cleanup(func() { warnOut = os.Stderr })
	w := &failingWriter{}
	record(t, Config{Writer: w})
	for i := 0; i < 3; i++ {
		StartHere("s").End()
		Flush()
	}
	if err := Shutdown(context.Background()); err == nil || !strings.Contains(err.Error(), "disk full") {
		t.Errorf("Shutdown: %v, want the write error", err)
	}
	if w.calls < 3 {
		t.Errorf("%d writes, want one per flush and the process record", w.calls)
	}
	if n := strings.Count(warnings.String(), "disk full"); n != 1 {
		t.Errorf("write error reported %d times on stderr, want once:\n%s", n, warnings.String())
	}
}

func TestEndMainFlushesEvenWhenNil(t *testing.T) {
	out := record(t, Config{FlushInterval: time.Hour})
	StartHere("work").End()
	var mainSpan Span // main.main's span when recording was off at its start
	mainSpan.EndMain()
	spans, procs := readTrace(t, out)
	if len(spans) != 1 || len(procs) != 1 {
		t.Errorf("after EndMain: %d spans and %d process records, want 1 and 1", len(spans), len(procs))
	}
}
