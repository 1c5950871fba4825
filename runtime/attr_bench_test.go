package autotrace

import (
	"context"
	"testing"
	"time"
)

// attrsFunc is instrumentedFunc with three numeric attributes, recorded
// as gen writes attrs=n,len(items),total.
//
//go:noinline
func attrsFunc(ctx context.Context, n int, items []int, total float64) (err error) {
	ctx, __span := Start(ctx, "bench.attrsFunc")
	defer __span.EndErr(&err)
	if __span.Recording() {
		__span.SetInt("n", int64(n))
		__span.SetInt("len(items)", int64(len(items)))
		__span.SetFloat("total", total)
	}
	_ = ctx
	benchSink += n
	return nil
}

// resultFunc records a named result at return, as gen writes attrs=count.
//
//go:noinline
func resultFunc(ctx context.Context, n int) (count int, err error) {
	ctx, __span := Start(ctx, "bench.resultFunc")
	defer __span.EndErr(&err)
	defer RecordInt(__span, "count", &count)
	_ = ctx
	benchSink += n
	return n, nil
}

var benchItems = []int{1, 2, 3}

// BenchmarkAttrsOff: three attributes with recording off; compare with
// BenchmarkOff. Must be 0 allocs.
func BenchmarkAttrsOff(b *testing.B) {
	clearEnv(b)
	reset(b)
	b.Cleanup(func() { reset(b) })
	ctx := context.Background()
	b.ReportAllocs()
	for i := 0; b.Loop(); i++ {
		_ = attrsFunc(ctx, i, benchItems, 9.5)
	}
}

// BenchmarkResultOff: a named result recorded at return, recording off.
func BenchmarkResultOff(b *testing.B) {
	clearEnv(b)
	reset(b)
	b.Cleanup(func() { reset(b) })
	ctx := context.Background()
	b.ReportAllocs()
	for i := 0; b.Loop(); i++ {
		_, _ = resultFunc(ctx, i)
	}
}

// BenchmarkAttrsOnExported: three attributes on a span written to the
// file as BenchmarkOnExported writes its spans; compare with it.
func BenchmarkAttrsOnExported(b *testing.B) {
	record(b, Config{FlushInterval: 100 * time.Millisecond})
	ctx := context.Background()
	b.ReportAllocs()
	for i := 0; b.Loop(); i++ {
		_ = attrsFunc(ctx, i, benchItems, 9.5)
		if i%benchExportEvery == benchExportEvery-1 {
			Flush()
		}
	}
	b.StopTimer()
	Flush()
	reportDrops(b)
}
