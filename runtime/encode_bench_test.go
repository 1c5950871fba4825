package autotrace

import (
	"fmt"
	"strconv"
	"testing"
)

// BenchmarkAppendSpan is the exporter's encoding of one ordinary span line
// (no error, no attributes beyond the site's): its share of the background
// goroutine's work per span.
func BenchmarkAppendSpan(b *testing.B) {
	s := &tspan{site: siteOf("bench.appendSpan"), trace: traceID{0x0af7651916cd43dd, 0x8448eb211c80319c},
		id: 0xb7ad6b7169203331, parentID: 0x00f067aa0ba902b7, start: 1 << 40, flags: flagSampled}
	var r rec
	recOfT(&r, s, s.start+1234)
	c := newClockConv()
	buf := make([]byte, 0, 1<<16)
	b.ReportAllocs()
	for b.Loop() {
		buf = appendSpan(buf[:0], &r, nil, &c)
	}
	b.SetBytes(int64(len(buf)))
}

// TestAppendHex64 checks the word-at-a-time hex digits against strconv.
func TestAppendHex64(t *testing.T) {
	vals := []uint64{0, 1, 9, 10, 15, 16, 0xff, 0x0af7651916cd43dd, 0x8448eb211c80319c, 0xa9b8c7d6e5f40312, 1<<64 - 1, 1 << 63}
	for i := uint64(0); i < 1000; i++ {
		vals = append(vals, i*0x9e3779b97f4a7c15)
	}
	for _, v := range vals {
		want := fmt.Sprintf("%016x", v)
		if got := string(appendHex64([]byte("x"), v)); got != "x"+want {
			t.Errorf("appendHex64(%#x) = %q, want x%s", v, got, want)
		}
	}
}

// TestAppendUnixNs checks the cached-seconds decimal encoding against
// strconv, across second boundaries and outside its fast range.
func TestAppendUnixNs(t *testing.T) {
	var c clockConv
	vals := []int64{0, 1, -1, 999_999_999_999_999_999, 1e18, 1e18 + 1, 1<<63 - 1, 1795411579437232868,
		1795411579000000000, 1795411579999999999, 1795411580000000000, 1795411580000000009, 1795411579437232868}
	for i := int64(0); i < 3000; i++ {
		vals = append(vals, 1795411579437232868+i*7_919_191, 1_000_000_000_000_000_000+i*1_000_000_007)
	}
	for _, v := range vals {
		want := strconv.AppendInt([]byte("x"), v, 10)
		if got := c.appendUnixNs([]byte("x"), v); string(got) != string(want) {
			t.Errorf("appendUnixNs(%d) = %s, want %s", v, got, want)
		}
	}
}

// BenchmarkAppendSpanBinary is BenchmarkAppendSpan in the binary format:
// spans of one trace whose parents change every other span.
func BenchmarkAppendSpanBinary(b *testing.B) {
	site := siteOf("bench.appendSpan")
	s := &tspan{site: site, trace: traceID{0x0af7651916cd43dd, 0x8448eb211c80319c},
		id: 0xb7ad6b7169203331, parentID: 0x00f067aa0ba902b7, start: 1 << 40, flags: flagSampled}
	var r rec
	c := newClockConv()
	var w binEncoder
	buf := make([]byte, 0, 1<<17)
	b.ReportAllocs()
	for i := 0; b.Loop(); i++ {
		if len(buf) > 1<<16 {
			buf = buf[:0]
		}
		s.id++
		s.parentID += uint64(i & 1)
		s.start += 1000
		recOfT(&r, s, s.start+1234)
		buf = w.appendSpan(buf, &r, nil, &c)
	}
}
