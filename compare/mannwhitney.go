package compare

import "math"

// Sizes up to which the p-value comes from the exact distribution of U, as
// in benchstat: larger samples use the normal approximation, which is then
// accurate and far cheaper. The distribution with ties costs more to
// compute, so its limit is lower.
const (
	exactLimit     = 50
	exactTiesLimit = 25
)

// UTest is the result of a two-sided Mann–Whitney U test.
type UTest struct {
	// U counts the pairs (x, y) with x > y, plus half the pairs with x == y.
	U float64
	// P is the two-sided p-value: the probability, if x and y came from
	// one distribution, of a U at least as far from its mean n1·n2/2.
	P float64
	// Exact is true when P comes from the exact distribution of U (given
	// the ties), false for the normal approximation.
	Exact bool
}

// Value is a type of sample values.
type Value interface {
	~int64 | ~float32 | ~float64
}

// MannWhitney tests whether x and y, both sorted in increasing order and
// not empty, come from one distribution. Ties get the mean of their ranks.
// When every value is the same, P is 1.
func MannWhitney[T Value](x, y []T) UTest {
	n1, n2 := len(x), len(y)
	small := n1 <= exactLimit && n2 <= exactLimit
	smallTies := n1 <= exactTiesLimit && n2 <= exactTiesLimit
	// Walk the merged order one group of equal values at a time.
	var (
		rankSum  float64 // of x, ranks from 1
		tieTerm  float64 // Σ t³ − t over groups of t equal values
		groups   []int   // group sizes in order, for the exact distribution
		ties     bool
		i, j, at int
	)
	for i < n1 || j < n2 {
		var v T
		switch {
		case j == n2:
			v = x[i]
		case i == n1:
			v = y[j]
		default:
			v = min(x[i], y[j])
		}
		a, b := 0, 0
		for i < n1 && x[i] == v {
			i++
			a++
		}
		for j < n2 && y[j] == v {
			j++
			b++
		}
		t := a + b
		rankSum += float64(a) * (float64(at) + float64(t+1)/2)
		at += t
		if t > 1 {
			ties = true
			tieTerm += float64(t)*float64(t)*float64(t) - float64(t)
		}
		if smallTies {
			groups = append(groups, t)
		}
	}
	u := rankSum - float64(n1)*float64(n1+1)/2
	res := UTest{U: u}
	switch {
	case len(groups) == 1: // every value equal: nothing to tell apart
		res.P, res.Exact = 1, true
	case !ties && small:
		res.P, res.Exact = exactP(distNoTies(n1, n2), int(u)), true
	case ties && smallTies:
		res.P, res.Exact = exactP(distTies(n1, n2, groups), int(2*u)), true
	default:
		res.P = normalP(n1, n2, u, tieTerm)
	}
	return res
}

// normalP is the two-sided p-value of U from the normal approximation,
// with the variance corrected for ties and a continuity correction of ½.
func normalP(n1, n2 int, u, tieTerm float64) float64 {
	n := float64(n1 + n2)
	mean := float64(n1) * float64(n2) / 2
	variance := float64(n1) * float64(n2) / 12 * (n + 1 - tieTerm/(n*(n-1)))
	if variance <= 0 {
		return 1
	}
	d := math.Abs(u - mean)
	d = max(d-0.5, 0)
	z := d / math.Sqrt(variance)
	return math.Erfc(z / math.Sqrt2)
}

// exactP is the two-sided p-value of the observation at index obs of a
// distribution given as frequencies: twice the smaller tail, at most 1.
func exactP(freq []float64, obs int) float64 {
	var total, below, above float64
	for k, f := range freq {
		total += f
		if k <= obs {
			below += f
		}
		if k >= obs {
			above += f
		}
	}
	return min(1, 2*min(below, above)/total)
}

// distNoTies returns the number of orderings of n1 + n2 distinct values
// giving each U from 0 to n1·n2. The largest value is either one of the
// n1, beating all n2 others, or one of the n2, beating none:
// F(m, n; u) = F(m−1, n; u−n) + F(m, n−1; u). Rows m are updated in place
// for n = 1, 2, …, n2.
func distNoTies(n1, n2 int) []float64 {
	width := n1*n2 + 1
	f := make([][]float64, n1+1)
	for m := range f {
		f[m] = make([]float64, width)
		f[m][0] = 1 // n = 0: one ordering, U = 0
	}
	for n := 1; n <= n2; n++ {
		for m := 1; m <= n1; m++ {
			prev, row := f[m-1], f[m]
			for u := m * n; u >= n; u-- {
				row[u] += prev[u-n]
			}
		}
	}
	return f[n1]
}

// distTies returns, for samples of n1 and n2 values whose merged order has
// groups of equal values of the given sizes, the number of ways to choose
// which values belong to the first sample that give each 2U from 0 to
// 2·n1·n2. Going through the groups in order with m values of the first
// sample chosen so far, taking k of a group of t that starts after p
// values adds k·(2(p−m) + t−k) to 2U in C(t, k) ways.
func distTies(n1, n2 int, groups []int) []float64 {
	width := 2*n1*n2 + 1
	cur := make([][]float64, n1+1)
	next := make([][]float64, n1+1)
	for m := range cur {
		cur[m] = make([]float64, width)
		next[m] = make([]float64, width)
	}
	cur[0][0] = 1
	p := 0
	for _, t := range groups {
		for m := range next {
			clear(next[m])
		}
		for m := 0; m <= n1; m++ {
			for v, ways := range cur[m] {
				if ways == 0 {
					continue
				}
				choose := 1.0 // C(t, k)
				for k := 0; k <= t && m+k <= n1; k++ {
					if k > 0 {
						choose = choose * float64(t-k+1) / float64(k)
					}
					// The second sample can take at most n2 values.
					if p+t-(m+k) > n2 {
						continue
					}
					next[m+k][v+k*(2*(p-m)+t-k)] += ways * choose
				}
			}
		}
		cur, next = next, cur
		p += t
	}
	return cur[n1]
}
