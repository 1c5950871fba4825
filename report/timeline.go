package report

import (
	"slices"
	"strconv"
	"sync"

	"github.com/autotrace/autotrace/internal/hotspot"
)

// The chrome and perfetto formats are written while pass 1 reads, in
// bounded memory: spans wait in groups, one per trace and process, until
// the group is complete (its root arrives after some of its children, as
// the runtime writes spans when they end) or, past the cap on waiting
// spans, until it is the least recently added to. A group is then laid out
// on its own: assignLanes spreads its spans over sub-lanes on which they
// nest, and each sub-lane goes onto the lowest lane of its process that is
// free from its first start on (laneSet). Every lane's spans are so written
// in time order, group after group; across lanes the file is in the order
// groups complete, which the readers sort (Perfetto's trace processor sorts
// the packets of a trace by timestamp; the Trace Event Format does not ask
// for sorted events). A group laid out before its trace is complete (the
// cap, or a child that ends after its root) is drawn apart from the rest
// of its trace, on lanes of its own: every span is still in the file, and
// every lane nests.

// DefaultMaxWaiting bounds the spans that wait for the rest of their group
// (about 100 bytes each).
const defaultMaxWaiting = 1 << 19

// cspan is a span kept for the chrome and perfetto formats until its group
// is laid out.
type cspan struct {
	trace      [16]byte
	id, parent [8]byte
	start, dur int64
	name, err  string
	status     uint8
}

// timelineSink writes laid-out groups in one format.
type timelineSink interface {
	// lanes tells that process pid (named name, or "" until its record is
	// read) now has n lanes, before spans are written on the new ones.
	lanes(pid int32, n int) error
	// spans writes a group: lane[i] is the lane of group[i]; order lists
	// the group's spans lane by lane, each lane's by start, the longer
	// first, parents before their children.
	spans(pid int32, group []cspan, lane, order []int) error
	// finish writes what ends the file, with every process's record.
	finish(procs []hotspot.Process) error
}

// timeline is the layout shared by pass 1's aggregators: the lanes of each
// process and the sink, under one lock.
type timeline struct {
	mu         sync.Mutex
	sink       timelineSink
	lanes      map[int32]*laneSet
	maxWaiting int   // per grouper
	err        error // the sink's first error: nothing more is written
	groups     int64 // laid out, for tests
}

func newTimeline(sink timelineSink, maxWaiting int) *timeline {
	return &timeline{sink: sink, lanes: map[int32]*laneSet{}, maxWaiting: max(maxWaiting, 1)}
}

// layoutScratch is the memory layOut reuses from group to group.
type layoutScratch struct {
	lanes  laneScratch
	items  []laneItem
	lo, hi []int64
	lane   []int
	order  []int // the group's spans by lane, then as assign placed them
	count  []int
}

// layOut places a group's spans and writes them.
func (tl *timeline) layOut(pid int32, spans []cspan, sc *layoutScratch) {
	items := sc.items[:0]
	for i := range spans {
		s := &spans[i]
		items = append(items, laneItem{start: s.start, end: s.start + s.dur, id: s.id, parent: s.parent})
	}
	sc.items = items
	sub, _, nsub := sc.lanes.assign(items)
	// Each sub-lane's extent, then its lane in the process.
	lo := slices.Grow(sc.lo[:0], nsub)[:nsub]
	hi := slices.Grow(sc.hi[:0], nsub)[:nsub]
	sc.lo, sc.hi = lo, hi
	for l := range nsub {
		lo[l], hi[l] = 1<<63-1, -1<<63
	}
	for i, it := range items {
		lo[sub[i]] = min(lo[sub[i]], it.start)
		hi[sub[i]] = max(hi[sub[i]], it.end)
	}
	tl.mu.Lock()
	defer tl.mu.Unlock()
	if tl.err != nil {
		return
	}
	tl.groups++
	ls := tl.lanes[pid]
	if ls == nil {
		ls = &laneSet{}
		tl.lanes[pid] = ls
	}
	before := len(ls.last)
	lane := slices.Grow(sc.lane[:0], nsub)[:nsub]
	sc.lane = lane
	for l := range nsub {
		lane[l] = ls.place(lo[l], hi[l])
	}
	if len(ls.last) > before {
		if tl.err = tl.sink.lanes(pid, len(ls.last)); tl.err != nil {
			return
		}
	}
	for i := range sub {
		sub[i] = lane[sub[i]]
	}
	// The write order: lane by lane (a counting sort, stable), each
	// lane's spans in the order assign placed them, by start.
	count := slices.Grow(sc.count[:0], len(ls.last)+1)[:len(ls.last)+1]
	clear(count)
	sc.count = count
	for _, l := range sub {
		count[l+1]++
	}
	for l := 1; l < len(count); l++ {
		count[l] += count[l-1]
	}
	order := slices.Grow(sc.order[:0], len(spans))[:len(spans)]
	sc.order = order
	for _, i := range sc.lanes.order {
		l := sub[i]
		order[count[l]] = i
		count[l]++
	}
	tl.err = tl.sink.spans(pid, spans, sub, order)
}

// finish writes the end of the file once every grouper has flushed.
func (tl *timeline) finish(procs []hotspot.Process) error {
	if tl.err != nil {
		return tl.err
	}
	return tl.sink.finish(procs)
}

// processName is a process's command from procs, else "pid N".
func processName(procs []hotspot.Process, pid int64) string {
	for _, p := range procs {
		if int64(p.Pid) == pid && p.Cmd != "" {
			return p.Cmd
		}
	}
	return "pid " + strconv.FormatInt(pid, 10)
}

// groupKey is a group's trace and process.
type groupKey struct {
	trace [16]byte
	pid   int32
}

// spanGroup is the waiting spans of one trace in one process, on a list
// from the least recently added to.
type spanGroup struct {
	key        groupKey
	spans      []cspan
	prev, next *spanGroup
}

// spanGrouper is one aggregator's waiting groups (the aggregators split
// spans by trace, so a trace's spans meet in one grouper).
type spanGrouper struct {
	tl         *timeline
	groups     map[groupKey]*spanGroup
	head, tail *spanGroup // least and most recently added to
	last       *spanGroup // the group of the last span, if still waiting
	waiting    int
	max        int
	free       []*spanGroup // laid out, their spans' memory to reuse
	freeCap    int          // the span slots of free
	scratch    layoutScratch
}

// keptSpans bounds the span slots of the laid-out groups kept for reuse
// (some 100 bytes each): a trace's group is some 100 spans, and the memory
// kept stays a few MB.
const keptSpans = 1 << 16

func newSpanGrouper(tl *timeline, max int) *spanGrouper {
	return &spanGrouper{tl: tl, groups: map[groupKey]*spanGroup{}, max: max}
}

// add files s (with its error message) in its group, laying out the group
// when s is a root that some of its children reached first, and the least
// recently added to groups while too many spans wait.
func (g *spanGrouper) add(s *hotspot.Span, errMsg string) {
	k := groupKey{s.TraceID, int32(s.Pid)}
	gr := g.last // a trace's spans often come one after another
	if gr == nil || gr.key != k {
		gr = g.groups[k]
	}
	if gr == nil {
		if n := len(g.free); n > 0 {
			gr, g.free = g.free[n-1], g.free[:n-1]
			g.freeCap -= cap(gr.spans)
			gr.key = k
		} else {
			gr = &spanGroup{key: k}
		}
		g.groups[k] = gr
	} else {
		g.unlink(gr)
	}
	gr.spans = append(gr.spans, cspan{trace: s.TraceID, id: s.SpanID, parent: s.ParentID, start: s.Start,
		dur: max(s.Dur, 0), name: s.Name, err: errMsg, status: s.Status})
	g.waiting++
	g.last = gr
	if s.IsRoot() && len(gr.spans) > 1 {
		g.release(gr)
	} else {
		g.link(gr)
	}
	for g.waiting > g.max && g.head != nil {
		h := g.head
		g.unlink(h)
		g.release(h)
	}
}

// flush lays out every group still waiting, the least recently added to
// first.
func (g *spanGrouper) flush() {
	for g.head != nil {
		h := g.head
		g.unlink(h)
		g.release(h)
	}
}

// release lays out gr, unlinked, and forgets it.
func (g *spanGrouper) release(gr *spanGroup) {
	if g.last == gr {
		g.last = nil
	}
	delete(g.groups, gr.key)
	g.waiting -= len(gr.spans)
	g.tl.layOut(gr.key.pid, gr.spans, &g.scratch)
	if g.freeCap+cap(gr.spans) <= keptSpans {
		g.freeCap += cap(gr.spans)
		clear(gr.spans) // its strings, for the collector
		gr.spans = gr.spans[:0]
		g.free = append(g.free, gr)
	}
}

func (g *spanGrouper) link(gr *spanGroup) {
	gr.prev, gr.next = g.tail, nil
	if g.tail != nil {
		g.tail.next = gr
	} else {
		g.head = gr
	}
	g.tail = gr
}

func (g *spanGrouper) unlink(gr *spanGroup) {
	if gr.prev != nil {
		gr.prev.next = gr.next
	} else {
		g.head = gr.next
	}
	if gr.next != nil {
		gr.next.prev = gr.prev
	} else {
		g.tail = gr.prev
	}
	gr.prev, gr.next = nil, nil
}
