package hotspot

import (
	"fmt"
	"regexp"
	"slices"
	"strings"
	"time"
)

// SortColumns are the columns the table's rows can be sorted by, the
// default first. Names sort A to Z, every other column largest first.
var SortColumns = []string{"self", "total", "count", "errors", "panics", "mean", "p50", "p95", "p99", "max", "name"}

// RowFilter chooses and orders the rows of the table (and of the json and
// html views): the names Only matches (every name when nil) that Skip
// does not, sorted by the column Sort.
type RowFilter struct {
	Only, Skip *regexp.Regexp
	Sort       string
}

// SelectRows keeps the Stats f chooses, in f's order, and notes both in
// the footer. Percentages of self time stay shares of every span's.
func (r *Result) SelectRows(f RowFilter) error {
	key, err := sortKey(f.Sort)
	if err != nil {
		return err
	}
	all := len(r.Stats)
	r.allSelf = 0
	for _, s := range r.Stats {
		r.allSelf += s.Self
	}
	if f.Only != nil || f.Skip != nil {
		r.Stats = slices.DeleteFunc(r.Stats, func(s Stat) bool {
			return (f.Only != nil && !f.Only.MatchString(s.Name)) || (f.Skip != nil && f.Skip.MatchString(s.Name))
		})
		var chosen []string
		if f.Only != nil {
			chosen = append(chosen, fmt.Sprintf("matching -only %q", f.Only))
		}
		if f.Skip != nil {
			chosen = append(chosen, fmt.Sprintf("not matching -skip %q", f.Skip))
		}
		r.rowsNote = fmt.Sprintf("rows: %d of %d span names, those %s", len(r.Stats), all, strings.Join(chosen, " and "))
	}
	if key != nil {
		slices.SortStableFunc(r.Stats, key)
		note := "sorted by " + f.Sort
		if r.rowsNote == "" {
			r.rowsNote = "rows: " + note
		} else {
			r.rowsNote += ", " + note
		}
	}
	return nil
}

// sortKey returns the comparison for column, nil for the default order
// (self time, as the Stats come).
func sortKey(column string) (func(a, b Stat) int, error) {
	desc := func(f func(Stat) time.Duration) func(a, b Stat) int {
		return func(a, b Stat) int { return cmpDesc(int64(f(a)), int64(f(b))) }
	}
	switch column {
	case "", "self":
		return nil, nil
	case "total":
		return desc(func(s Stat) time.Duration { return s.Total }), nil
	case "count":
		return func(a, b Stat) int { return cmpDesc(a.Count, b.Count) }, nil
	case "errors":
		return func(a, b Stat) int { return cmpDesc(a.Errors, b.Errors) }, nil
	case "panics":
		return func(a, b Stat) int { return cmpDesc(a.Panics, b.Panics) }, nil
	case "mean":
		return desc(func(s Stat) time.Duration { return s.Mean }), nil
	case "p50":
		return desc(func(s Stat) time.Duration { return s.P50 }), nil
	case "p95":
		return desc(func(s Stat) time.Duration { return s.P95 }), nil
	case "p99":
		return desc(func(s Stat) time.Duration { return s.P99 }), nil
	case "max":
		return desc(func(s Stat) time.Duration { return s.Max }), nil
	case "name":
		return func(a, b Stat) int { return strings.Compare(a.Name, b.Name) }, nil
	}
	return nil, fmt.Errorf("-sort %q: want one of %s", column, strings.Join(SortColumns, ", "))
}

func cmpDesc(a, b int64) int {
	switch {
	case a > b:
		return -1
	case a < b:
		return 1
	}
	return 0
}
