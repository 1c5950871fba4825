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

	// Calls, when above zero, makes the Span a fold record (since format
	// 1.2; returned only when Reader.Folds is set): Calls calls of the
	// site under ParentID, folded by the runtime (AUTOTRACE_FOLD), that
	// took DurNs in all, the first starting at StartNs. SpanID is zero.
	Calls uint64
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
	// Sites by id: the runtime numbers them from 1, so most ids index
	// dense (looked up once per span); larger ones go in far.
	dense   []site
	known   []bool // dense[i] is defined
	far     map[uint64]site
	strings map[uint64]string
}

// maxDenseSite bounds the ids kept in tables.dense.
const maxDenseSite = 1 << 16

func newTables() *tables {
	return &tables{far: make(map[uint64]site), strings: make(map[uint64]string)}
}

// setSite defines site id.
func (t *tables) setSite(id uint64, s site) {
	if id >= maxDenseSite {
		t.far[id] = s
		return
	}
	if int(id) >= len(t.dense) {
		n := max(int(id)+1, 2*len(t.dense))
		t.dense = append(t.dense, make([]site, n-len(t.dense))...)
		t.known = append(t.known, make([]bool, n-len(t.known))...)
	}
	t.dense[id], t.known[id] = s, true
}

// site returns site id and whether it is defined.
func (t *tables) site(id uint64) (*site, bool) {
	if id < uint64(len(t.dense)) {
		return &t.dense[id], t.known[id]
	}
	if id < maxDenseSite {
		return &noSite, false
	}
	s, ok := t.far[id]
	return &s, ok
}

// noSite is what site returns for an undefined id; never written.
var noSite site

// Cost is what recording one span cost the process that wrote a trace, as
// it measured itself at start (docs/trace-format.md, the cost record):
// InnerNs inside the span's own interval, OuterNs all of it as the
// enclosing span sees it (InnerNs included). Readers subtract it (see
// internal/hotspot.Cost). InnerNs (and FoldInnerNs) is negative when the
// span's end time was read before its own work finished: that much of a
// span's work lies outside its interval, in its parent's.
type Cost struct {
	Pid              int
	InnerNs, OuterNs int64
	// FoldInnerNs and FoldOuterNs are the same for a folded call (since
	// format 1.2; 0 when not measured).
	FoldInnerNs, FoldOuterNs int64
	// FoldRecordNs is what writing one fold record adds to its parent's
	// end, outside the parent's interval (since format 1.2).
	FoldRecordNs int64
}
