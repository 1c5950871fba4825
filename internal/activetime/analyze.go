package activetime

import (
	"fmt"
	"io"
	"slices"

	"golang.org/x/exp/trace"
)

// SpanLogCategory is the trace.Log category under which the autotrace
// runtime logs a span's id in the span's task.
const SpanLogCategory = "autotrace.span"

// Bounds on what the analysis keeps.
const (
	maxGoroutinesPerSpan = 64 // distinct goroutines counted per span
	maxChain             = 64 // ancestor tasks a goroutine's time goes to
	maxLocations         = 10 // locations kept per span name
)

// A Span is one span's time, from the execution trace.
type Span struct {
	ID         string // the autotrace span id, 16 hex digits
	Name       string
	Start      int64 // trace clock, nanoseconds; 0 when the trace missed it
	End        int64 // 0 when the span had not ended when the trace did
	Wall       int64 // End-Start, or up to the end of the trace
	Goroutines int   // goroutines that worked for it (at most 64 counted)
	Time       Breakdown
	// Others is the part of Time spent on goroutines other than the
	// span's own (where its region opened): helpers it started or
	// adopted, or children on other goroutines.
	Others int64
}

// A Name sums the spans of one name.
type Name struct {
	Name      string
	Count     int
	Wall      int64
	Time      Breakdown
	Others    int64      // the part of Time on other goroutines than the spans' own
	Locations []Location // where its spans blocked most, most first
}

// Result is the analysis of one execution trace.
type Result struct {
	Spans    []Span // autotrace spans, longest first
	Names    []Name // by total blocked time, then wall time
	Events   int64
	Duration int64 // nanoseconds between the first and last event
	// Truncated is the error that ended reading early, as when the
	// program crashed while writing the trace; the rest was analysed.
	Truncated error
}

// task is what the analysis knows of a runtime/trace task.
type task struct {
	name   string
	parent trace.TaskID
	spanID string
	start  trace.Time
	end    trace.Time
	gos    []trace.GoID
	own    trace.GoID // where its first region opened; NoGoroutine before
	time   Breakdown
	others int64
}

// gstate is a goroutine's state since its last transition.
type gstate struct {
	state  trace.GoState
	since  trace.Time
	cat    Category // when waiting or in a syscall
	loc    locKey   // where it blocked; fn empty when unknown
	assist bool     // in a GC mark assist (on CPU, for the GC)
	known  bool     // the state was entered, not just reported at a generation boundary
	stack  []trace.TaskID
}

// analyser holds the state of one pass over a trace.
type analyser struct {
	tasks map[trace.TaskID]*task
	gs    map[trace.GoID]*gstate
	locs  map[string]map[locKey]*Location // by span name
	chain []*task                         // scratch
	names []string                        // scratch
	first trace.Time
	last  trace.Time
	n     int64
	real  int64 // events other than Sync
}

// Analyze reads an execution trace and attributes every goroutine's time
// to the spans it worked for.
func Analyze(r io.Reader) (*Result, error) {
	rd, err := trace.NewReader(r)
	if err != nil {
		return nil, fmt.Errorf("not a Go execution trace: %v", err)
	}
	a := &analyser{
		tasks: map[trace.TaskID]*task{},
		gs:    map[trace.GoID]*gstate{},
		locs:  map[string]map[locKey]*Location{},
	}
	var truncated error
	for {
		ev, err := rd.ReadEvent()
		if err == io.EOF {
			if a.real == 0 {
				return nil, fmt.Errorf("execution trace has no events")
			}
			break
		}
		if err != nil {
			if a.real == 0 {
				return nil, fmt.Errorf("not a Go execution trace: %v", err)
			}
			// A truncated trace (a crash while writing): keep what was read.
			truncated = err
			break
		}
		if ev.Kind() != trace.EventSync {
			a.real++
		}
		a.event(&ev)
	}
	for id, g := range a.gs {
		a.flush(id, g, a.last)
	}
	res := a.result()
	res.Truncated = truncated
	return res, nil
}

// event updates the analysis with one event.
func (a *analyser) event(ev *trace.Event) {
	now := ev.Time()
	if a.n == 0 {
		a.first = now
	}
	a.n++
	a.last = max(a.last, now)
	switch ev.Kind() {
	case trace.EventTaskBegin:
		t := ev.Task()
		k := a.task(t.ID)
		k.name, k.parent, k.start = t.Type, t.Parent, now
	case trace.EventTaskEnd:
		t := ev.Task()
		k := a.task(t.ID)
		k.end = now
		if k.name == "" {
			k.name = t.Type
		}
	case trace.EventLog:
		if l := ev.Log(); l.Category == SpanLogCategory {
			a.task(l.Task).spanID = l.Message
		}
	case trace.EventRegionBegin:
		id := ev.Goroutine()
		g := a.g(id, now)
		a.flush(id, g, now)
		r := ev.Region()
		g.stack = append(g.stack, r.Task)
		if k := a.task(r.Task); k.own == trace.NoGoroutine {
			k.own = id
			if k.name == "" { // the task began before a snapshot's window
				k.name = r.Type
			}
		}
	case trace.EventRegionEnd:
		id := ev.Goroutine()
		g := a.g(id, now)
		a.flush(id, g, now)
		t := ev.Region().Task
		for i := len(g.stack) - 1; i >= 0; i-- {
			if g.stack[i] == t {
				g.stack = g.stack[:i]
				break
			}
		}
	case trace.EventRangeBegin, trace.EventRangeEnd:
		if rg := ev.Range(); rg.Name == "GC mark assist" && rg.Scope.Kind == trace.ResourceGoroutine {
			id := rg.Scope.Goroutine()
			g := a.g(id, now)
			a.flush(id, g, now)
			g.assist = ev.Kind() == trace.EventRangeBegin
		}
	case trace.EventStateTransition:
		st := ev.StateTransition()
		if st.Resource.Kind != trace.ResourceGoroutine {
			return
		}
		id := st.Resource.Goroutine()
		from, to := st.Goroutine()
		g := a.g(id, now)
		if from != trace.GoUndetermined || g.state == trace.GoUndetermined {
			g.state = from
		}
		a.flush(id, g, now)
		if from == trace.GoWaiting || from == trace.GoSyscall {
			if from != to {
				a.countBlock(g)
			}
		}
		if to != from || !g.known {
			a.enter(g, to, st)
		}
		if to == trace.GoNotExist {
			delete(a.gs, id)
		}
	}
}

// enter records that g moved to state to (or, at the start of the trace or
// of a snapshot, that it is in it).
func (a *analyser) enter(g *gstate, to trace.GoState, st trace.StateTransition) {
	g.state, g.known = to, true
	g.loc = locKey{}
	switch to {
	case trace.GoWaiting:
		g.cat = blockCategory(st.Reason)
	case trace.GoSyscall:
		g.cat = Syscall
	default:
		return
	}
	if fn, file, line, ok := blockSite(st.Stack); ok {
		g.loc = locKey{fn: fn, file: file, line: line, cat: g.cat}
	}
}

func (a *analyser) task(id trace.TaskID) *task {
	t := a.tasks[id]
	if t == nil {
		t = &task{parent: trace.NoTask, own: trace.NoGoroutine}
		a.tasks[id] = t
	}
	return t
}

func (a *analyser) g(id trace.GoID, now trace.Time) *gstate {
	g := a.gs[id]
	if g == nil {
		g = &gstate{since: now}
		a.gs[id] = g
	}
	return g
}

// category returns what g is doing in its current state, and false when
// the state is not time spent for anyone (the goroutine does not exist).
func (g *gstate) category() (Category, bool) {
	switch g.state {
	case trace.GoRunning:
		if g.assist {
			return GC, true
		}
		return CPU, true
	case trace.GoRunnable:
		return Runnable, true
	case trace.GoWaiting, trace.GoSyscall:
		return g.cat, true
	}
	return 0, false
}

// flush gives the time g spent in its state since g.since to the tasks
// open on it, and restarts the clock at now.
func (a *analyser) flush(id trace.GoID, g *gstate, now trace.Time) {
	d := int64(now - g.since)
	g.since = now
	if d <= 0 || len(g.stack) == 0 {
		return
	}
	cat, ok := g.category()
	if !ok {
		return
	}
	chain := a.ancestors(g.stack)
	for _, t := range chain {
		t.time[cat] += d
		if id != t.own {
			t.others += d
		}
		t.addG(id)
	}
	if g.loc.fn == "" || !cat.Blocked() {
		return
	}
	for _, name := range a.spanNames(chain) {
		a.location(name, g.loc).Blocked += d
	}
}

// countBlock counts one block at g's location, for each span it was for.
func (a *analyser) countBlock(g *gstate) {
	if g.loc.fn == "" || len(g.stack) == 0 {
		return
	}
	for _, name := range a.spanNames(a.ancestors(g.stack)) {
		a.location(name, g.loc).Count++
	}
}

// ancestors returns the tasks of the regions in stack and their
// ancestors, each once, innermost first.
func (a *analyser) ancestors(stack []trace.TaskID) []*task {
	a.chain = a.chain[:0]
	for i := len(stack) - 1; i >= 0 && len(a.chain) < maxChain; i-- {
		for id := stack[i]; id != trace.NoTask && id != trace.BackgroundTask && len(a.chain) < maxChain; {
			t := a.tasks[id]
			if t == nil || slices.Contains(a.chain, t) {
				break
			}
			a.chain = append(a.chain, t)
			id = t.parent
		}
	}
	return a.chain
}

// spanNames returns the distinct names of the autotrace spans in chain.
func (a *analyser) spanNames(chain []*task) []string {
	a.names = a.names[:0]
	for _, t := range chain {
		if t.spanID != "" && !slices.Contains(a.names, t.name) {
			a.names = append(a.names, t.name)
		}
	}
	return a.names
}

func (a *analyser) location(name string, k locKey) *Location {
	m := a.locs[name]
	if m == nil {
		m = map[locKey]*Location{}
		a.locs[name] = m
	}
	l := m[k]
	if l == nil {
		l = &Location{Func: k.fn, File: k.file, Line: k.line, Category: k.cat}
		m[k] = l
	}
	return l
}

func (t *task) addG(id trace.GoID) {
	if len(t.gos) < maxGoroutinesPerSpan && !slices.Contains(t.gos, id) {
		t.gos = append(t.gos, id)
	}
}

// result sorts what the pass found into a Result.
func (a *analyser) result() *Result {
	res := &Result{Events: a.n, Duration: int64(a.last - a.first)}
	byName := map[string]*Name{}
	for _, t := range a.tasks {
		if t.spanID == "" {
			continue
		}
		s := Span{ID: t.spanID, Name: t.name, Goroutines: len(t.gos), Time: t.time, Others: t.others}
		if t.start != 0 {
			s.Start = int64(t.start - a.first)
		}
		if t.end != 0 {
			s.End = int64(t.end - a.first)
		}
		from, to := t.start, t.end
		if from == 0 {
			from = a.first
		}
		if to == 0 {
			to = a.last
		}
		s.Wall = int64(to - from)
		res.Spans = append(res.Spans, s)
		n := byName[t.name]
		if n == nil {
			n = &Name{Name: t.name}
			byName[t.name] = n
		}
		n.Count++
		n.Wall += s.Wall
		n.Others += s.Others
		n.Time.add(&s.Time)
	}
	slices.SortFunc(res.Spans, compareSpans)
	for name, n := range byName {
		n.Locations = sortLocations(a.locs[name])
		res.Names = append(res.Names, *n)
	}
	slices.SortFunc(res.Names, compareNames)
	return res
}
