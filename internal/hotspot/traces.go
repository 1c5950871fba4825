package hotspot

import (
	"bytes"
	"slices"
	"time"
)

// Trace summarises one of the slowest traces.
//
// The aggregator ranks traces by their longest span (normally the root) and
// fills in ID, Root, Start and Dur. Analyze, given all spans of the trace,
// fills in the rest, the critical path included.
type Trace struct {
	ID     [16]byte
	Root   string // name of the root span (while ranking: of the longest span)
	Start  int64  // Unix nanoseconds
	Dur    time.Duration
	Spans  int   // spans seen in the trace, folded calls included (0 until analysed)
	Errors int   // spans with StatusError
	Panics int   // spans with StatusPanic
	Pids   []int // processes the trace ran in, sorted
	// RootID is the span ID of the trace's longest span, found while
	// ranking (normally the root).
	RootID [8]byte
	// PathOver, when non-zero, is the number of the trace's spans the
	// critical path was found among: fewer than Spans, for a trace too
	// large to hold (the root and the spans that arrived first).
	PathOver int
	// Path is the critical path, the spans that determine when the root
	// ends, depth first in time order: under each span, the child that
	// ended last (without outliving it), preceded by the child that ended
	// last before that one started, and so on back to the span's start.
	// Time on the path not covered by a step's children is its own.
	Path []Step
}

// Step is one span on a critical path.
type Step struct {
	Name   string
	SpanID [8]byte
	Pid    int
	Start  int64 // Unix nanoseconds
	Dur    time.Duration
	Self   time.Duration
	Status uint8
	Depth  int // 0 for the root, 1 for its children on the path, …
}

// topTraces keeps the n traces with the longest spans: a min-heap on the
// longest span, indexed by trace ID.
type topTraces struct {
	n   int
	h   []Trace
	pos map[[16]byte]int
}

func (t *topTraces) init(n int) {
	t.n = n
	t.pos = make(map[[16]byte]int, n)
}

// less orders the heap: shorter first, then later IDs first, so the kept set
// does not depend on arrival order.
func (t *topTraces) less(i, j int) bool {
	a, b := &t.h[i], &t.h[j]
	if a.Dur != b.Dur {
		return a.Dur < b.Dur
	}
	return bytes.Compare(a.ID[:], b.ID[:]) > 0
}

func (t *topTraces) swap(i, j int) {
	t.h[i], t.h[j] = t.h[j], t.h[i]
	t.pos[t.h[i].ID] = i
	t.pos[t.h[j].ID] = j
}

func (t *topTraces) up(i int) {
	for i > 0 {
		p := (i - 1) / 2
		if !t.less(i, p) {
			return
		}
		t.swap(i, p)
		i = p
	}
}

func (t *topTraces) down(i int) {
	for {
		l := 2*i + 1
		if l >= len(t.h) {
			return
		}
		m := l
		if r := l + 1; r < len(t.h) && t.less(r, l) {
			m = r
		}
		if !t.less(m, i) {
			return
		}
		t.swap(i, m)
		i = m
	}
}

// add ranks the trace of s by s if s is its longest span so far.
func (t *topTraces) add(s *Span) {
	if t.n == 0 {
		return
	}
	// Shorter than the shortest kept when all are taken: not the longest
	// span of a kept trace, and ranked below every one (most spans).
	if len(t.h) == t.n && time.Duration(s.Dur) < t.h[0].Dur {
		return
	}
	t.addTrace(Trace{ID: s.TraceID, Root: s.Name, Start: s.Start, Dur: time.Duration(s.Dur), RootID: s.SpanID})
}

// addTrace ranks the trace c.ID by its span c if c is its longest so far.
func (t *topTraces) addTrace(c Trace) {
	if t.n == 0 {
		return
	}
	if i, ok := t.pos[c.ID]; ok {
		if c.Dur > t.h[i].Dur {
			t.h[i] = c
			t.down(i)
		}
		return
	}
	if len(t.h) < t.n {
		t.h = append(t.h, c)
		t.pos[c.ID] = len(t.h) - 1
		t.up(len(t.h) - 1)
		return
	}
	t.h = append(t.h, c) // compare the candidate with the minimum
	if t.less(len(t.h)-1, 0) {
		t.h = t.h[:len(t.h)-1]
		return
	}
	delete(t.pos, t.h[0].ID)
	t.h[0] = c
	t.h = t.h[:len(t.h)-1]
	t.pos[c.ID] = 0
	t.down(0)
}

// sorted returns the kept traces, slowest first.
func (t *topTraces) sorted() []Trace {
	out := slices.Clone(t.h)
	slices.SortFunc(out, compareTraces)
	return out
}

func compareTraces(a, b Trace) int {
	if a.Dur != b.Dur {
		if a.Dur > b.Dur {
			return -1
		}
		return 1
	}
	return bytes.Compare(a.ID[:], b.ID[:])
}

// Analyze summarises the spans of one trace and finds its critical path. The
// root is the span without a parent that ends last (the longest on a tie);
// failing one, the span whose parent is not in spans that ends last. The
// trace's Start and Dur span all of its spans. Fold records (Span.Folded)
// count their calls in Spans and their time off their parent's self
// time; they are not steps of the path.
func Analyze(spans []Span) Trace {
	var t Trace
	if len(spans) == 0 {
		return t
	}
	t.ID = spans[0].TraceID
	t.Spans = len(spans)
	byID := make(map[[8]byte]int, len(spans))
	for i := range spans {
		if spans[i].Folded == 0 {
			byID[spans[i].SpanID] = i
		}
	}
	kids := make(map[int][]int)
	folded := map[int]int64{} // by parent: the time of its folded children (Span.Folded)
	root := -1
	start, end := spans[0].Start, spans[0].End()
	pids := map[int]bool{}
	for i := range spans {
		s := &spans[i]
		if s.Folded > 0 { // calls, not a span: counted, and taken off the parent's self time
			t.Spans += int(s.Folded) - 1
			if p, ok := byID[s.ParentID]; ok {
				folded[p] += s.Dur
			}
			continue
		}
		start = min(start, s.Start)
		end = max(end, s.End())
		pids[s.Pid] = true
		switch s.Status {
		case StatusError:
			t.Errors++
		case StatusPanic:
			t.Panics++
		}
		if p, ok := byID[s.ParentID]; ok && !s.IsRoot() && p != i {
			kids[p] = append(kids[p], i)
			continue
		}
		if root < 0 || (s.IsRoot() && !spans[root].IsRoot()) ||
			(s.IsRoot() == spans[root].IsRoot() && laterEnd(s, &spans[root])) {
			root = i
		}
	}
	if root < 0 { // every span has a parent: a cycle in malformed input
		root = slices.IndexFunc(spans, func(s Span) bool { return s.Folded == 0 })
		if root < 0 {
			return t // fold records alone
		}
		for i := range spans {
			if spans[i].Folded == 0 && laterEnd(&spans[i], &spans[root]) {
				root = i
			}
		}
	}
	t.Start, t.Dur = start, time.Duration(end-start)
	for p := range pids {
		t.Pids = append(t.Pids, p)
	}
	slices.Sort(t.Pids)
	t.Root = spans[root].Name

	seen := map[int]bool{}
	var walk func(i, depth int)
	walk = func(i, depth int) {
		seen[i] = true
		s := &spans[i]
		ivs := make([]interval, 0, len(kids[i]))
		for _, k := range kids[i] {
			ivs = append(ivs, interval{spans[k].Start, spans[k].End()})
		}
		_, cov := union(ivs, s.Start, s.End())
		t.Path = append(t.Path, Step{
			Name: s.Name, SpanID: s.SpanID, Pid: s.Pid, Start: s.Start, Depth: depth,
			Dur: time.Duration(s.Dur), Self: time.Duration(max(s.Dur-cov-folded[i], 0)), Status: s.Status,
		})
		// Walk back from the end: the child that ended last, then the
		// one that ended last before that one started, and so on. With
		// the children latest end first, that is one forward scan: the
		// bound only moves back, so a child passed over never fits again.
		var chain []int
		until := s.End()
		byEnd := slices.Clone(kids[i])
		slices.SortFunc(byEnd, func(x, y int) int {
			switch {
			case laterEnd(&spans[x], &spans[y]):
				return -1
			case laterEnd(&spans[y], &spans[x]):
				return 1
			}
			return 0
		})
		for _, k := range byEnd {
			if seen[k] || spans[k].End() > until {
				continue
			}
			seen[k] = true
			chain = append(chain, k)
			until = spans[k].Start
		}
		for j := len(chain) - 1; j >= 0; j-- {
			walk(chain[j], depth+1)
		}
	}
	walk(root, 0)
	t.RootID = spans[root].SpanID
	return t
}

// laterEnd reports whether a ends after b (or as late and starts earlier).
func laterEnd(a, b *Span) bool {
	if a.End() != b.End() {
		return a.End() > b.End()
	}
	if a.Start != b.Start {
		return a.Start < b.Start
	}
	return bytes.Compare(a.SpanID[:], b.SpanID[:]) < 0
}
