package hotspot

import (
	"slices"
)

// Bounds of a coverage.
const (
	// maxIntervals bounds the disjoint intervals a coverage keeps exactly
	// before it folds the oldest into one sealed region. The runtime
	// writes spans per P, so a file holds a goroutine's spans out of end
	// order by up to a P's buffer (8,192 spans at default settings): the
	// kept intervals must reach further back than that.
	maxIntervals = 1 << 14
	// mergeEvery is the number of new intervals buffered unsorted before
	// they are merged into the sorted ones (amortised: a sort of the
	// buffer and one linear merge).
	mergeEvery = 1 << 10
	// doneIntervals bounds the intervals a finished span keeps for
	// children that arrive after it (rare: goroutines that outlive it).
	doneIntervals = 64
)

// coverage is the union of the intervals of one span's children, in bounded
// memory. Children arrive roughly in the order they end, so a new interval
// lies after, or not far before, the newest ones: those are kept exactly
// (ivs, plus the unsorted buf not merged yet) and older ones are folded into
// a sealed region of which only the extent and the covered time are kept. An
// interval that reaches back into a sealed region with gaps cannot be
// merged exactly; it sets approx (the error is at most the gaps it reaches
// over).
type coverage struct {
	ivs            []interval // sorted, disjoint, after sealHi
	buf            []interval // added since the last merge, unsorted
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
	if n := len(c.ivs); len(c.buf) == 0 && (n == 0 || iv.start > c.ivs[n-1].end) && (c.sealed == 0 || iv.start >= c.sealHi) {
		c.ivs = append(c.ivs, iv) // the usual case: after everything known
	} else {
		c.buf = append(c.buf, iv)
		if len(c.buf) < mergeEvery {
			return
		}
		c.merge()
	}
	if len(c.ivs) > maxIntervals {
		c.seal(maxIntervals / 2)
	}
}

// merge folds buf into ivs.
func (c *coverage) merge() {
	if len(c.buf) == 0 {
		return
	}
	in := c.buf[:0]
	for _, iv := range c.buf {
		if c.sealed > 0 && iv.start < c.sealHi {
			if iv.start < c.sealLo && c.contiguous() {
				c.sealed += c.sealLo - iv.start
				c.sealLo = iv.start
			} else if !c.contiguous() {
				c.approx = true
			}
			iv.start = c.sealHi
			if iv.end <= iv.start {
				continue
			}
		}
		in = append(in, iv)
	}
	c.buf = c.buf[:0]
	if len(in) == 0 {
		return
	}
	sortIntervals(in)
	out := make([]interval, 0, len(c.ivs)+len(in))
	i, j := 0, 0
	for i < len(c.ivs) || j < len(in) {
		var x interval
		if j == len(in) || i < len(c.ivs) && c.ivs[i].start <= in[j].start {
			x, i = c.ivs[i], i+1
		} else {
			x, j = in[j], j+1
		}
		if n := len(out); n > 0 && x.start <= out[n-1].end {
			out[n-1].end = max(out[n-1].end, x.end)
			continue
		}
		out = append(out, x)
	}
	c.ivs = out
}

// seal folds all but the newest keep intervals into the sealed region.
func (c *coverage) seal(keep int) {
	c.merge()
	h := len(c.ivs) - keep
	if h <= 0 {
		return
	}
	if c.sealed == 0 {
		c.sealLo = c.ivs[0].start
	}
	for _, x := range c.ivs[:h] {
		c.sealed += x.end - x.start
	}
	c.sealHi = c.ivs[h-1].end
	c.ivs = append(c.ivs[:0:0], c.ivs[h:]...)
}

// total returns the time the union covers within [lo, hi), and whether it
// is exact.
func (c *coverage) total(lo, hi int64) (int64, bool) {
	c.merge()
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
func (c *coverage) size() int64 { return int64(len(c.ivs) + len(c.buf)) }

// sortIntervals sorts ivs by start.
func sortIntervals(ivs []interval) {
	slices.SortFunc(ivs, func(a, b interval) int {
		switch {
		case a.start < b.start:
			return -1
		case a.start > b.start:
			return 1
		}
		return 0
	})
}
