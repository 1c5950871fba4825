package report

import (
	"encoding/json"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/autotrace/autotrace/report/internal/gentrace"
)

// benchLine is a typical span line, as the runtime writes it.
var benchLine = []byte(`{"trace_id":"0af7651916cd43dd8448eb211c80319c","span_id":"b7ad6b7169203331","parent_id":"00f067aa0ba902b7","name":"shop.(*Cart).Add","start_ns":1700000000000000000,"dur_ns":1234567,"pid":4312,"status":"ok","attrs":{"code.function.name":"example.com/shop.(*Cart).Add","code.file.path":"shop/cart.go","code.line.number":31}}`)

// BenchmarkParseLine compares the hand-written parser with encoding/json.
func BenchmarkParseLine(b *testing.B) {
	b.Run("hand", func(b *testing.B) {
		p := newParser()
		var r record
		b.SetBytes(int64(len(benchLine)))
		b.ReportAllocs()
		for b.Loop() {
			if _, err := p.parse(benchLine, &r); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("encoding-json", func(b *testing.B) {
		type jspan struct {
			TraceID  string         `json:"trace_id"`
			SpanID   string         `json:"span_id"`
			ParentID string         `json:"parent_id"`
			Name     string         `json:"name"`
			StartNs  int64          `json:"start_ns"`
			DurNs    int64          `json:"dur_ns"`
			Pid      int            `json:"pid"`
			Status   string         `json:"status"`
			Error    string         `json:"error"`
			Attrs    map[string]any `json:"attrs"`
		}
		b.SetBytes(int64(len(benchLine)))
		b.ReportAllocs()
		for b.Loop() {
			var s jspan
			if err := json.Unmarshal(benchLine, &s); err != nil {
				b.Fatal(err)
			}
		}
	})
}

var (
	bigOnce sync.Once
	bigPath string
	bigDir  string
)

// bigTrace writes a 1M-span trace file once per test binary run.
func bigTrace(b *testing.B) string {
	bigOnce.Do(func() {
		dir, err := os.MkdirTemp("", "autotrace-bench-*")
		if err != nil {
			b.Fatal(err)
		}
		bigDir = dir
		bigPath = filepath.Join(dir, "1m.jsonl")
		f, err := os.Create(bigPath)
		if err != nil {
			b.Fatal(err)
		}
		if _, err := gentrace.Write(f, gentrace.Options{Spans: 1_000_000, Seed: 1}); err != nil {
			b.Fatal(err)
		}
		if err := f.Close(); err != nil {
			b.Fatal(err)
		}
	})
	return bigPath
}

// peakHeap samples the heap in use while fn runs and returns its peak.
func peakHeap(fn func()) uint64 {
	runtime.GC()
	var peak atomic.Uint64
	done := make(chan struct{})
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		var ms runtime.MemStats
		t := time.NewTicker(20 * time.Millisecond)
		defer t.Stop()
		for {
			runtime.ReadMemStats(&ms)
			if ms.HeapInuse > peak.Load() {
				peak.Store(ms.HeapInuse)
			}
			select {
			case <-done:
				return
			case <-t.C:
			}
		}
	}()
	fn()
	close(done)
	wg.Wait()
	return peak.Load()
}

// BenchmarkReport1M runs the report on a generated 1M-span file (about 330
// MB) and reports the peak heap in use besides time and throughput:
//
//	go test ./report -run '^$' -bench Report1M -benchtime 1x
func BenchmarkReport1M(b *testing.B) {
	path := bigTrace(b)
	fi, err := os.Stat(path)
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() {})
	for _, format := range Formats {
		b.Run(format, func(b *testing.B) {
			b.SetBytes(fi.Size())
			var peak uint64
			for b.Loop() {
				p := peakHeap(func() {
					if code := Command([]string{"-format", format, path}, io.Discard, io.Discard); code != 0 {
						b.Fatalf("exit %d", code)
					}
				})
				peak = max(peak, p)
			}
			b.ReportMetric(float64(peak)/(1<<20), "peak-heap-MB")
			b.ReportMetric(float64(b.Elapsed().Seconds())/float64(b.N), "s/report")
		})
	}
}

func TestMain(m *testing.M) {
	code := m.Run()
	if bigDir != "" {
		os.RemoveAll(bigDir)
	}
	os.Exit(code)
}
