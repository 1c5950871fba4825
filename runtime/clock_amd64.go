package autotrace

import (
	"bytes"
	"os"
	"runtime"
)

// useTSC is set once by chooseClock, before any span is recorded.
var useTSC bool

func setClock() { useTSC = tscUsable() }

// rdtsc reads the time-stamp counter (clock_amd64.s).
func rdtsc() int64

// tscUsable reports whether the TSC is a safe span clock: Linux uses it as
// its clocksource only when it is invariant and synchronised across CPUs,
// and then clock_gettime reads the very same counter, just more slowly.
func tscUsable() bool {
	if runtime.GOOS != "linux" {
		return false
	}
	b, err := os.ReadFile("/sys/devices/system/clocksource/clocksource0/current_clocksource")
	return err == nil && bytes.Equal(bytes.TrimSpace(b), []byte("tsc"))
}
