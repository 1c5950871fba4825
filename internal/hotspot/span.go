package hotspot

import "time"

// Span status values, as in the "status" field of a trace line.
const (
	StatusOK    uint8 = iota // the span ended normally
	StatusError              // the function returned a non-nil error
	StatusPanic              // the function panicked
)

// Span is one finished span, as the aggregator needs it.
type Span struct {
	TraceID  [16]byte
	SpanID   [8]byte
	ParentID [8]byte // zero for a root span
	Name     string
	Start    int64 // Unix nanoseconds
	Dur      int64 // nanoseconds
	Status   uint8 // StatusOK, StatusError or StatusPanic
	Pid      int
	// Groups holds the span's values of the attributes a report breaks
	// time down by (see By), one per attribute; "" where it has none.
	Groups []string
	// Folded, when above zero, makes the Span a fold record (the runtime's
	// AUTOTRACE_FOLD): Folded calls of the named function under ParentID,
	// Dur their summed durations and Start the first call's start; SpanID
	// is unused. See Aggregator.Add.
	Folded int64
}

// End returns the end of the span in Unix nanoseconds.
func (s *Span) End() int64 { return s.Start + s.Dur }

// IsRoot reports whether the span has no parent.
func (s *Span) IsRoot() bool { return s.ParentID == [8]byte{} }

// Process is what a process record in a trace file says about the process
// that wrote it.
type Process struct {
	Pid     int
	Cmd     string
	Start   int64    // Unix nanoseconds
	Spans   int64    // spans the process recorded
	Dropped int64    // spans the process dropped (memory cap reached)
	Pending int64    // spans started and never ended at shutdown
	Open    []string // names of some of those spans
}

// Stat is the aggregate of all spans of one name.
type Stat struct {
	Name   string
	Count  int64
	Errors int64 // spans with StatusError
	Panics int64 // spans with StatusPanic
	Total  time.Duration
	Self   time.Duration
	Mean   time.Duration
	P50    time.Duration
	P95    time.Duration
	P99    time.Duration
	Max    time.Duration
	// Folded is how many of Count were folded calls (Span.Folded): their
	// time is in Total, Self and Mean, but not in the percentiles or Max,
	// which are of the calls written in full (none when Folded == Count).
	Folded int64
	// Groups breaks the row down by the values of each By attribute (in
	// the order of Span.Groups), most self time first: the top values,
	// then OtherGroup; NoGroup for spans without the attribute. Nil
	// without By; an attribute no span of the name had has no rows.
	Groups [][]Stat
}
