package compare

import (
	"math"
	"regexp"
	"slices"
	"strings"
)

// Metric is the time a comparison tests.
type Metric string

// The metrics.
const (
	Self  Metric = "self"  // self time: the span's duration minus its children's
	Total Metric = "total" // the span's whole duration
)

// Options says what counts as a regression.
type Options struct {
	Threshold float64        // smallest change that counts, as a fraction (0.10)
	Alpha     float64        // p-value below which a change is significant
	Metric    Metric         // the time tested
	MinCount  int            // fewer spans than this on a side: no verdict
	Calls     bool           // judge calls per root trace too
	Only      *regexp.Regexp // when set, compare only the names it matches
	Skip      *regexp.Regexp // when set, leave out the names it matches
}

// DefaultOptions are the command's defaults.
var DefaultOptions = Options{Threshold: 0.10, Alpha: 0.05, Metric: Self, MinCount: 5, Calls: true}

// Summary describes the spans of one name on one side. Times are in
// nanoseconds.
type Summary struct {
	Count         int     // spans of the name, exact
	Sampled       bool    // percentiles and the U test are of a uniform sample of hotspot.SampleCap spans
	CallsPerTrace float64 // spans per root trace; NaN without root traces
	SelfP50       int64
	SelfP95       int64
	TotalP50      int64
	TotalP95      int64
	metric        []float32 // the tested metric's samples, sorted (nanoseconds)
}

// Median returns the median of the metric m (p50).
func (s *Summary) Median(m Metric) int64 {
	if m == Total {
		return s.TotalP50
	}
	return s.SelfP50
}

// Row is the comparison of one span name.
type Row struct {
	Name       string
	Base, Head *Summary // nil when the name is not on that side
	// Change is the change of the metric's median, as a fraction of the
	// base's (+Inf from 0 to more); NaN when the name is on one side only.
	Change float64
	// CallsChange is the change of calls per root trace, as a fraction;
	// NaN when either side has no root traces or the name is on one side.
	CallsChange float64
	Test        *UTest // nil when not tested (one side only, too few spans)

	TooFew    bool // fewer than MinCount spans on a side: no verdict
	Slower    bool // significant, median up by more than the threshold
	Faster    bool // significant, median down by more than the threshold
	MoreCalls bool // calls per root trace up by more than the threshold
	Fewer     bool // calls per root trace down by more than the threshold
}

// Regression reports whether the row fails the comparison.
func (r *Row) Regression() bool { return r.Slower || r.MoreCalls }

// Significant reports whether the test rejects "same distribution".
func (r *Row) Significant(alpha float64) bool { return r.Test != nil && r.Test.P < alpha }

// Verdict says in a few words what the row shows: "slower", "faster", "~"
// (no significant difference), "< threshold" (significant but smaller than
// the threshold), with ", more calls" or ", fewer calls" when calls per
// root trace changed by more than the threshold; "too few", "base only"
// or "head only" when there is no test.
func (r *Row) Verdict(alpha float64) string {
	switch {
	case r.Base == nil:
		return "head only"
	case r.Head == nil:
		return "base only"
	case r.TooFew:
		return "too few"
	}
	v := "~"
	switch {
	case r.Slower:
		v = "slower"
	case r.Faster:
		v = "faster"
	case r.Significant(alpha):
		v = "< threshold"
	}
	var calls string
	switch {
	case r.MoreCalls:
		calls = "more calls"
	case r.Fewer:
		calls = "fewer calls"
	default:
		return v
	}
	if v == "~" {
		return calls
	}
	return v + ", " + calls
}

// Result is a comparison, worst regression first.
type Result struct {
	Options    Options
	Base, Head *Side
	Rows       []Row
}

// Regressions returns the number of rows that fail.
func (r *Result) Regressions() int {
	n := 0
	for i := range r.Rows {
		if r.Rows[i].Regression() {
			n++
		}
	}
	return n
}

// Compare compares head with base, name by name. It sorts the sides'
// samples in place.
func Compare(base, head *Side, opt Options) *Result {
	res := &Result{Options: opt, Base: base, Head: head}
	byName := map[string]*Row{}
	row := func(name string) *Row {
		r := byName[name]
		if r == nil {
			r = &Row{Name: name, Change: math.NaN(), CallsChange: math.NaN()}
			byName[name] = r
		}
		return r
	}
	for _, s := range base.samples {
		if opt.wants(s.Name) && len(s.Dur) > 0 {
			row(s.Name).Base = summarize(s.Count, s.Dur, s.Self, base.Roots, opt.Metric)
		}
	}
	for _, s := range head.samples {
		if opt.wants(s.Name) && len(s.Dur) > 0 {
			row(s.Name).Head = summarize(s.Count, s.Dur, s.Self, head.Roots, opt.Metric)
		}
	}
	for _, r := range byName {
		r.judge(opt)
		res.Rows = append(res.Rows, *r)
	}
	slices.SortFunc(res.Rows, compareRows)
	return res
}

// wants reports whether the name is compared under -only and -skip.
func (o *Options) wants(name string) bool {
	return (o.Only == nil || o.Only.MatchString(name)) && (o.Skip == nil || !o.Skip.MatchString(name))
}

// summarize sorts the samples of one name (count spans, of which dur and
// self may be a uniform sample) in place and describes them.
func summarize(count int64, dur, self []float32, roots int64, m Metric) *Summary {
	slices.Sort(dur)
	slices.Sort(self)
	s := &Summary{
		Count:         int(count),
		Sampled:       len(dur) < int(count),
		CallsPerTrace: math.NaN(),
		SelfP50:       median(self), SelfP95: percentile(self, 0.95),
		TotalP50: median(dur), TotalP95: percentile(dur, 0.95),
		metric: self,
	}
	if m == Total {
		s.metric = dur
	}
	if roots > 0 {
		s.CallsPerTrace = float64(count) / float64(roots)
	}
	return s
}

// median returns the middle value of sorted, or the mean of the two middle
// ones, in whole nanoseconds.
func median(sorted []float32) int64 {
	n := len(sorted)
	if n%2 == 1 {
		return int64(sorted[n/2])
	}
	a, b := int64(sorted[n/2-1]), int64(sorted[n/2])
	return a + (b-a)/2
}

// percentile returns the nearest-rank q-quantile of sorted, as report does.
func percentile(sorted []float32, q float64) int64 {
	rank := int(math.Ceil(q*float64(len(sorted)) - 1e-9))
	return int64(sorted[min(max(rank, 1), len(sorted))-1])
}

// judge tests a row and sets its verdict flags.
func (r *Row) judge(opt Options) {
	if r.Base == nil || r.Head == nil {
		return
	}
	if r.Base.Count < opt.MinCount || r.Head.Count < opt.MinCount {
		r.TooFew = true
		return
	}
	b, h := r.Base.Median(opt.Metric), r.Head.Median(opt.Metric)
	switch {
	case b != 0:
		r.Change = float64(h-b) / float64(b)
	case h == 0:
		r.Change = 0
	default:
		r.Change = math.Inf(1)
	}
	t := MannWhitney(r.Base.metric, r.Head.metric)
	r.Test = &t
	if t.P < opt.Alpha {
		r.Slower = r.Change > opt.Threshold
		r.Faster = r.Change < -opt.Threshold
	}
	if bc, hc := r.Base.CallsPerTrace, r.Head.CallsPerTrace; bc > 0 && !math.IsNaN(hc) {
		r.CallsChange = hc/bc - 1
		r.MoreCalls = opt.Calls && r.CallsChange > opt.Threshold
		r.Fewer = opt.Calls && r.CallsChange < -opt.Threshold
	}
}

// rank orders the kinds of row: regressions, tested rows, too few, one
// side only.
func (r *Row) rank() int {
	switch {
	case r.Regression():
		return 0
	case r.Test != nil:
		return 1
	case r.TooFew:
		return 2
	}
	return 3
}

// severity is what orders regressions: the larger of the two changes.
func (r *Row) severity() float64 {
	s := r.Change
	if r.MoreCalls && (math.IsNaN(s) || r.CallsChange > s) {
		s = r.CallsChange
	}
	if math.IsNaN(s) {
		return math.Inf(-1)
	}
	return s
}

func compareRows(a, b Row) int {
	if ra, rb := a.rank(), b.rank(); ra != rb {
		return ra - rb
	}
	if sa, sb := a.severity(), b.severity(); sa != sb {
		if sa > sb {
			return -1
		}
		return 1
	}
	return strings.Compare(a.Name, b.Name)
}
