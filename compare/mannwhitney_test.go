package compare

import (
	"math"
	"math/rand/v2"
	"slices"
	"testing"
)

// TestMannWhitneyKnown checks p-values against values worked out by hand
// and against benchstat's table of the smallest p-value for n against n
// (complete separation: 2/C(2n, n)).
func TestMannWhitneyKnown(t *testing.T) {
	tests := []struct {
		name  string
		x, y  []int64
		u, p  float64
		exact bool
	}{
		// 2 against 3, no ties: U is 0..6 with frequencies 1,1,2,2,2,1,1
		// over C(5,2) = 10 orderings; U = 1: 2·(1+1)/10.
		{"2v3 U=1", []int64{1, 3}, []int64{2, 4, 5}, 1, 0.4, true},
		{"3v3 separated", []int64{1, 2, 3}, []int64{4, 5, 6}, 0, 0.1, true},
		{"3v3 reversed", []int64{4, 5, 6}, []int64{1, 2, 3}, 9, 0.1, true},
		{"4v4 separated", []int64{1, 2, 3, 4}, []int64{5, 6, 7, 8}, 0, 2.0 / 70, true},
		{"5v5 separated", []int64{1, 2, 3, 4, 5}, []int64{6, 7, 8, 9, 10}, 0, 2.0 / 252, true},
		// Ties: merged 1 2 2 3, ranks 1 2.5 2.5 4. Of the C(4,2) = 6
		// choices for x, rank sums 3.5 (twice), 5 (twice), 6.5 (twice):
		// U = 0.5, 2, 3.5. U = 0.5: 2·2/6.
		{"ties", []int64{1, 2}, []int64{2, 3}, 0.5, 4.0 / 6, true},
		{"U at the mean", []int64{1, 4}, []int64{2, 3}, 2, 1, true},
		{"all equal", []int64{7, 7, 7}, []int64{7, 7}, 3, 1, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := MannWhitney(tt.x, tt.y)
			if got.U != tt.u || math.Abs(got.P-tt.p) > 1e-12 || got.Exact != tt.exact {
				t.Errorf("got U=%v p=%v exact=%v, want U=%v p=%v exact=%v", got.U, got.P, got.Exact, tt.u, tt.p, tt.exact)
			}
		})
	}
}

// TestNormalApproximation checks the normal approximation (tie and
// continuity corrections) against ClickHouse's mannWhitneyUTest on its own
// test data (tests/queries/0_stateless/01560_mann_whitney.sql: U = 223,
// p = 0.5426959774289482), and that MannWhitney uses it past the exact
// limits.
func TestNormalApproximation(t *testing.T) {
	x := []int64{310, 195, 530, 155, 530, 245, 385, 450, 465, 545, 170, 180, 125, 180, 230, 75, 430, 480, 495, 295}
	y := []int64{116, 171, 176, 421, 111, 326, 481, 111, 346, 441, 261, 411, 206, 521, 456, 446, 296, 51, 426, 261}
	slices.Sort(x)
	slices.Sort(y)
	res := MannWhitney(x, y)
	if res.U != 223 || !res.Exact {
		t.Fatalf("U = %v exact=%v, want 223 from the exact distribution (20 against 20, with ties)", res.U, res.Exact)
	}
	// Four pairs of tied values: Σ t³ − t = 4·6.
	if p := normalP(20, 20, res.U, 24); math.Abs(p-0.5426959774289482) > 1e-12 {
		t.Errorf("normal p = %.16g, want 0.5426959774289482", p)
	}
	// The exact p-value with these ties is close to the approximation.
	if math.Abs(res.P-0.5427) > 0.01 {
		t.Errorf("exact p = %v, want about 0.543", res.P)
	}
	// 30 against 30 with ties is past the exact limit for ties.
	big := make([]int64, 30)
	for i := range big {
		big[i] = int64(i / 2)
	}
	if r := MannWhitney(big, big); r.Exact || r.P != 1 {
		t.Errorf("30 against the same 30: p=%v exact=%v, want 1 from the approximation", r.P, r.Exact)
	}
}

// TestMannWhitneyBruteForce compares the exact p-values, with and without
// ties, with an enumeration of every way to split the merged values.
func TestMannWhitneyBruteForce(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	for run := range 300 {
		n1, n2 := 1+rng.IntN(7), 1+rng.IntN(7)
		spread := int64(3 + rng.IntN(30)) // small spreads make ties
		x, y := make([]int64, n1), make([]int64, n2)
		for i := range x {
			x[i] = rng.Int64N(spread)
		}
		for i := range y {
			y[i] = rng.Int64N(spread)
		}
		slices.Sort(x)
		slices.Sort(y)
		got := MannWhitney(x, y)
		want := bruteForceP(x, y)
		if !got.Exact || math.Abs(got.P-want) > 1e-9 {
			t.Fatalf("run %d: x=%v y=%v: p=%v exact=%v, enumeration says %v", run, x, y, got.P, got.Exact, want)
		}
	}
}

// bruteForceP enumerates every choice of len(x) of the merged values as
// the first sample and returns the two-sided p-value of x's U.
func bruteForceP(x, y []int64) float64 {
	all := append(slices.Clone(x), y...)
	n1 := len(x)
	uOf := func(a, b []int64) float64 {
		var u float64
		for _, v := range a {
			for _, w := range b {
				switch {
				case v > w:
					u++
				case v == w:
					u += 0.5
				}
			}
		}
		return u
	}
	obs := uOf(x, y)
	var total, below, above float64
	for mask := 0; mask < 1<<len(all); mask++ {
		var a, b []int64
		for i, v := range all {
			if mask&(1<<i) != 0 {
				a = append(a, v)
			} else {
				b = append(b, v)
			}
		}
		if len(a) != n1 {
			continue
		}
		u := uOf(a, b)
		total++
		if u <= obs {
			below++
		}
		if u >= obs {
			above++
		}
	}
	return min(1, 2*min(below, above)/total)
}

// TestExactMatchesNormalForLargeSamples checks the exact distributions at
// their limits against the normal approximation: they must agree closely
// in the body of the distribution.
func TestExactMatchesNormalForLargeSamples(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	for _, tc := range []struct{ n, spread int }{{50, 1 << 30}, {25, 40}} {
		x, y := make([]int64, tc.n), make([]int64, tc.n)
		for i := range x {
			x[i] = rng.Int64N(int64(tc.spread))
			y[i] = rng.Int64N(int64(tc.spread)) + int64(tc.spread/8)
		}
		slices.Sort(x)
		slices.Sort(y)
		res := MannWhitney(x, y)
		var tie float64
		counts := map[int64]float64{}
		for _, v := range append(slices.Clone(x), y...) {
			counts[v]++
		}
		for _, c := range counts {
			tie += c*c*c - c
		}
		approx := normalP(tc.n, tc.n, res.U, tie)
		if !res.Exact || math.Abs(res.P-approx) > 0.01 {
			t.Errorf("n=%d: exact p=%v (exact=%v), normal %v", tc.n, res.P, res.Exact, approx)
		}
	}
}
