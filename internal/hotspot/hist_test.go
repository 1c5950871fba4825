package hotspot

import (
	"math"
	"math/rand/v2"
	"slices"
	"testing"
)

func TestBucketRoundTrip(t *testing.T) {
	for _, v := range []int64{0, 1, 127, 128, 129, 255, 256, 1000, 123456789, 1 << 40, math.MaxInt64} {
		i := bucket(v)
		mid := bucketMid(i)
		if rel := math.Abs(float64(mid-v)) / math.Max(float64(v), 1); rel > PercentileError {
			t.Errorf("v=%d: bucket %d reports %d, relative error %.4f > %.4f", v, i, mid, rel, PercentileError)
		}
		if i > 0 && bucket(v-1) > i {
			t.Errorf("bucket not monotonic at %d", v)
		}
	}
}

func TestPercentiles(t *testing.T) {
	tests := []struct {
		name string
		gen  func(r *rand.Rand) int64
	}{
		{"uniform 1µs..1s", func(r *rand.Rand) int64 { return 1000 + r.Int64N(1e9) }},
		{"log-normal", func(r *rand.Rand) int64 { return int64(math.Exp(r.NormFloat64()*2 + 12)) }},
		{"small exact", func(r *rand.Rand) int64 { return r.Int64N(100) }},
		{"bimodal", func(r *rand.Rand) int64 {
			if r.IntN(10) == 0 {
				return 5e8 + r.Int64N(1e8)
			}
			return 1e6 + r.Int64N(1e5)
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := rand.New(rand.NewPCG(3, 4))
			var h hist
			vals := make([]int64, 10007)
			for i := range vals {
				vals[i] = tt.gen(r)
				h.add(vals[i])
			}
			slices.Sort(vals)
			for _, q := range []float64{0.5, 0.95, 0.99, 1} {
				rank := int(math.Ceil(q*float64(len(vals)))) - 1
				want := vals[rank]
				got := h.quantile(q)
				if rel := math.Abs(float64(got-want)) / math.Max(float64(want), 1); rel > PercentileError {
					t.Errorf("p%v = %d, exact %d: relative error %.4f", q*100, got, want, rel)
				}
			}
		})
	}
}

func TestHistMerge(t *testing.T) {
	var a, b, all hist
	for i := int64(1); i < 5000; i += 7 {
		all.add(i * 1000)
		if i%2 == 0 {
			a.add(i * 1000)
		} else {
			b.add(i * 1000)
		}
	}
	a.merge(&b)
	for _, q := range []float64{0.1, 0.5, 0.9, 0.99} {
		if a.quantile(q) != all.quantile(q) {
			t.Errorf("merged p%v = %d, want %d", q*100, a.quantile(q), all.quantile(q))
		}
	}
}
