package autootel

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"sync"
	"syscall"
	"testing"
	"time"

	autotrace "github.com/autotrace/autotrace/runtime"
	"go.opentelemetry.io/otel/exporters/otlp/otlptrace/otlptracehttp"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"
	"go.opentelemetry.io/otel/sdk/trace/tracetest"
)

// switchExporter lets benchmarks swap the test process's exporter.
type switchExporter struct {
	mu sync.Mutex
	to sdktrace.SpanExporter
}

func (s *switchExporter) set(e sdktrace.SpanExporter) sdktrace.SpanExporter {
	s.mu.Lock()
	defer s.mu.Unlock()
	old := s.to
	s.to = e
	return old
}

func (s *switchExporter) ExportSpans(ctx context.Context, spans []sdktrace.ReadOnlySpan) error {
	s.mu.Lock()
	to := s.to
	s.mu.Unlock()
	return to.ExportSpans(ctx, spans)
}

func (s *switchExporter) Shutdown(ctx context.Context) error { return nil }

// exportTo sends the bridge's spans to e for the rest of the benchmark.
func exportTo(b *testing.B, e sdktrace.SpanExporter) {
	_ = bridge.ForceFlush(context.Background())
	old := sw.set(e)
	b.Cleanup(func() {
		_ = bridge.ForceFlush(context.Background())
		sw.set(old)
		mem.Reset()
	})
}

//go:noinline
func instrumented(ctx context.Context, n int) (err error) {
	ctx, span := autotrace.Start(ctx, "bench.instrumented")
	defer span.EndErr(&err)
	_ = ctx
	benchSink += n
	return nil
}

var benchSink int

// cpuTime is the process's user+system CPU time.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	_ = syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// spanLoop runs R1's loop (Start+End on the ctx path) with the bridge on,
// flushes everything through the exporter inside the timed region, and
// reports the process CPU per span, which includes the runtime's and the
// bridge's background work.
func spanLoop(b *testing.B) {
	ctx := context.Background()
	b.ReportAllocs()
	cpu0 := cpuTime()
	n := 0
	for i := 0; b.Loop(); i++ {
		_ = instrumented(ctx, i)
		n++
	}
	if err := bridge.ForceFlush(context.Background()); err != nil {
		b.Fatal(err)
	}
	b.ReportMetric(float64(cpuTime()-cpu0)/float64(n), "cpu-ns/span")
}

// BenchmarkBridgeDiscard: R1 with the bridge converting every span and
// queueing it in the batch span processor; the exporter discards.
func BenchmarkBridgeDiscard(b *testing.B) {
	exportTo(b, tracetest.NewNoopExporter())
	spanLoop(b)
}

// BenchmarkBridgeOTLP: R1 with the bridge exporting every span with
// OTLP/HTTP protobuf to a loopback server that reads and drops the body.
func BenchmarkBridgeOTLP(b *testing.B) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, _ = io.Copy(io.Discard, r.Body)
	}))
	defer srv.Close()
	e, err := otlptracehttp.New(context.Background(), otlptracehttp.WithEndpointURL(srv.URL+"/v1/traces"))
	if err != nil {
		b.Fatal(err)
	}
	exportTo(b, e)
	spanLoop(b)
}

// BenchmarkSinkConvert is the bridge's own work per span, on the runtime's
// background goroutine: converting a record and queueing it.
func BenchmarkSinkConvert(b *testing.B) {
	exportTo(b, tracetest.NewNoopExporter())
	recs := make([]autotrace.SpanRecord, 512)
	for i := range recs {
		recs[i] = autotrace.SpanRecord{TraceID: [16]byte{1}, SpanID: [8]byte{byte(i), 1}, ParentID: [8]byte{2},
			Name: "bench.f", Function: "example.com/bench.f", File: "f.go", Line: 10, Start: 1, End: 2}
	}
	s := (*sink)(bridge)
	b.ReportAllocs()
	n := 0
	cpu0 := cpuTime()
	for b.Loop() {
		s.ExportSpans(recs)
		n += len(recs)
	}
	_ = bridge.ForceFlush(context.Background())
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(n), "ns/span")
	b.ReportMetric(float64(cpuTime()-cpu0)/float64(n), "cpu-ns/span")
}

// BenchmarkOTLPExport is the exporter's work per span after the bridge:
// OTLP/HTTP protobuf encoding and a loopback POST of 512-span batches to a
// server that reads and drops them (its CPU included).
func BenchmarkOTLPExport(b *testing.B) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, _ = io.Copy(io.Discard, r.Body)
	}))
	defer srv.Close()
	e, err := otlptracehttp.New(context.Background(), otlptracehttp.WithEndpointURL(srv.URL+"/v1/traces"))
	if err != nil {
		b.Fatal(err)
	}
	defer e.Shutdown(context.Background())
	spans := make([]sdktrace.ReadOnlySpan, 512)
	for i := range spans {
		spans[i] = convert(&autotrace.SpanRecord{TraceID: [16]byte{1}, SpanID: [8]byte{byte(i), 1}, ParentID: [8]byte{2},
			Name: "bench.f", Function: "example.com/bench.f", File: "f.go", Line: 10, Start: 1, End: 2}, bridge.res)
	}
	b.ReportAllocs()
	n := 0
	cpu0 := cpuTime()
	for b.Loop() {
		if err := e.ExportSpans(context.Background(), spans); err != nil {
			b.Fatal(err)
		}
		n += len(spans)
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(n), "ns/span")
	b.ReportMetric(float64(cpuTime()-cpu0)/float64(n), "cpu-ns/span")
}
