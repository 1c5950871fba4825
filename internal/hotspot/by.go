package hotspot

import (
	"slices"
	"strings"
	"time"
)

// The -by breakdown: with the By option each span name's statistics are
// also kept per value of some attributes (Span.Groups), and the Result
// lists, per attribute, the values with the most self time, the rest
// summed up as one row.

// MaxGroups bounds the distinct values kept per span name; spans with
// values past it are counted in the OtherGroup row straight away.
const MaxGroups = 4096

// OtherGroup names the row of the values not listed; NoGroup the row of
// the spans without the attribute.
const (
	OtherGroup = "(other)"
	NoGroup    = "(none)"
)

// By turns the breakdown on, listing for each span name and attribute the
// top values (the others summed up in one OtherGroup row).
func By(top int) Option { return func(c *config) { c.by, c.byTop = true, max(top, 1) } }

// group returns the stat of span name st for value v of attribute i,
// adding it if need be.
func (st *stat) group(i int, v string) *stat {
	if v == "" {
		v = NoGroup
	}
	for len(st.groups) <= i {
		st.groups = append(st.groups, map[string]*stat{})
	}
	groups := st.groups[i]
	g := groups[v]
	if g == nil {
		if len(groups) >= MaxGroups {
			v = OtherGroup
			if g = groups[v]; g != nil {
				return g
			}
		}
		g = &stat{name: v, min: -1}
		groups[v] = g
	}
	return g
}

// addSpan accounts for a span of duration d and status s in st (not its
// self time, which Add knows only later).
func (st *stat) addSpan(d int64, status uint8) {
	st.count++
	st.total += d
	st.maxd = max(st.maxd, d)
	if st.min < 0 || d < st.min {
		st.min = d
	}
	st.h.add(d)
	switch status {
	case StatusError:
		st.errors++
	case StatusPanic:
		st.panics++
	}
}

// merge adds o into st.
func (st *stat) merge(o *stat) {
	st.count += o.count
	st.folded += o.folded
	st.errors += o.errors
	st.panics += o.panics
	st.total += o.total
	st.self += o.self
	st.maxd = max(st.maxd, o.maxd)
	if st.min < 0 || (o.min >= 0 && o.min < st.min) {
		st.min = o.min
	}
	st.h.merge(&o.h)
}

// export makes the Stat of st.
func (st *stat) export() Stat {
	s := Stat{
		Name: st.name, Count: st.count, Folded: st.folded, Errors: st.errors, Panics: st.panics,
		Total: time.Duration(st.total), Self: time.Duration(st.self), Max: time.Duration(st.maxd),
	}
	if st.count > 0 {
		s.Mean = time.Duration(st.total / st.count)
	}
	clamp := func(v int64) time.Duration { return time.Duration(min(max(v, st.min), st.maxd)) }
	s.P50 = clamp(st.h.quantile(0.50))
	s.P95 = clamp(st.h.quantile(0.95))
	s.P99 = clamp(st.h.quantile(0.99))
	return s
}

// bySelf orders stats by self time, most first, then by name.
func bySelf(a, b Stat) int {
	if a.Self != b.Self {
		if a.Self > b.Self {
			return -1
		}
		return 1
	}
	return strings.Compare(a.Name, b.Name)
}

// groupStats returns the breakdowns of st, one per attribute: its top
// values by self time and one OtherGroup row for the rest; nil for an
// attribute no span had.
func (st *stat) groupStats(top int) [][]Stat {
	out := make([][]Stat, len(st.groups))
	for i, groups := range st.groups {
		out[i] = groupRows(groups, top)
	}
	return out
}

// groupRows is groupStats for one attribute's groups.
func groupRows(groups map[string]*stat, top int) []Stat {
	if len(groups) == 0 || (len(groups) == 1 && groups[NoGroup] != nil) {
		return nil
	}
	var out []Stat
	for _, g := range groups {
		out = append(out, g.export())
	}
	slices.SortFunc(out, bySelf)
	if len(out) <= top {
		return out
	}
	other := &stat{name: OtherGroup, min: -1}
	for _, s := range out[top:] {
		other.merge(groups[s.Name])
	}
	return append(out[:top:top], other.export())
}
