package compare

import (
	"fmt"

	"github.com/autotrace/autotrace/internal/hotspot"
	"github.com/autotrace/autotrace/report"
)

// maxMalformedAt is the number of malformed lines a Side names.
const maxMalformedAt = 3

// Side is one side of a comparison, the base or the head: every span of
// its trace files, kept as per-name samples of duration and self time
// (8 bytes a span; self time computed as report computes it).
type Side struct {
	Files       []string
	Spans       int64    // spans read
	Roots       int64    // root spans: traces begun in the recorded processes
	Dropped     int64    // spans the recording processes dropped (process records)
	Malformed   int64    // lines that were not records
	MalformedAt []string // the first few, as file:line: error
	Sampled     int      // span names with more spans than hotspot.SampleCap, of which a uniform sample is kept
	samples     []hotspot.Samples
}

// Read reads the trace files of one side. A file that cannot be opened or
// read is an error; malformed lines are counted, not fatal.
func Read(files []string) (*Side, error) {
	agg := hotspot.New(hotspot.KeepSamples(true), hotspot.TopTraces(0))
	s := &Side{Files: files}
	for _, name := range files {
		err := report.ReadTrace(name, report.Visitor{
			Span:    func(sp *hotspot.Span) { agg.Add(*sp) },
			Process: agg.AddProcess,
			Folds:   true, // folded calls count in calls per trace
			Malformed: func(line int, err error) {
				s.Malformed++
				if len(s.MalformedAt) < maxMalformedAt {
					s.MalformedAt = append(s.MalformedAt, fmt.Sprintf("%s:%d: %v", name, line, err))
				}
			},
		})
		if err != nil {
			return nil, err
		}
	}
	s.fill(agg.Result())
	return s, nil
}

// fill takes the counts and samples of an aggregate.
func (s *Side) fill(r *hotspot.Result) {
	s.Spans, s.Roots, s.Dropped = r.Spans, r.Roots, r.Dropped()
	s.samples = r.Samples
	for _, x := range r.Samples {
		if int64(len(x.Dur)) < x.Count {
			s.Sampled++
		}
	}
}
