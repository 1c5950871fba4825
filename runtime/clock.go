package autotrace

import (
	"sync"
	"time"
)

// Span timestamps are raw ticks of the cheapest monotonic counter the
// machine offers (clock_amd64.go); they become Unix nanoseconds only when
// the exporter encodes them, off the hot path.

// monoBase anchors the monotonic nanosecond clock: time.Since on a time
// with a monotonic reading is a single runtime nanotime call.
var monoBase = time.Now()

// monoNow returns monotonic nanoseconds since monoBase, plus one: a
// span's start is never 0, which marks an untimed call (fold.go).
func monoNow() int64 { return int64(time.Since(monoBase)) + 1 }

// ticks reads the span clock: the TSC when the kernel itself trusts it as
// its clocksource (half the cost of the vDSO call here), else monoNow.
func ticks() int64 {
	if useTSC {
		return rdtsc()
	}
	return monoNow()
}

var chooseClockOnce sync.Once

// chooseClock decides, once per process and before the first span is
// recorded, which counter ticks reads.
func chooseClock() {
	chooseClockOnce.Do(setClock)
}

// clockConv converts ticks into Unix nanoseconds. Its rate is re-measured
// against the monotonic clock at every flush, so its precision grows with
// the baseline (a 1 ms baseline already gives better than 1e-4).
type clockConv struct {
	tick0, mono0, wall0 int64
	rate                float64 // nanoseconds per tick

	// The decimal seconds of the last Unix time encoded (appendUnixNs).
	sec       uint64
	secDigits [10]byte
}

func newClockConv() clockConv {
	wall := time.Now()
	c := clockConv{mono0: monoNow(), tick0: ticks(), wall0: wall.UnixNano(), rate: 1}
	return c
}

// calibrate refreshes the tick rate. With the TSC it waits, at most once and
// briefly, until the baseline is long enough to be meaningful.
func (c *clockConv) calibrate() {
	if !useTSC {
		return
	}
	const minBaseline = 200 * time.Microsecond
	for monoNow()-c.mono0 < int64(minBaseline) {
	}
	m1 := monoNow()
	t1 := ticks()
	m2 := monoNow()
	if dt := t1 - c.tick0; dt > 0 {
		c.rate = float64((m1+m2)/2-c.mono0) / float64(dt)
	}
}

// wall returns the Unix nanoseconds of tick t.
func (c *clockConv) wall(t int64) int64 {
	return c.wall0 + int64(float64(t-c.tick0)*c.rate)
}

// sdur returns the nanoseconds of a tick difference, negative kept.
func (c *clockConv) sdur(d int64) int64 {
	return int64(float64(d) * c.rate)
}

// dur returns the nanoseconds of a tick interval.
func (c *clockConv) dur(d int64) int64 {
	if d <= 0 {
		return 0
	}
	return int64(float64(d) * c.rate)
}
