package hotspot

import (
	"math"
	"math/bits"
	"slices"
)

// subBuckets is the number of histogram buckets per power of two. A value is
// reported as the middle of its bucket, so the relative error of a
// percentile is at most 1/(2*subBuckets).
const subBuckets = 64

// PercentileError is the bound on the relative error of the percentiles in a
// Result: they are exact for names seen at most 32 times and for values
// below 128ns; otherwise at most this fraction (0.78%) away from the true
// order statistic (nearest rank).
const PercentileError = 1.0 / (2 * subBuckets)

// exactSamples is the number of values kept as they are: percentiles of
// names seen at most that often are exact.
const exactSamples = 32

// exact is the value below which every value has its own bucket.
const exact = 2 * subBuckets

// hist is a log-bucketed histogram of non-negative durations: fixed-size
// buckets, mergeable by adding counts. It allocates only the range of
// buckets it has seen (about 1,300 buckets, 10 KiB, for 1ns..1h).
type hist struct {
	small  []int64  // the first exactSamples values, for exact small-count percentiles
	base   int      // index of counts[0]
	counts []uint64 // counts[i] is the number of values in bucket base+i
	n      uint64
}

// bucket returns the bucket index of v.
func bucket(v int64) int {
	if v < exact {
		if v < 0 {
			return 0
		}
		return int(v)
	}
	u := uint64(v)
	shift := bits.Len64(u) - 7 // u>>shift is in [64, 128)
	return exact + (shift-1)*subBuckets + int(u>>uint(shift)) - subBuckets
}

// bucketMid returns the middle of bucket i, the value it reports.
func bucketMid(i int) int64 {
	if i < exact {
		return int64(i)
	}
	j := i - exact
	shift := uint(j/subBuckets + 1)
	lo := int64(j%subBuckets+subBuckets) << shift
	return lo + int64(1)<<shift/2
}

// add counts v.
func (h *hist) add(v int64) {
	if h.n < exactSamples {
		h.small = append(h.small, v)
	}
	h.addBucket(v)
}

// addBucket counts v in the buckets.
func (h *hist) addBucket(v int64) {
	i := bucket(v)
	if h.counts == nil {
		h.base = i
		h.counts = make([]uint64, 1, 16)
	} else if i < h.base {
		grow := h.base - i
		c := make([]uint64, len(h.counts)+grow, len(h.counts)+grow+16)
		copy(c[grow:], h.counts)
		h.counts, h.base = c, i
	} else if i-h.base >= len(h.counts) {
		need := i - h.base + 1
		if need <= cap(h.counts) {
			h.counts = h.counts[:need]
		} else {
			c := make([]uint64, need, need+need/2)
			copy(c, h.counts)
			h.counts = c
		}
	}
	h.counts[i-h.base]++
	h.n++
}

// merge adds the counts of o to h.
func (h *hist) merge(o *hist) {
	if h.n+o.n <= exactSamples {
		h.small = append(h.small, o.small...)
	} else {
		h.small = nil
	}
	n := h.n
	defer func() { h.n = n + o.n }()
	for i, c := range o.counts {
		if c == 0 {
			continue
		}
		v := o.base + i
		// Re-use add's range handling, then add the rest of the count.
		h.addBucket(bucketMid(v))
		h.counts[v-h.base] += c - 1
	}
}

// quantile returns the value at quantile q in [0, 1]: the smallest bucket
// value such that at least q of the values are at or below it (nearest rank).
func (h *hist) quantile(q float64) int64 {
	if h.n == 0 {
		return 0
	}
	rank := uint64(math.Ceil(q*float64(h.n) - 1e-9))
	if rank < 1 {
		rank = 1
	}
	if rank > h.n {
		rank = h.n
	}
	if uint64(len(h.small)) == h.n {
		s := slices.Clone(h.small)
		slices.Sort(s)
		return s[rank-1]
	}
	var seen uint64
	for i, c := range h.counts {
		seen += c
		if seen >= rank {
			return bucketMid(h.base + i)
		}
	}
	return bucketMid(h.base + len(h.counts) - 1)
}
