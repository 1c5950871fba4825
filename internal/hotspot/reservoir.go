package hotspot

import "math/rand/v2"

// SampleCap is the number of spans a name keeps in Result.Samples with
// the KeepSamples option: past it, a uniform random sample of that many
// (a reservoir, Vitter's algorithm R) stands for all of them, so memory
// stays bounded (12 bytes a kept span) however long the trace. Counts stay
// exact (Samples.Count).
const SampleCap = 1 << 15

// reservoir holds the kept spans of one name: duration and self time, and
// the ordinal (1-based, within the name) of the span in each slot, so a
// child arriving late corrects its parent's self time only while the
// parent is still kept.
type reservoir struct {
	durs, selfs []float32
	owners      []uint32
}

// keep offers the n-th span (1-based) of a name; it returns the slot the
// span went to, or -1 when the sample left it out.
func (r *reservoir) keep(rng *rand.Rand, n int64, dur, self int64) int {
	slot := len(r.durs)
	if slot < SampleCap {
		r.durs = append(r.durs, float32(dur))
		r.selfs = append(r.selfs, float32(self))
		r.owners = append(r.owners, uint32(n))
		return slot
	}
	if j := rng.Int64N(n); j < SampleCap {
		r.durs[j], r.selfs[j], r.owners[j] = float32(dur), float32(self), uint32(n)
		return int(j)
	}
	return -1
}

// lessSelf takes add from the self time of the n-th span, if still kept
// in slot.
func (r *reservoir) lessSelf(slot int, n int64, add int64) {
	if slot >= 0 && r.owners[slot] == uint32(n) {
		r.selfs[slot] -= float32(add)
	}
}
