package bench

import (
	"bytes"
	"context"
	"errors"
	"os"
	"path/filepath"
	"sync"
	"syscall"
	"testing"
	"time"

	autotrace "github.com/autotrace/autotrace/runtime"
	"go.opentelemetry.io/otel/codes"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"
	"go.opentelemetry.io/otel/trace"
	"go.opentelemetry.io/otel/trace/noop"
)

// Every benchmark calls the same non-inlined function shape: the plain
// body, or the body wrapped as autotrace gen writes it, or wrapped the same
// way with an OpenTelemetry tracer. The cost of a span is the difference
// to BenchmarkPlain. Recording is off until BenchmarkAutotraceOn
// configures it (configuration is once per process), so the benchmarks
// must run in the order of this file.

var sink int

var errRare = errors.New("rare")

//go:noinline
func plain(ctx context.Context, n int) (err error) {
	sink += n
	if n < 0 {
		return errRare
	}
	return nil
}

//go:noinline
func withAutotrace(ctx context.Context, n int) (err error) {
	ctx, __span := autotrace.Start(ctx, "bench.withAutotrace")
	defer __span.EndErr(&err)
	_ = ctx
	sink += n
	if n < 0 {
		return errRare
	}
	return nil
}

//go:noinline
func withAutotraceHere(n int) (err error) {
	__span := autotrace.StartHere("bench.withAutotraceHere")
	defer __span.EndErr(&err)
	sink += n
	if n < 0 {
		return errRare
	}
	return nil
}

//go:noinline
func withOTel(ctx context.Context, tr trace.Tracer, n int) (err error) {
	ctx, span := tr.Start(ctx, "bench.withOTel")
	defer func() {
		if err != nil {
			span.RecordError(err)
			span.SetStatus(codes.Error, err.Error())
		}
		span.End()
	}()
	_ = ctx
	sink += n
	if n < 0 {
		return errRare
	}
	return nil
}

// discard is an OpenTelemetry exporter that drops everything.
type discard struct{}

func (discard) ExportSpans(context.Context, []sdktrace.ReadOnlySpan) error { return nil }
func (discard) Shutdown(context.Context) error                             { return nil }

var sdkTracer = sync.OnceValue(func() trace.Tracer {
	tp := sdktrace.NewTracerProvider(
		sdktrace.WithSampler(sdktrace.AlwaysSample()),
		sdktrace.WithBatcher(discard{}),
	)
	return tp.Tracer("bench")
})

var traceDir string

var recording = sync.OnceValue(func() error {
	dir, err := os.MkdirTemp("", "autotrace-bench")
	if err != nil {
		return err
	}
	traceDir = dir
	return autotrace.Configure(autotrace.Config{Out: filepath.Join(dir, "trace.jsonl")})
})

// TestMain shuts recording down after the benchmarks and prints the
// process record, which says how many spans were written and how many the
// exporter's CPU cap made it drop during the storm.
func TestMain(m *testing.M) {
	code := m.Run()
	autotrace.Shutdown(context.Background())
	if traceDir != "" {
		if b, err := os.ReadFile(filepath.Join(traceDir, "trace.jsonl")); err == nil {
			if i := bytes.LastIndex(b, []byte(`{"process":`)); i >= 0 {
				os.Stdout.Write(b[i:])
			}
		}
		os.RemoveAll(traceDir)
	}
	os.Exit(code)
}

func BenchmarkPlain(b *testing.B) {
	ctx := context.Background()
	b.ReportAllocs()
	defer cpuPerOp(b)()
	for i := 0; b.Loop(); i++ {
		_ = plain(ctx, i)
	}
}

// BenchmarkAutotraceOff: R2, recording off (nothing configured yet).
func BenchmarkAutotraceOff(b *testing.B) {
	ctx := context.Background()
	b.ReportAllocs()
	defer cpuPerOp(b)()
	for i := 0; b.Loop(); i++ {
		_ = withAutotrace(ctx, i)
	}
}

// BenchmarkOTelNoop: R2's reference, OpenTelemetry's no-op tracer.
func BenchmarkOTelNoop(b *testing.B) {
	tr := noop.NewTracerProvider().Tracer("bench")
	ctx := context.Background()
	b.ReportAllocs()
	defer cpuPerOp(b)()
	for i := 0; b.Loop(); i++ {
		_ = withOTel(ctx, tr, i)
	}
}

// BenchmarkOTelSDK: R1's reference, AlwaysSample and a BatchSpanProcessor
// exporting to a discard exporter.
func BenchmarkOTelSDK(b *testing.B) {
	tr := sdkTracer()
	ctx := context.Background()
	b.ReportAllocs()
	defer cpuPerOp(b)()
	for i := 0; b.Loop(); i++ {
		_ = withOTel(ctx, tr, i)
	}
}

// BenchmarkAutotraceOn: R1, recording on, exported to a JSON Lines file.
func BenchmarkAutotraceOn(b *testing.B) {
	if err := recording(); err != nil {
		b.Fatal(err)
	}
	ctx := context.Background()
	b.ReportAllocs()
	defer cpuPerOp(b)()
	for i := 0; b.Loop(); i++ {
		_ = withAutotrace(ctx, i)
	}
}

// BenchmarkOTelSDKChild and BenchmarkAutotraceChild: R1's shape for a
// span under an open parent, as most spans of a trace are (no new trace
// id; for autotrace, the goroutine already has its table slot).
func BenchmarkOTelSDKChild(b *testing.B) {
	tr := sdkTracer()
	ctx, parent := tr.Start(context.Background(), "bench.parent")
	defer parent.End()
	b.ReportAllocs()
	defer cpuPerOp(b)()
	for i := 0; b.Loop(); i++ {
		_ = withOTel(ctx, tr, i)
	}
}

func BenchmarkAutotraceChild(b *testing.B) {
	if err := recording(); err != nil {
		b.Fatal(err)
	}
	ctx, parent := autotrace.Start(context.Background(), "bench.parent")
	defer parent.End()
	b.ReportAllocs()
	defer cpuPerOp(b)()
	for i := 0; b.Loop(); i++ {
		_ = withAutotrace(ctx, i)
	}
}

// BenchmarkAutotraceHere: the context-less path, recording on.
func BenchmarkAutotraceHere(b *testing.B) {
	if err := recording(); err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	defer cpuPerOp(b)()
	for i := 0; b.Loop(); i++ {
		_ = withAutotraceHere(i)
	}
}

// BenchmarkOTelSDKParallel and BenchmarkAutotraceParallel: R3, spans/s
// with every P recording (compare -cpu 1 and -cpu 2).
func BenchmarkOTelSDKParallel(b *testing.B) {
	tr := sdkTracer()
	parallel(b, func(ctx context.Context, i int) { _ = withOTel(ctx, tr, i) })
}

func BenchmarkAutotraceParallel(b *testing.B) {
	if err := recording(); err != nil {
		b.Fatal(err)
	}
	parallel(b, func(ctx context.Context, i int) { _ = withAutotrace(ctx, i) })
}

func parallel(b *testing.B, f func(context.Context, int)) {
	b.ReportAllocs()
	defer cpuPerOp(b)()
	start := time.Now()
	b.RunParallel(func(pb *testing.PB) {
		ctx := context.Background()
		for i := 0; pb.Next(); i++ {
			f(ctx, i)
		}
	})
	b.ReportMetric(float64(b.N)/time.Since(start).Seconds(), "spans/s")
}

// cpuPerOp reports the process's CPU time (user and system, every
// goroutine: exporters and GC included) per operation, when the returned
// function is called. Unlike ns/op it does not grow when other processes
// take the machine's cores, so on a shared machine it shows whether the
// span path itself stays as cheap with 2 Ps as with 1.
func cpuPerOp(b *testing.B) func() {
	start := cpuTime()
	return func() {
		if b.N > 0 {
			b.ReportMetric(float64(cpuTime()-start)/float64(b.N), "cpu-ns/op")
		}
	}
}

func cpuTime() int64 {
	var ru syscall.Rusage
	if syscall.Getrusage(syscall.RUSAGE_SELF, &ru) != nil {
		return 0
	}
	return ru.Utime.Nano() + ru.Stime.Nano()
}
