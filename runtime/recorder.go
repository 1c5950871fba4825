package autotrace

import (
	"context"
	"io"
	"math/bits"
	"math/rand/v2"
	"os"
	"runtime"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

// recorder is one recording session: the span buffers the hot path writes
// into, and the exporter state that the single background goroutine (or a
// Flush or Shutdown caller) works on under mu.
type recorder struct {
	// Read-only after newRecorder: all the hot path touches.
	shards    []shard // one per P
	perShard  int     // slots in each shard, and in overflow
	wakeMask  uint64  // a push at a position p with p&wakeMask == wakeMask wakes the exporter
	sampleAll bool
	threshold uint64 // a root is sampled when a random uint64 is below it
	// flushOnRoot: the end of a root span writes the trace (see
	// flushesOnRoot), at most every flushHereEvery, until main.main starts
	// a span (mainSpanned): its EndMain then writes at exit, and a busy
	// server writes at the exporter's pace, not ~1,000 times a second.
	flushOnRoot atomic.Bool

	// roots takes the root spans that find their P's buffer full, so
	// that the spans a program ends last (main.main's, a request's) are
	// not the ones a burst before them crowds out. Only when it is full
	// too is a root span dropped, and counted.
	roots mpscRing
	// rootWake is set while a root span's end has asked the exporter to
	// write (see push): one wake-up per write, however many roots end.
	rootWake atomic.Bool

	// overflow is the buffer for Ps beyond len(shards), made when first
	// needed: most programs never change GOMAXPROCS while recording.
	overflow atomic.Pointer[mpscRing]

	lastFlushHere atomic.Int64 // monoNow of flushHere's last write
	// calibrating is set from newRecorder until calibrate returns: the
	// background goroutine answers no wake-up meanwhile, so a root span's
	// end writes on its own goroutine however recently the last one did.
	calibrating atomic.Bool
	pushGaveUp  atomic.Int64 // monoNow when pushFull last waited in vain

	wake chan struct{} // capacity 1: a pending wake-up
	stop chan struct{} // closed by Shutdown
	done chan struct{} // closed when the background goroutine exits

	mu        sync.Mutex
	exp       exporter
	closed    bool
	closeFile *os.File // the file we opened, closed at Shutdown
}

// newRecorder returns a running recorder for c, or nil (and no error) when
// c records nothing.
func newRecorder(c Config) (*recorder, error) {
	var out io.Writer = c.Writer
	var file *os.File
	if out == nil && c.Out != "" {
		format, err := appendFormat(c.Out, c.Format)
		if err != nil {
			return nil, err
		}
		c.Format = format
		f, err := os.OpenFile(c.Out, os.O_WRONLY|os.O_CREATE|os.O_APPEND, 0o644)
		if err != nil {
			return nil, err
		}
		out, file = f, f
	}
	if out == nil && c.Summary == nil && bridgeSink == nil {
		return nil, nil
	}
	chooseClock()

	// One shard per P, each a power of two.
	nshards := max(runtime.GOMAXPROCS(0), 1)
	per := max(c.BufferSize/nshards, 64)
	per = 1 << bits.Len(uint(per-1))
	r := &recorder{
		shards:    make([]shard, nshards),
		perShard:  per,
		wakeMask:  uint64(per/2 - 1),
		sampleAll: c.Sample >= 1,

		threshold: uint64(c.Sample * (1 << 64)), // exact for Sample < 1
		wake:      make(chan struct{}, 1),
		stop:      make(chan struct{}),
		done:      make(chan struct{}),
		closeFile: file,
	}
	r.flushOnRoot.Store(flushesOnRoot(os.Args))
	r.lastFlushHere.Store(-flushHereEvery) // the first root span writes
	r.pushGaveUp.Store(-dropQuiet)
	for i := range r.shards {
		r.shards[i].init(per)
	}
	r.roots.init(rootsSize)
	r.exp.init(out, c.Summary, c.Format == FormatJSONLines)
	r.exp.sink = bridgeSink
	r.exp.hold = !calibrateOff.Load() // see calibrate
	r.calibrating.Store(!calibrateOff.Load())
	resetFold()
	r.exp.fold.rule = foldRuleEnv()
	if bridgeSink != nil {
		r.exp.fold.rule.off = true // a sink takes spans one by one: nothing folds
	}
	startExec(c)
	go r.loop(c.FlushInterval)
	return r, nil
}

// sampleRoot decides whether a new root trace is recorded.
func (r *recorder) sampleRoot() bool {
	return r.sampleAll || rand.Uint64() < r.threshold
}

// push hands the ended span h (record s, extras x) to the exporter, or
// drops and counts it when its P's buffer is full, and frees its record:
// on the common path under the same pin as the push. It never blocks.
func (r *recorder) push(s *spanRec, h ref, x *spanExtra, end int64) {
	flags := s.flags.Load()
	root := flags&flagRoot != 0
	pid := procPin()
	if uint(pid) >= uint(len(r.shards)) {
		procUnpin()
		r.overflowRing().push(s, x, end)
		closeRec(s, h)
		return
	}
	q := &r.shards[pid]
	pos, ok := q.push(s, x, end)
	if ok {
		storeRelUint32(&s.gen, h.gen()+1)
		if flags&flagKept != 0 { // its goroutine's slot keeps it
			procUnpin()
		} else if !freeRecPinned(pid, h.idx()) {
			procUnpin()
			freeRecSlow(h.idx())
		} else {
			procUnpin()
		}
	} else {
		procUnpin()
	}
	if !ok {
		r.pushFull(s, x, end, pid, root)
		closeRec(s, h)
	}
	switch {
	case root && r.flushOnRoot.Load() && !mainSpanned.Load():
		r.flushHere() // also after pushFull: its drain came before this span
	case !ok:
	case pos&r.wakeMask == r.wakeMask:
		// Half a shard filled since the last wake-up: flush early.
		r.wakeUp()
	case x != nil && q.xtail.Load()&(q.xmask>>1) == 0:
		// Half its ring of extras filled: a server whose every request
		// span has attributes fills it long before its ring of spans, and
		// a full ring makes the program drain it itself (pushFull).
		r.wakeUp()
	}
}

// rootsSize is how many root spans fit beside full buffers.
const rootsSize = 256

// pushFull is push when the span's buffer is full: the exporter is late
// (a busy machine, or its duty cap). The goroutine that ended the span
// then drains the buffers itself, when no one else is, or waits for the
// exporter's drain to free a slot. It gives up (pushElsewhere: a root
// span to the roots buffer, any other dropped and counted) at once when
// waiting could take long: a bridge's sink is set (it may block on
// the network), the last write was slow (a disk slower than the program,
// see exporter.slow), or a wait of maxPushWait was in vain less than
// dropQuiet ago; and after waiting maxPushWait. A slow disk or network
// costs the program spans, not time; a burst costs it the encoding of
// its own spans rather than losing them.
func (r *recorder) pushFull(s *spanRec, x *spanExtra, end int64, shard int, root bool) {
	start := monoNow()
	if b := bridge.Load(); (b != nil && b.Sink != nil) || r.exp.slow.Load() || start-r.pushGaveUp.Load() < dropQuiet {
		r.pushElsewhere(s, x, end, shard, root)
		return
	}
	from := ticks()
	defer func() { r.recordStall(s, from, ticks()) }()
	for {
		if r.mu.TryLock() {
			if !r.closed && r.exp.sink == nil {
				r.drainLocked()
			}
			r.mu.Unlock()
		}
		pid := procPin()
		if uint(pid) < uint(len(r.shards)) {
			if _, ok := r.shards[pid].push(s, x, end); ok {
				procUnpin()
				return
			}
			shard = pid
		}
		procUnpin()
		if now := monoNow(); now-start > maxPushWait {
			r.pushGaveUp.Store(now)
			r.pushElsewhere(s, x, end, shard, root)
			return
		}
		runtime.Gosched()
	}
}

// recordStall records the time a program goroutine spent in the recorder,
// draining the buffers or waiting for the exporter after the span s ended
// (from and to in ticks), as a span named autotrace.flush beside s, under
// s's parent: readers then count the stall as the recorder's, not as the
// parent's self time (DESIGN §5). A stall after a root span is in no
// one's time and is not recorded.
func (r *recorder) recordStall(s *spanRec, from, to int64) {
	if s.parent == 0 || s.flags.Load()&flagRoot != 0 {
		return
	}
	var f spanRec
	f.traceHi.Store(s.traceHi.Load())
	f.traceLo.Store(s.traceLo.Load())
	f.id.Store(newSpanID())
	f.parent, f.start = s.parent, from
	f.site.Store(flushSite().idx)
	pushed := false
	pid := procPin()
	if uint(pid) < uint(len(r.shards)) {
		_, pushed = r.shards[pid].push(&f, nil, to)
	}
	procUnpin()
	if !pushed {
		// Full again (or another P's buffer, full since): the roots buffer,
		// which the next write empties, takes it; a stall lost would be
		// charged to the parent's self time.
		r.roots.push(&f, nil, to)
	}
}

// flushSite is the site of the recorder's stall spans.
var flushSite = sync.OnceValue(func() *callSite {
	c := &callSite{name: stallName, function: selfPrefix + "flush"}
	c.json = encodeSite(c)
	return registerSite(c)
})

// stallName names the spans of time the recorder took from the program.
const stallName = "autotrace.flush"

// pushElsewhere is the end of a span its buffer could not take: a root
// span goes to the roots buffer, which the next write empties; any other
// is dropped and counted.
func (r *recorder) pushElsewhere(s *spanRec, x *spanExtra, end int64, shard int, root bool) {
	if root {
		r.roots.push(s, x, end)
		r.wakeUp()
		return
	}
	r.shards[shard].dropped.Add(1)
}

// Bounds on pushFull's waits.
const (
	maxPushWait = int64(100 * time.Millisecond)
	dropQuiet   = int64(time.Second)
)

// wakeUp asks the background goroutine to flush soon; it never blocks.
func (r *recorder) wakeUp() {
	select {
	case r.wake <- struct{}{}:
	default:
	}
}

// flushHereEvery bounds how often flushHere writes on the program's
// goroutine: a test that calls an instrumented function in a loop starts
// a root span per call, and must not pay a write(2) for each.
const flushHereEvery = int64(time.Millisecond)

// flushHere writes the spans ended so far on the calling goroutine, whose
// root span just ended (see flushesOnRoot): the program may exit as soon
// as the work that span measured is done, and Go has no exit hook. When
// the exporter is writing it waits for that write (one batch to the
// file) rather than leave the span to a wake-up the exit may overtake.
// It wakes the exporter instead (once until the exporter's next write)
// when it wrote less than flushHereEvery ago, when the file's writes are
// slow, and when a bridge's sink is set: its exporter may block on the
// network (and the sink may be this goroutine, ending a span under the
// lock), and the program never waits for that.
func (r *recorder) flushHere() {
	now := monoNow()
	// Until the background goroutine has calibrated it answers no
	// wake-up: write here, however recently the last root did.
	throttled := now-r.lastFlushHere.Load() < flushHereEvery && !r.calibrating.Load()
	if b := bridge.Load(); throttled || b != nil && b.Sink != nil || r.exp.slow.Load() {
		if !r.rootWake.Swap(true) {
			r.wakeUp()
		}
		return
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.exp.sink != nil {
		r.wakeUp()
		return
	}
	// The loss bound of a main autotrace did not rewrite comes first: a
	// root span's end writes even before the cost record (readers hold
	// back a process's first spans until its cost record arrives).
	r.exp.hold = false
	if !r.closed {
		r.drainLocked()
	}
	r.lastFlushHere.Store(monoNow())
}

// flushNow writes the spans ended so far on the calling goroutine, waiting
// for the exporter if it is writing: for a panic that is about to leave
// the instrumented code of its goroutine and may end the process.
func (r *recorder) flushNow() {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.exp.hold = false // a panic may end the process: write now, cost record or not
	if !r.closed && r.exp.sink == nil {
		r.drainLocked()
	}
}

// overflowRing returns the overflow buffer, making it on first use.
func (r *recorder) overflowRing() *mpscRing {
	if q := r.overflow.Load(); q != nil {
		return q
	}
	q := new(mpscRing)
	q.init(r.perShard)
	if !r.overflow.CompareAndSwap(nil, q) {
		q = r.overflow.Load()
	}
	return q
}

// flushesOnRoot reports whether the end of a root span writes the trace
// (flushHere), at most every flushHereEvery: in every program but a test
// binary that runs benchmarks. A program can end at any moment after its
// work is done (main returns, a test binary calls os.Exit) without
// shutting the runtime down, and Go runs no code of ours then: writing
// when a root span ends bounds what is lost to the last millisecond, and
// the exporter, woken once, writes that soon after. Benchmarks measure
// spans as a loaded program records them, from the exporter alone. (go
// test passes -test.bench for benchmarks.)
func flushesOnRoot(args []string) bool {
	for _, a := range args[min(len(args), 1):] {
		name, val, _ := strings.Cut(strings.TrimLeft(a, "-"), "=")
		if name == "test.bench" && val != "" {
			return false
		}
	}
	return true
}

// exporterDuty caps the background goroutine's share of one CPU during
// a span storm: after a drain that took d, a wake-up for a filling buffer
// waits until (1/exporterDuty - 1)·d has passed. Spans that do not fit
// meanwhile are dropped and counted: tracing must not take a core from the
// program it observes. The periodic flush, Flush and Shutdown are not
// delayed, and at ordinary span rates the cap is never reached.
const exporterDuty = 4 // at most 1/4 of a CPU

// loop is the one background goroutine: it flushes every interval, or
// earlier when a buffer fills, until Shutdown.
func (r *recorder) loop(interval time.Duration) {
	defer close(r.done)
	if r.calibrating.Load() && r.waitActive() {
		r.calibrate()
	}
	r.calibrating.Store(false)
	tick := time.NewTicker(interval)
	defer tick.Stop()
	pause := time.NewTimer(time.Hour)
	pause.Stop()
	var rest time.Duration // how long to rest before the next early drain
	var restFrom time.Time
	for {
		select {
		case <-r.stop:
			return
		case <-tick.C:
		case <-r.wake:
			if wait := rest - time.Since(restFrom); wait > 0 {
				pause.Reset(wait)
				select {
				case <-r.stop:
					return
				case <-tick.C:
				case <-pause.C:
				}
			}
		}
		t0 := time.Now()
		r.flush()
		writeSnapshot()
		restFrom = time.Now()
		rest = (exporterDuty - 1) * restFrom.Sub(t0)
	}
}

// waitActive waits, briefly, for r to be published as the active recorder
// (newRecorder starts the background goroutine before), and reports
// whether it was. (A program that shuts down within the first
// millisecond of recording is not calibrated: readers then report its
// times as measured.)
func (r *recorder) waitActive() bool {
	for i := 0; i < 100; i++ {
		switch active.Load() {
		case r:
			return true
		case nil:
			if mode.Load() != modeUnset {
				return false
			}
		default:
			return false
		}
		select {
		case <-r.stop:
			return active.Load() == r
		case <-time.After(time.Millisecond):
		}
	}
	return false
}

// flush drains every buffer and writes what it holds.
func (r *recorder) flush() {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.exp.hold = false // Flush, or the periodic flush: write now
	if !r.closed {
		r.drainLocked()
	}
}

// drainLocked exports what every buffer holds. r.mu must be held.
func (r *recorder) drainLocked() {
	r.exp.conv.calibrate()
	r.rootWake.Store(false)
	for i := range r.shards {
		r.shards[i].drain(r.exp.add)
	}
	if q := r.overflow.Load(); q != nil {
		q.drain(r.exp.add)
	}
	r.roots.drain(r.exp.add)
	r.exp.write()
}

// counts returns the spans ended so far: buffered for export, and dropped.
func (r *recorder) counts() (pushed, dropped uint64) {
	for i := range r.shards {
		q := &r.shards[i]
		pushed += q.tail.Load()
		dropped += q.dropped.Load()
	}
	for _, q := range []*mpscRing{r.overflow.Load(), &r.roots} {
		if q != nil {
			pushed += q.tail.Load()
			dropped += q.dropped.Load()
		}
	}
	dropped += recs.refused.Load() // no record free: never started
	return pushed, dropped
}

// shutdown stops the background goroutine, writes the remaining spans, the
// process record and the summary, and closes the file.
func (r *recorder) shutdown(ctx context.Context) error {
	close(r.stop)
	select {
	case <-r.done:
	case <-ctx.Done():
		return ctx.Err()
	}
	stopExec()
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.closed {
		return nil
	}
	r.closed = true
	foldOn.Store(false)
	r.drainLocked()
	r.drainFolds() // aggregates under parents that never ended
	pushed, dropped := r.counts()
	// A span that ended just as recording stopped may have been buffered
	// after the last drain: it is lost, so count it dropped.
	dropped += pushed - min(pushed, r.exp.drained)
	pending, names := pendingSpans()
	r.exp.finish(dropped, pending, names)
	err := r.exp.err
	if serr := r.exp.closeSink(ctx, dropped); err == nil {
		err = serr
	}
	if r.closeFile != nil {
		if cerr := r.closeFile.Close(); err == nil && cerr != nil {
			err = cerr
		}
	}
	return err
}

// Flush writes the spans ended so far and waits until they are written.
func Flush() {
	if r := active.Load(); r != nil {
		r.flush()
	}
}

// Shutdown ends recording: it writes every span ended so far, then the
// process record (spans written and dropped, and the spans started but
// never ended: their count and names) and, when enabled, the summary, and
// closes the trace file. Spans started later are not recorded. Only the
// first call does anything; it returns ctx's error if ctx ends first, and
// the first error writing the trace.
func Shutdown(ctx context.Context) error {
	ctl.Lock()
	r := active.Load()
	ctl.down = true
	setActive(nil)
	ctl.Unlock()
	if r == nil {
		return nil
	}
	if ctx == nil {
		ctx = context.Background()
	}
	return r.shutdown(ctx)
}
