package hotspot

import "slices"

// interval is a half-open time interval [start, end) in Unix nanoseconds.
type interval struct{ start, end int64 }

// union sorts ivs, clips them to [lo, hi) and merges overlapping ones in
// place. It returns the disjoint, sorted result (a prefix of ivs) and the
// total time it covers.
func union(ivs []interval, lo, hi int64) ([]interval, int64) {
	out := ivs[:0]
	for _, iv := range ivs {
		iv.start = max(iv.start, lo)
		iv.end = min(iv.end, hi)
		if iv.end > iv.start {
			out = append(out, iv)
		}
	}
	if len(out) > 1 {
		slices.SortFunc(out, func(a, b interval) int {
			switch {
			case a.start < b.start:
				return -1
			case a.start > b.start:
				return 1
			}
			return 0
		})
	}
	var covered int64
	n := 0
	for _, iv := range out {
		if n > 0 && iv.start <= out[n-1].end {
			if iv.end > out[n-1].end {
				out[n-1].end = iv.end
			}
			continue
		}
		out[n] = iv
		n++
	}
	out = out[:n]
	for _, iv := range out {
		covered += iv.end - iv.start
	}
	return out, covered
}

// cover adds iv, clipped to [lo, hi), to the sorted disjoint set ivs and
// returns the new set and how much time iv newly covers.
func cover(ivs []interval, iv interval, lo, hi int64) ([]interval, int64) {
	iv.start = max(iv.start, lo)
	iv.end = min(iv.end, hi)
	if iv.end <= iv.start {
		return ivs, 0
	}
	var before int64
	for _, x := range ivs {
		before += x.end - x.start
	}
	ivs, after := union(append(ivs, iv), lo, hi)
	return ivs, after - before
}
