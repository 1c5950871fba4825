package autotrace

import (
	"context"
	"fmt"
	"io"
	"testing"
	"time"
)

// The benchmarks measure what generated code adds to a function: the same
// non-inlined function, plain and instrumented exactly as gen writes it.

var benchSink int

//go:noinline
func plainFunc(ctx context.Context, n int) (err error) {
	benchSink += n
	return nil
}

//go:noinline
func instrumentedFunc(ctx context.Context, n int) (err error) {
	ctx, __span := Start(ctx, "bench.instrumentedFunc")
	defer __span.EndErr(&err)
	_ = ctx
	benchSink += n
	return nil
}

//go:noinline
func hereFunc(n int) (err error) {
	__span := StartHere("bench.hereFunc")
	defer __span.EndErr(&err)
	benchSink += n
	return nil
}

func BenchmarkPlain(b *testing.B) {
	ctx := context.Background()
	b.ReportAllocs()
	for i := 0; b.Loop(); i++ {
		_ = plainFunc(ctx, i)
	}
}

// BenchmarkOff is R2: an instrumented function with recording off.
func BenchmarkOff(b *testing.B) {
	clearEnv(b)
	reset(b)
	b.Cleanup(func() { reset(b) })
	ctx := context.Background()
	b.ReportAllocs()
	defer cpuPerOp(b)()
	for i := 0; b.Loop(); i++ {
		_ = instrumentedFunc(ctx, i)
	}
}

// BenchmarkOn is R1's hot path: recording on, exported to a file by the
// background goroutine, whose CPU cap (exporterDuty) drops what does not
// fit in a span storm like this one: see dropped/span. BenchmarkOnExported
// is the full cost of a written span.
func BenchmarkOn(b *testing.B) {
	record(b, Config{FlushInterval: 100 * time.Millisecond})
	ctx := context.Background()
	b.ReportAllocs()
	defer cpuPerOp(b)()
	for i := 0; b.Loop(); i++ {
		_ = instrumentedFunc(ctx, i)
	}
	b.StopTimer()
	reportDrops(b)
}

// benchExportEvery is how many spans BenchmarkOnExported ends between two
// Flush calls: far below a P's share of the default buffer
// (defaultBufferSize split among the Ps), so that nothing is dropped.
const benchExportEvery = 256

// BenchmarkOnExported is R1: recording on, every span encoded and written
// to the file on the benchmark's clock (a synchronous Flush every
// benchExportEvery spans). dropped/span must be 0.
func BenchmarkOnExported(b *testing.B) {
	record(b, Config{FlushInterval: 100 * time.Millisecond})
	ctx := context.Background()
	b.ReportAllocs()
	defer cpuPerOp(b)()
	for i := 0; b.Loop(); i++ {
		_ = instrumentedFunc(ctx, i)
		if i%benchExportEvery == benchExportEvery-1 {
			Flush()
		}
	}
	b.StopTimer()
	Flush()
	reportDrops(b)
}

// BenchmarkHereExported is H1 as BenchmarkOnExported is H2: StartHere
// and End, every span encoded and written to the trace file.
// dropped/span must be 0.
func BenchmarkHereExported(b *testing.B) {
	record(b, Config{FlushInterval: 100 * time.Millisecond})
	b.ReportAllocs()
	defer cpuPerOp(b)()
	for i := 0; b.Loop(); i++ {
		_ = hereFunc(i)
		if i%benchExportEvery == benchExportEvery-1 {
			Flush()
		}
	}
	b.StopTimer()
	Flush()
	reportDrops(b)
}

// BenchmarkOnHot is R1's hot path alone, Start and End on the ctx path
// and the push into the span buffers: every benchExportEvery spans the
// benchmark empties the buffers without encoding them, so no span is
// dropped and no exporter competes for the CPU. dropped/span must be 0.
func BenchmarkOnHot(b *testing.B) {
	record(b, Config{FlushInterval: time.Hour})
	ctx := context.Background()
	b.ReportAllocs()
	defer cpuPerOp(b)()
	for i := 0; b.Loop(); i++ {
		_ = instrumentedFunc(ctx, i)
		if i%benchExportEvery == benchExportEvery-1 {
			discardBuffered()
		}
	}
	b.StopTimer()
	reportDrops(b)
}

// BenchmarkOnHotNested is BenchmarkOnHot under a parent span.
func BenchmarkOnHotNested(b *testing.B) {
	record(b, Config{FlushInterval: time.Hour})
	ctx, root := Start(context.Background(), "root")
	b.ReportAllocs()
	defer cpuPerOp(b)()
	for i := 0; b.Loop(); i++ {
		_ = instrumentedFunc(ctx, i)
		if i%benchExportEvery == benchExportEvery-1 {
			discardBuffered()
		}
	}
	b.StopTimer()
	root.End()
	reportDrops(b)
}

// BenchmarkHereHot is BenchmarkOnHot for StartHere under a parent span.
func BenchmarkHereHot(b *testing.B) {
	record(b, Config{FlushInterval: time.Hour})
	root := StartHere("root")
	b.ReportAllocs()
	defer cpuPerOp(b)()
	for i := 0; b.Loop(); i++ {
		_ = hereFunc(i)
		if i%benchExportEvery == benchExportEvery-1 {
			discardBuffered()
		}
	}
	b.StopTimer()
	root.End()
	reportDrops(b)
}

// discardBuffered empties the span buffers as the exporter does, under
// its lock, but without encoding or writing anything.
func discardBuffered() {
	r := active.Load()
	r.mu.Lock()
	defer r.mu.Unlock()
	discard := func(*rec, *spanExtra) {}
	for i := range r.shards {
		r.shards[i].drain(discard)
	}
	if q := r.overflow.Load(); q != nil {
		q.drain(discard)
	}
	r.roots.drain(discard)
}

// BenchmarkOnNested is R1 under a parent span, as in a real call tree.
func BenchmarkOnNested(b *testing.B) {
	record(b, Config{FlushInterval: 100 * time.Millisecond})
	ctx, root := Start(context.Background(), "root")
	b.ReportAllocs()
	defer cpuPerOp(b)()
	for i := 0; b.Loop(); i++ {
		_ = instrumentedFunc(ctx, i)
	}
	b.StopTimer()
	root.End()
	reportDrops(b)
}

// BenchmarkOnDiscard is R1 with the trace encoded but not written: the
// difference to BenchmarkOn is the file system's share.
func BenchmarkOnDiscard(b *testing.B) {
	record(b, Config{Writer: io.Discard, FlushInterval: 100 * time.Millisecond})
	ctx := context.Background()
	b.ReportAllocs()
	defer cpuPerOp(b)()
	for i := 0; b.Loop(); i++ {
		_ = instrumentedFunc(ctx, i)
	}
	b.StopTimer()
	reportDrops(b)
}

// BenchmarkUnsampledRoot: every call starts a root trace that sampling
// rejects. The root still allocates the span that carries the decision.
func BenchmarkUnsampledRoot(b *testing.B) {
	record(b, Config{Sample: 1e-12})
	ctx := context.Background()
	b.ReportAllocs()
	defer cpuPerOp(b)()
	for i := 0; b.Loop(); i++ {
		_ = instrumentedFunc(ctx, i)
	}
}

// BenchmarkUnsampledChild: spans inside an unsampled trace, which should
// cost close to recording off.
func BenchmarkUnsampledChild(b *testing.B) {
	record(b, Config{Sample: 1e-12})
	ctx, root := Start(context.Background(), "root")
	defer root.End()
	b.ReportAllocs()
	defer cpuPerOp(b)()
	for i := 0; b.Loop(); i++ {
		_ = instrumentedFunc(ctx, i)
	}
}

func BenchmarkHereOff(b *testing.B) {
	clearEnv(b)
	reset(b)
	b.Cleanup(func() { reset(b) })
	b.ReportAllocs()
	defer cpuPerOp(b)()
	for i := 0; b.Loop(); i++ {
		_ = hereFunc(i)
	}
}

func BenchmarkHereOn(b *testing.B) {
	record(b, Config{FlushInterval: 100 * time.Millisecond})
	b.ReportAllocs()
	defer cpuPerOp(b)()
	for i := 0; b.Loop(); i++ {
		_ = hereFunc(i)
	}
	b.StopTimer()
	reportDrops(b)
}

// BenchmarkParallel is R3: spans/s with every P recording; compare
// -cpu 1 and -cpu 2.
func BenchmarkParallel(b *testing.B) {
	record(b, Config{FlushInterval: 100 * time.Millisecond})
	b.ReportAllocs()
	start := time.Now()
	b.RunParallel(func(pb *testing.PB) {
		ctx := context.Background()
		for i := 0; pb.Next(); i++ {
			_ = instrumentedFunc(ctx, i)
		}
	})
	b.ReportMetric(float64(b.N)/time.Since(start).Seconds(), "spans/s")
	b.StopTimer()
	reportDrops(b)
}

// reportDrops reports the fraction of spans the exporter could not keep up
// with: the benchmark loop produces spans faster than a file takes them.
func reportDrops(b *testing.B) {
	r := active.Load()
	if r == nil {
		return
	}
	pushed, dropped := r.counts()
	if pushed+dropped > 0 {
		b.ReportMetric(float64(dropped)/float64(pushed+dropped), "dropped/span")
	}
}

// The floor under H1 and H2. A recorded span needs two clock reads, and
// one started with Start also the allocation of its child context; these
// two benchmarks measure those alone, so the budgets' arithmetic can be
// checked against the machine.

var ctxSink *spanCtx

// BenchmarkFloorAlloc: one child-context allocation that escapes, as
// Start's (48 bytes).
func BenchmarkFloorAlloc(b *testing.B) {
	b.ReportAllocs()
	defer cpuPerOp(b)()
	for b.Loop() {
		ctxSink = &spanCtx{}
	}
}

// BenchmarkFloorClock: the two span clock reads, start and end.
func BenchmarkFloorClock(b *testing.B) {
	chooseClock()
	var t int64
	defer cpuPerOp(b)()
	for b.Loop() {
		t += ticks() - ticks()
	}
	benchSink += int(t & 1)
}

// cpuPerOp reports the process's CPU time per iteration (cpu-ns/op), GC
// and the exporter included. On a machine shared with other work it is
// steadier than ns/op, which also counts the time the benchmark waited for
// a CPU.
func cpuPerOp(b *testing.B) func() {
	start := cpuTime()
	return func() {
		if b.N > 0 {
			b.ReportMetric(float64(cpuTime()-start)/float64(b.N), "cpu-ns/op")
		}
	}
}

// BenchmarkHereFolded is BenchmarkHereHot with hereFunc's site folded
// (fold.go): End adds the call to its parent's aggregate instead of
// buffering a span, and one call in time reads the clock (time=1: every
// one). Compare with BenchmarkHereHot in the same run.
func BenchmarkHereFolded(b *testing.B) {
	for _, every := range []uint32{1, defaultFoldRule.time} {
		b.Run(fmt.Sprintf("time=%d", every), func(b *testing.B) {
			record(b, Config{FlushInterval: time.Hour})
			root := StartHere("root")
			hereFunc(0) // resolves its site
			setSiteFolded(siteOf("bench.hereFunc").idx)
			rule := defaultFoldRule
			rule.time = every
			startFold(rule)
			b.ReportAllocs()
			defer cpuPerOp(b)()
			for i := 0; b.Loop(); i++ {
				_ = hereFunc(i)
			}
			b.StopTimer()
			root.End()
			reportDrops(b)
		})
	}
}

// BenchmarkFoldParent is a parent span calling hereFunc five times, its
// site written in full (folded=0) or folded (folded=1): the folded
// parent's End writes one fold record. Per parent; compare the two.
func BenchmarkFoldParent(b *testing.B) {
	for _, folded := range []bool{false, true} {
		b.Run(map[bool]string{false: "folded=0", true: "folded=1"}[folded], func(b *testing.B) {
			record(b, Config{FlushInterval: time.Hour})
			root := StartHere("root")
			hereFunc(0)
			if folded {
				setSiteFolded(siteOf("bench.hereFunc").idx)
				startFold(defaultFoldRule)
			}
			defer cpuPerOp(b)()
			for i := 0; b.Loop(); i++ {
				q := StartHere("bench.parent")
				for j := range 5 {
					_ = hereFunc(j)
				}
				q.End()
				if i%(benchExportEvery/8) == benchExportEvery/8-1 {
					discardBuffered()
				}
			}
			b.StopTimer()
			root.End()
			reportDrops(b)
		})
	}
}
