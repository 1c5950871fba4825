package activetime

import (
	"cmp"
	"slices"
)

// Merge combines the analyses of several execution traces (processes, or
// snapshots) into one.
func Merge(parts ...*Result) *Result {
	if len(parts) == 1 {
		return parts[0]
	}
	res := &Result{}
	byName := map[string]*Name{}
	locs := map[string]map[locKey]*Location{}
	for _, p := range parts {
		res.Events += p.Events
		res.Duration = max(res.Duration, p.Duration)
		res.Spans = append(res.Spans, p.Spans...)
		for _, n := range p.Names {
			m := byName[n.Name]
			if m == nil {
				m = &Name{Name: n.Name}
				byName[n.Name] = m
				locs[n.Name] = map[locKey]*Location{}
			}
			m.Count += n.Count
			m.Wall += n.Wall
			m.Others += n.Others
			m.Time.add(&n.Time)
			for _, l := range n.Locations {
				k := locKey{fn: l.Func, file: l.File, line: l.Line, cat: l.Category}
				if o := locs[n.Name][k]; o != nil {
					o.Blocked += l.Blocked
					o.Count += l.Count
				} else {
					l := l
					locs[n.Name][k] = &l
				}
			}
		}
	}
	slices.SortFunc(res.Spans, compareSpans)
	for name, n := range byName {
		n.Locations = sortLocations(locs[name])
		res.Names = append(res.Names, *n)
	}
	slices.SortFunc(res.Names, compareNames)
	return res
}

// compareSpans orders spans longest first.
func compareSpans(x, y Span) int {
	return cmp.Or(cmp.Compare(y.Wall, x.Wall), cmp.Compare(x.Name, y.Name), cmp.Compare(x.ID, y.ID))
}

// compareNames orders names by blocked time, then wall time.
func compareNames(x, y Name) int {
	return cmp.Or(cmp.Compare(y.Time.Blocked(), x.Time.Blocked()), cmp.Compare(y.Wall, x.Wall), cmp.Compare(x.Name, y.Name))
}

// sortLocations returns the maxLocations locations where most time was
// blocked, most first.
func sortLocations(m map[locKey]*Location) []Location {
	ls := make([]Location, 0, len(m))
	for _, l := range m {
		ls = append(ls, *l)
	}
	slices.SortFunc(ls, func(x, y Location) int {
		return cmp.Or(cmp.Compare(y.Blocked, x.Blocked), cmp.Compare(x.File, y.File), cmp.Compare(x.Line, y.Line), cmp.Compare(x.Category, y.Category))
	})
	return ls[:min(len(ls), maxLocations)]
}
