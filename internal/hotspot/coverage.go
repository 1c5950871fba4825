package hotspot

import "math"

// maxIntervals bounds the disjoint intervals a coverage keeps before it
// folds the oldest half into one sealed region.
const maxIntervals = 128

// coverage is the union of the intervals of one span's children, in bounded
// memory. Children arrive roughly in the order they end, so a new interval
// lies after, or overlaps the end of, what is known: the newest intervals
// are kept exactly (ivs) and older ones are folded into a sealed region
// of which only the extent and the covered time are kept. An interval that
// reaches back into a sealed region with gaps cannot be merged exactly; it
// sets approx (the error is at most the gaps it reaches over).
type coverage struct {
	ivs            []interval // sorted, disjoint, after sealHi
	sealed         int64      // time covered by the sealed intervals
	sealLo, sealHi int64      // extent of the sealed intervals (sealed > 0)
	approx         bool
}

// contiguous reports whether the sealed region has no gaps.
func (c *coverage) contiguous() bool { return c.sealed == c.sealHi-c.sealLo }

// add merges iv into the union.
func (c *coverage) add(iv interval) {
	if iv.end <= iv.start {
		return
	}
	if c.sealed > 0 && iv.start < c.sealHi {
		if iv.start < c.sealLo && c.contiguous() {
			c.sealed += c.sealLo - iv.start
			c.sealLo = iv.start
		} else if iv.start < c.sealHi && !c.contiguous() {
			c.approx = true
		}
		iv.start = c.sealHi
		if iv.end <= iv.start {
			return
		}
	}
	if n := len(c.ivs); n == 0 || iv.start > c.ivs[n-1].end {
		c.ivs = append(c.ivs, iv) // the usual case: after everything known
	} else {
		c.ivs, _ = union(append(c.ivs, iv), math.MinInt64, math.MaxInt64)
	}
	if len(c.ivs) > maxIntervals {
		h := len(c.ivs) / 2
		if c.sealed == 0 {
			c.sealLo = c.ivs[0].start
		}
		for _, x := range c.ivs[:h] {
			c.sealed += x.end - x.start
		}
		c.sealHi = c.ivs[h-1].end
		c.ivs = append(c.ivs[:0], c.ivs[h:]...)
	}
}

// total returns the time the union covers within [lo, hi), and whether it
// is exact.
func (c *coverage) total(lo, hi int64) (int64, bool) {
	var t int64
	for _, x := range c.ivs {
		if s, e := max(x.start, lo), min(x.end, hi); e > s {
			t += e - s
		}
	}
	exact := !c.approx
	if c.sealed > 0 {
		switch s, e := max(c.sealLo, lo), min(c.sealHi, hi); {
		case s == c.sealLo && e == c.sealHi:
			t += c.sealed
		case c.contiguous():
			t += max(e-s, 0)
		default: // clipped through a region with gaps: at most its overlap
			t += min(c.sealed, max(e-s, 0))
			exact = false
		}
	}
	return t, exact
}

// size is what the coverage costs against the pending cap, in intervals.
func (c *coverage) size() int64 { return int64(len(c.ivs)) }
