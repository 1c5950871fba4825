package autotrace

import (
	"context"
	"io"
	"testing"
	"time"
)

func BenchmarkOnDiscard(b *testing.B) {
	record(b, Config{Writer: io.Discard, FlushInterval: 100 * time.Millisecond})
	ctx := context.Background()
	b.ReportAllocs()
	for i := 0; b.Loop(); i++ {
		_ = instrumentedFunc(ctx, i)
	}
	b.StopTimer()
	reportDrops(b)
}
func BenchmarkOnNoExport(b *testing.B) {
	record(b, Config{Writer: io.Discard, FlushInterval: time.Hour, BufferSize: 1 << 24})
	ctx := context.Background()
	b.ReportAllocs()
	for i := 0; b.Loop(); i++ {
		_ = instrumentedFunc(ctx, i)
		if i&(1<<20-1) == 0 {
			b.StopTimer()
			active.Load().flush()
			b.StartTimer()
		}
	}
	b.StopTimer()
	reportDrops(b)
}

func BenchmarkOnDrop(b *testing.B) {
	record(b, Config{Writer: io.Discard, FlushInterval: time.Hour, BufferSize: 64})
	ctx := context.Background()
	b.ReportAllocs()
	for i := 0; b.Loop(); i++ {
		_ = instrumentedFunc(ctx, i)
	}
	b.StopTimer()
	reportDrops(b)
}
