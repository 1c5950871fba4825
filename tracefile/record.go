package tracefile

// Span is one decoded span record.
type Span struct {
	TraceID  [16]byte
	SpanID   [8]byte
	ParentID [8]byte // zero: no parent
	Name     string
	Function string // code.function.name
	File     string // code.file.path
	Line     int    // code.line.number; -1 when unknown
	StartNs  int64  // Unix ns
	DurNs    int64
	Pid      int
	Status   uint8 // StatusOK, StatusError or StatusPanic

	Tracestate string
	Error      string
	// Panic fields, recorded when Status is StatusPanic.
	HasPanic                                 bool
	PanicValue, PanicLocation, PanicFunction string
	Attrs                                    []Attr
}

// Attr is a span attribute: Kind says which value field holds its value.
type Attr struct {
	Key   string
	Kind  Kind
	Str   string
	Int   int64
	Uint  uint64
	Float float64
	Bool  bool
}

// Process is a process record, written once by a process at shutdown.
type Process struct {
	Pid          int
	Cmd          string
	StartNs      int64
	Spans        uint64
	Dropped      uint64
	PendingCount uint64
	WriteErrors  uint64
	Untracked    uint64
	Pending      []string // names of some pending spans
}

// site is an entry of a process's site table.
type site struct {
	name, function, file string
	line                 int
}

// tables are what one process has defined so far.
type tables struct {
	sites   map[uint64]site
	strings map[uint64]string
}

// Cost is what recording one span cost the process that wrote a trace, as
// it measured itself at start (docs/trace-format.md, the cost record):
// InnerNs inside the span's own interval, OuterNs all of it as the
// enclosing span sees it (InnerNs included). Readers subtract it (see
// internal/hotspot.Cost).
type Cost struct {
	Pid              int
	InnerNs, OuterNs int64
}
