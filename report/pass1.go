package report

import (
	"encoding/binary"
	"fmt"
	"runtime"
	"slices"

	"github.com/autotrace/autotrace/internal/hotspot"
	"github.com/autotrace/autotrace/tracefile"
)

// item is a parsed record on its way from the reader to an aggregator.
type item struct {
	span   hotspot.Span
	errMsg string
	pos    int64            // the span's place among those aggregated, from 1 (see hotspot.AddAt)
	proc   *hotspot.Process // a process record, else nil
	cost   *tracefile.Cost  // a cost record, else nil
}

// batchSize is the number of records handed over at a time.
const batchSize = 512

// maxWorkers bounds the aggregators pass 1 splits the spans among.
const maxWorkers = 4

// workerCount is the number of aggregators for pass 1: one per core up to
// maxWorkers, beside the reader (which takes about a third of the CPU, so
// on two cores two aggregators and the reader share them), one where the
// options need every span of a name in one place (-by's value caps).
func (r *run) workerCount(d *data) int {
	if len(r.filter.by) > 0 {
		return 1
	}
	if testWorkers > 0 {
		return testWorkers
	}
	return min(max(runtime.GOMAXPROCS(0), 1), maxWorkers)
}

// testWorkers, when positive, is the number of aggregators tests ask for.
var testWorkers int

// worker is one aggregator of pass 1, on its own goroutine, fed batches
// of records (recycled through free).
type worker struct {
	agg        *hotspot.Aggregator
	full, free chan []item
	batch      []item // being filled by the reader
	done       chan struct{}
	timeline   *runTimeline // html: its spans on the run timeline
}

// pass1 reads and parses on this goroutine while others aggregate, so that
// the work uses every core: spans are split among the workers by trace ID
// (every span of a trace reaches one aggregator, which finds each parent's
// children), cost records go to all, process records to the first; the
// aggregators are merged at the end.
func (r *run) pass1(d *data, opts []hotspot.Option) (*hotspot.Aggregator, error) {
	n := r.workerCount(d)
	if n > 1 {
		// Each bounds its own pending parents: together, the one bound.
		opts = append(opts, hotspot.MaxPending(hotspot.DefaultMaxPending/n))
	}
	ws := make([]*worker, n)
	for i := range ws {
		w := &worker{full: make(chan []item, 4), free: make(chan []item, 6), done: make(chan struct{})}
		wopts := opts
		if r.format == "html" {
			tl := &runTimeline{}
			w.timeline = tl
			wopts = append(slices.Clip(opts), hotspot.OnSpan(func(s hotspot.Span, name string, self int64) {
				tl.add(s.Pid, s.Start, s.Dur, name, self, s.IsRoot())
			}))
		}
		w.agg = hotspot.New(wopts...)
		for range cap(w.free) {
			w.free <- make([]item, 0, batchSize)
		}
		w.batch = <-w.free
		ws[i] = w
		go r.aggregate(w, d)
	}
	put := func(w *worker, it item) {
		w.batch = append(w.batch, it)
		if len(w.batch) == batchSize {
			w.full <- w.batch
			w.batch = <-w.free
		}
	}
	var layout *worker
	if r.tl != nil {
		layout = r.startLayout()
	}
	r.onCost = func(c tracefile.Cost) {
		for _, w := range ws {
			put(w, item{cost: &c})
		}
	}
	defer func() { r.onCost = nil }()
	p := newParser()
	p.wantError = r.tl != nil
	p.wantAttrs = len(r.filter.by) > 0
	var err error
	var pos int64
	for i := range r.inputs {
		in := &r.inputs[i]
		d.inputs = append(d.inputs, in.name)
		err = r.records(1, in, p, nil, nil, func(rec *record, proc *hotspot.Process) {
			if proc != nil {
				put(ws[0], item{proc: proc})
				return
			}
			in.spans++
			if r.keep != nil && !r.keep[rec.span.TraceID] {
				return
			}
			if len(r.filter.by) > 0 {
				rec.span.Groups = r.filter.groups(rec.attrs)
			}
			pos++
			put(ws[traceWorker(&rec.span.TraceID, n)], item{span: rec.span, errMsg: rec.errMsg, pos: pos})
			if layout != nil {
				put(layout, item{span: rec.span, errMsg: rec.errMsg})
			}
		})
		if err != nil {
			break
		}
		if in.spans == 0 {
			r.prog.clear()
			fmt.Fprintf(r.stderr, "report: %s: a trace with no spans\n", in.name)
		}
	}
	for _, w := range ws {
		if len(w.batch) > 0 {
			w.full <- w.batch
		}
		close(w.full)
	}
	if layout != nil {
		if len(layout.batch) > 0 {
			layout.full <- layout.batch
		}
		close(layout.full)
		<-layout.done
	}
	agg := ws[0].agg
	for i, w := range ws {
		<-w.done
		if i > 0 {
			agg.Merge(w.agg)
			if w.timeline != nil {
				ws[0].timeline.merge(w.timeline)
			}
		}
	}
	d.run = ws[0].timeline
	return agg, err
}

// traceWorker returns the worker of the trace id among n: IDs are random
// in the runtime's traces, but imported ones may count up, so both halves
// are mixed in.
func traceWorker(id *[16]byte, n int) int {
	if n == 1 {
		return 0
	}
	x := binary.LittleEndian.Uint64(id[:8]) ^ binary.LittleEndian.Uint64(id[8:])
	x *= 0x9e3779b97f4a7c15
	return int((x >> 32) * uint64(n) >> 32)
}

// aggregate is w's goroutine: it accounts for the batches until full is
// closed, holding each process's first spans until its cost is known.
func (r *run) aggregate(w *worker, d *data) {
	defer close(w.done)
	agg := w.agg
	hold := costHold{off: r.raw, add: func(it *item) {
		agg.AddAt(it.span, it.pos)
	}}
	for b := range w.full {
		for i := range b {
			it := &b[i]
			switch {
			case it.proc != nil:
				agg.AddProcess(*it.proc)
			case it.cost != nil:
				agg.SetCost(it.cost.Pid, hotspot.Cost{Inner: it.cost.InnerNs, Outer: it.cost.OuterNs,
					FoldInner: it.cost.FoldInnerNs, FoldOuter: it.cost.FoldOuterNs, FoldRecord: it.cost.FoldRecordNs})
				hold.cost(it.cost.Pid)
			default:
				hold.span(it)
			}
		}
		w.free <- b[:0]
	}
	hold.release()
}

// startLayout starts the goroutine that lays out and writes the spans for
// chrome and perfetto (timeline), fed in the order they are read, so that
// the file is the same on every run while the aggregators split the spans.
func (r *run) startLayout() *worker {
	w := &worker{full: make(chan []item, 4), free: make(chan []item, 6), done: make(chan struct{})}
	for range cap(w.free) {
		w.free <- make([]item, 0, batchSize)
	}
	w.batch = <-w.free
	g := newSpanGrouper(r.tl, r.tl.maxWaiting)
	go func() {
		defer close(w.done)
		for b := range w.full {
			for i := range b {
				if b[i].span.Folded == 0 { // chrome and perfetto draw spans; folded calls are not
					g.add(&b[i].span, b[i].errMsg)
				}
			}
			w.free <- b[:0]
		}
		g.flush()
	}()
	return w
}
