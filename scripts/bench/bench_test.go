package bench

import (
	"context"
	"errors"
	"io"
	"os"
	"path/filepath"
	"sync"
	"syscall"
	"testing"
	"time"
	"unsafe"

	autotrace "github.com/autotrace/autotrace/runtime"
	"github.com/autotrace/autotrace/tracefile"
	"go.opentelemetry.io/otel/codes"
	"go.opentelemetry.io/otel/exporters/stdout/stdouttrace"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"
	"go.opentelemetry.io/otel/trace"
	"go.opentelemetry.io/otel/trace/noop"
)

// Every benchmark calls the same non-inlined function shape: the plain
// body, or the body wrapped as autotrace gen writes it, or wrapped the same
// way with an OpenTelemetry tracer. The cost of a span is the difference
// to BenchmarkPlain. Recording is off until the first recording benchmark
// configures it (configuration is once per process), so the benchmarks
// must run in the order of this file.
//
// Two kinds of recording benchmark:
//   - BenchmarkAutotraceExported (R1): every span is encoded and written,
//     on the benchmark's own clock (a synchronous Flush every exportEvery
//     spans). scripts/bench.sh runs it in a go test invocation of its own,
//     whose process record must say dropped 0.
//   - the storm benchmarks (AutotraceOn, Child, Here, Parallel): spans as
//     fast as the loop makes them, exported by the background goroutine,
//     whose CPU cap (runtime/recorder.go, exporterDuty) drops what does not
//     fit. They measure the hot path; their dropped/span says how much of
//     the export they did not pay for.
// Every recording benchmark counts the lines its spans added to the trace
// file and reports dropped/span = 1 - written/spans.

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

var sdkProvider = sync.OnceValue(func() *sdktrace.TracerProvider {
	return sdktrace.NewTracerProvider(
		sdktrace.WithSampler(sdktrace.AlwaysSample()),
		sdktrace.WithBatcher(discard{}),
	)
})

func sdkTracer() trace.Tracer { return sdkProvider().Tracer("bench") }

// fileProvider is OpenTelemetry writing its spans to a file on disk with
// its stdout exporter (one JSON object a span), as a user without a
// collector would: R1's second anchor, so that both sides write.
var fileProvider = sync.OnceValues(func() (*sdktrace.TracerProvider, error) {
	dir, err := os.MkdirTemp("", "autotrace-bench-otel")
	if err != nil {
		return nil, err
	}
	otelDir = dir
	f, err := os.Create(filepath.Join(dir, "otel.json"))
	if err != nil {
		return nil, err
	}
	exp, err := stdouttrace.New(stdouttrace.WithWriter(f))
	if err != nil {
		return nil, err
	}
	return sdktrace.NewTracerProvider(
		sdktrace.WithSampler(sdktrace.AlwaysSample()),
		sdktrace.WithBatcher(exp),
	), nil
})

var otelDir string

var traceDir string

var recording = sync.OnceValue(func() error {
	dir, err := os.MkdirTemp("", "autotrace-bench")
	if err != nil {
		return err
	}
	traceDir = dir
	return autotrace.Configure(autotrace.Config{Out: filepath.Join(dir, "trace.bin")})
})

// TestMain shuts recording down after the benchmarks and prints the
// process record, which says how many spans were written and how many the
// exporter's CPU cap made it drop during the storm.
func TestMain(m *testing.M) {
	code := m.Run()
	autotrace.Shutdown(context.Background())
	if traceDir != "" {
		if f, err := os.Open(filepath.Join(traceDir, "trace.bin")); err == nil {
			rd := tracefile.NewReader(f)
			var last *tracefile.Process
			for {
				_, p, err := rd.Next()
				if err != nil {
					break
				}
				if p != nil {
					last = p
				}
			}
			if last != nil {
				os.Stdout.Write(tracefile.AppendProcessJSON(nil, last))
			}
			f.Close()
		}
		os.RemoveAll(traceDir)
	}
	if otelDir != "" {
		os.RemoveAll(otelDir)
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

// BenchmarkOTelSDKFlushed: R1's reference as DESIGN §7 states it, the
// SDK with the discard exporter flushed alike (ForceFlush every
// exportEvery spans, as BenchmarkAutotraceExported flushes).
func BenchmarkOTelSDKFlushed(b *testing.B) {
	otelFlushed(b, sdkProvider())
}

// BenchmarkOTelSDKFile: R1's second reference, the SDK writing every span
// to a file with its stdout exporter, flushed every exportEvery spans; it
// reports the file's bytes a span.
func BenchmarkOTelSDKFile(b *testing.B) {
	tp, err := fileProvider()
	if err != nil {
		b.Fatal(err)
	}
	path := filepath.Join(otelDir, "otel.json")
	before := fileSize(b, path)
	otelFlushed(b, tp)
	if b.N > 0 {
		b.ReportMetric(float64(fileSize(b, path)-before)/float64(b.N), "file-B/span")
	}
}

func otelFlushed(b *testing.B, tp *sdktrace.TracerProvider) {
	tr, ctx := tp.Tracer("bench"), context.Background()
	b.ReportAllocs()
	defer cpuPerOp(b)()
	for i := 0; b.Loop(); i++ {
		_ = withOTel(ctx, tr, i)
		if i%exportEvery == exportEvery-1 {
			if err := tp.ForceFlush(ctx); err != nil {
				b.Fatal(err)
			}
		}
	}
	b.StopTimer()
	if err := tp.ForceFlush(ctx); err != nil {
		b.Fatal(err)
	}
}

func fileSize(b *testing.B, path string) int64 {
	fi, err := os.Stat(path)
	if err != nil {
		b.Fatal(err)
	}
	return fi.Size()
}

// BenchmarkAutotraceOn: R1's hot path, recording on, in a span storm: the
// background exporter writes to the trace file what its CPU cap lets it;
// when a buffer is full the benchmark's goroutine drains it (see
// dropped/span).
func BenchmarkAutotraceOn(b *testing.B) {
	defer countExported(b)()
	ctx := context.Background()
	b.ReportAllocs()
	defer cpuPerOp(b)()
	for i := 0; b.Loop(); i++ {
		_ = withAutotrace(ctx, i)
	}
}

// exportEvery is how many spans BenchmarkAutotraceExported ends between
// two Flush calls: far below a P's share of the default buffer
// (runtime/config.go: 1<<14 spans, split among the Ps that recording was
// configured with; here 1 P, or 2 when run with -cpu 2 only: 8192 each),
// so no span is ever dropped.
const exportEvery = 256

// BenchmarkAutotraceExported: R1, a recorded span, Start+End on the ctx
// path, encoded and written to the trace file: every exportEvery spans the
// benchmark's goroutine calls autotrace.Flush, which drains the buffers
// and writes them (one write(2)) before it returns. The export is on the
// benchmark's clock, and dropped/span must be 0.
func BenchmarkAutotraceExported(b *testing.B) {
	defer countExported(b)()
	ctx := context.Background()
	b.ReportAllocs()
	defer cpuPerOp(b)()
	for i := 0; b.Loop(); i++ {
		_ = withAutotrace(ctx, i)
		if i%exportEvery == exportEvery-1 {
			autotrace.Flush()
		}
	}
}

// countExported turns recording on, flushes what earlier benchmarks left
// and notes the trace file's size; the function it returns (deferred
// before cpuPerOp's, so that its work is not counted) flushes again and
// reports dropped/span: the share of the b.N spans of this benchmark that
// never reached the file.
func countExported(b *testing.B) func() {
	if err := recording(); err != nil {
		b.Fatal(err)
	}
	autotrace.Flush()
	path := filepath.Join(traceDir, "trace.bin")
	b.StopTimer() // counting reads the whole file: not the benchmark's work
	before, size := countSpans(b, path), fileSize(b, path)
	b.StartTimer()
	return func() {
		autotrace.Flush()
		b.StopTimer()
		written := countSpans(b, path) - before
		if b.N > 0 {
			b.ReportMetric(1-float64(written)/float64(b.N), "dropped/span")
		}
		if written > 0 {
			b.ReportMetric(float64(fileSize(b, path)-size)/float64(written), "file-B/span")
		}
	}
}

// countSpans counts the spans of the trace file at path. (The whole file:
// a chunk's spans name their sites by numbers defined in earlier chunks.)
func countSpans(b *testing.B, path string) int {
	f, err := os.Open(path)
	if err != nil {
		b.Fatal(err)
	}
	defer f.Close()
	rd := tracefile.NewReader(f)
	n := 0
	for {
		sp, _, err := rd.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			b.Fatal(err)
		}
		if sp != nil {
			n++
		}
	}
	if rd.Torn > 0 || rd.Unreadable > 0 {
		b.Fatalf("%s: %d torn chunks, %d unreadable records", path, rd.Torn, rd.Unreadable)
	}
	return n
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
	counted := countExported(b)
	ctx, parent := autotrace.Start(context.Background(), "bench.parent")
	b.ReportAllocs()
	reportCPU := cpuPerOp(b)
	for i := 0; b.Loop(); i++ {
		_ = withAutotrace(ctx, i)
	}
	reportCPU()
	counted() // the children only: the parent is still open
	parent.End()
}

// BenchmarkAutotraceHere: the context-less path's hot path, recording on
// (a storm, as BenchmarkAutotraceOn).
func BenchmarkAutotraceHere(b *testing.B) {
	defer countExported(b)()
	b.ReportAllocs()
	defer cpuPerOp(b)()
	for i := 0; b.Loop(); i++ {
		_ = withAutotraceHere(i)
	}
}

// BenchmarkOTelSDKParallel and BenchmarkAutotraceParallel: R3, spans/s
// with every P recording (compare -cpu 1 and -cpu 2); a storm, as
// BenchmarkAutotraceOn.
func BenchmarkOTelSDKParallel(b *testing.B) {
	tr := sdkTracer()
	parallel(b, func(ctx context.Context, i int) { _ = withOTel(ctx, tr, i) })
}

func BenchmarkAutotraceParallel(b *testing.B) {
	defer countExported(b)()
	parallel(b, func(ctx context.Context, i int) { _ = withAutotrace(ctx, i) })
}

// allocObj has the size (112 bytes, a malloc size class) and about the
// pointer layout of autotrace's Span.
type allocObj struct {
	ctx           context.Context
	prev          *allocObj
	site          *int
	trace         [16]byte
	id, parentID  uint64
	start         int64
	extra         *int
	exec          *allocObj
	state         string
	slot          int16
	flags, status uint8
	ended         uint32 // atomic.Bool in Span
}

var _ [112 - unsafe.Sizeof(allocObj{})]byte
var _ [unsafe.Sizeof(allocObj{}) - 112]byte

//go:noinline
func newAllocObj(ctx context.Context, prev *allocObj, n int) *allocObj {
	return &allocObj{ctx: ctx, prev: prev, id: uint64(n)}
}

// BenchmarkGoAllocParallel: R3's platform anchor, Go's allocator and
// garbage collector alone: every P allocates Span-sized objects with
// pointers (each kept until the next is made), and nothing else. Its
// spans/s at -cpu 2 over -cpu 1 bounds what any tracer that allocates a
// span can reach on this machine.
func BenchmarkGoAllocParallel(b *testing.B) {
	b.ReportAllocs()
	defer cpuPerOp(b)()
	start := time.Now()
	b.RunParallel(func(pb *testing.PB) {
		ctx := context.Background()
		var last *allocObj
		for i := 0; pb.Next(); i++ {
			last = newAllocObj(ctx, nil, i)
		}
		if last != nil && last.id == 1<<62 {
			b.Error("impossible")
		}
	})
	b.ReportMetric(float64(b.N)/time.Since(start).Seconds(), "spans/s")
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
