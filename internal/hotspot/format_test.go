package hotspot

import (
	"strings"
	"testing"
	"time"
)

func TestFormatDuration(t *testing.T) {
	tests := []struct {
		d    time.Duration
		want string
	}{
		{0, "0ns"}, {999, "999ns"}, {1000, "1.00µs"}, {45_600, "45.6µs"}, {123_456, "123µs"},
		{9_996_000, "10.0ms"}, {1_240_000_000, "1.24s"}, {3_600_000_000_000, "3600s"}, {-1500, "-1.50µs"},
	}
	for _, tt := range tests {
		if got := FormatDuration(tt.d); got != tt.want {
			t.Errorf("FormatDuration(%d) = %q, want %q", tt.d, got, tt.want)
		}
	}
}

func TestFormatCount(t *testing.T) {
	for n, want := range map[int64]string{0: "0", 999: "999", 1000: "1,000", 1234567: "1,234,567", -4321: "-4,321"} {
		if got := FormatCount(n); got != want {
			t.Errorf("FormatCount(%d) = %q, want %q", n, got, want)
		}
	}
}

func TestWriteTable(t *testing.T) {
	a := New()
	a.Add(withStatus(sp(1, 2, 1, "store.(*DB).Query", 10, 50), StatusError))
	a.Add(sp(1, 1, 0, "shop.Handle", 0, 100))
	a.AddProcess(Process{Pid: 1, Dropped: 3})
	r := a.Result()
	r.Traces[0] = Analyze([]Span{withStatus(sp(1, 2, 1, "store.(*DB).Query", 10, 50), StatusError), sp(1, 1, 0, "shop.Handle", 0, 100)})
	var b strings.Builder
	if err := r.WriteTable(&b, Rows(1)); err != nil {
		t.Fatal(err)
	}
	got := b.String()
	for _, want := range []string{
		"NAME         COUNT  ERRORS  PANICS  TOTAL  SELF  SELF%   MEAN    P50    P95    P99    MAX\n",
		"store.(*DB).Query", "… and 1 more name\n",
		"slowest traces\n 1. 01000000000000000000000000000000  100ns  shop.Handle  (2 spans, 1 error)\n",
		"     store.(*DB).Query [error]",
		"2 spans (1 root) from 1 process, 100ns of wall time\n",
		"dropped by the recorder: 3 spans (pid 1)\n",
		"percentiles within 0.8%",
	} {
		if !strings.Contains(got, want) {
			t.Errorf("table lacks %q:\n%s", want, got)
		}
	}
}
