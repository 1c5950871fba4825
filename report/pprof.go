package report

import (
	"io"

	"github.com/google/pprof/profile"

	"github.com/autotrace/autotrace/internal/hotspot"
)

// writePprof writes the aggregated flame graph as a profile go tool pprof
// reads: each span path (root first) is a stack whose frames are span
// names, with two values, the spans at that path and their summed self
// time (the default). Errors and panics are numeric labels of the sample;
// with -by, the spans' values of those attributes are string labels
// (go tool pprof -tagfocus, -tags), and a path splits by them.
// Profiles are gzipped protocol buffers; github.com/google/pprof/profile,
// pprof's own package, encodes them.
func writePprof(w io.Writer, d *data) error {
	p := &profile.Profile{
		SampleType: []*profile.ValueType{
			{Type: "spans", Unit: "count"},
			{Type: "self", Unit: "nanoseconds"},
		},
		DefaultSampleType: "self",
		PeriodType:        &profile.ValueType{Type: "span", Unit: "count"},
		Period:            1,
	}
	locs := map[string]*profile.Location{}
	location := func(name string) *profile.Location {
		if l, ok := locs[name]; ok {
			return l
		}
		fn := &profile.Function{ID: uint64(len(p.Function) + 1), Name: name, SystemName: name}
		l := &profile.Location{ID: uint64(len(p.Location) + 1), Line: []profile.Line{{Function: fn}}}
		p.Function = append(p.Function, fn)
		p.Location = append(p.Location, l)
		locs[name] = l
		return l
	}
	if d.res.Flame != nil {
		d.res.Flame.Walk(func(path []string, f *hotspotFrame) {
			if len(path) > 0 && path[0] == "" {
				path = path[1:] // the flame graph's unnamed root
			}
			if len(path) == 0 || f.Count == 0 {
				return
			}
			s := &profile.Sample{Value: []int64{f.Count, f.Self}}
			for i := len(path) - 1; i >= 0; i-- { // leaf first
				name, values := hotspot.FrameLabels(path[i])
				s.Location = append(s.Location, location(name))
				if i == len(path)-1 {
					for j, v := range values {
						if v != "" && j < len(d.by) {
							if s.Label == nil {
								s.Label = map[string][]string{}
							}
							s.Label[d.by[j]] = []string{v}
						}
					}
				}
			}
			if f.Errors > 0 || f.Panics > 0 {
				s.NumLabel = map[string][]int64{"errors": {f.Errors}, "panics": {f.Panics}}
			}
			p.Sample = append(p.Sample, s)
		})
	}
	return p.Write(w)
}
