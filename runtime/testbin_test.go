package autotrace

import (
	"strings"
	"testing"
)

func TestWakesOnRoot(t *testing.T) {
	tests := []struct {
		args string
		want bool
	}{
		{"/tmp/go-build1/b001/shop.test -test.paniconexit0 -test.timeout=10m0s", true},
		{"./shop.test", true},
		{"./shop.test -test.v", true},
		{"/tmp/go-build1/b001/shop.test -test.paniconexit0 -test.timeout=10m0s -test.bench=. -test.run=^$", false},
		{"./shop.test -test.bench=", true},
		{"/usr/local/bin/shop -v", false},
		{"/usr/local/bin/shop", false},
		{"", false},
	}
	for _, tt := range tests {
		if got := wakesOnRoot(strings.Fields(tt.args)); got != tt.want {
			t.Errorf("wakesOnRoot(%q) = %v, want %v", tt.args, got, tt.want)
		}
	}
}
