package autotrace

import (
	"io"
	"os"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

// batchMax is the most bytes written by one write call, and chunkMax the
// most one binary chunk holds. Each batch is whole chunks, or whole lines,
// written with one call to an O_APPEND file, so processes sharing the file
// never tear or interleave each other's chunks or lines. Batches of up to
// a megabyte keep a busy server to a few writes a second (W1); chunks stay
// small, so that a write cut short at a page boundary (Linux may, if the
// process is killed during it) loses one chunk, which readers detect and
// skip, not the batch.
const (
	batchMax = 1 << 20
	chunkMax = 64 << 10
)

// exporter encodes drained spans and writes them. It is only used under
// recorder.mu.
type exporter struct {
	out     io.Writer   // nil: summary only
	bin     *binEncoder // nil: JSON Lines
	buf     []byte      // whole chunks, or whole lines
	chunkAt int         // where in buf the open chunk starts
	conv    clockConv
	sum     *summary
	sumOut  io.Writer
	drained uint64      // spans taken from the buffers
	written uint64      // spans encoded
	folds   uint64      // fold records encoded
	errs    uint64      // failed writes
	slow    atomic.Bool // the last slowWrites writes were slow; read without the lock
	slowRun int         // consecutive slow writes
	err     error       // the first write error

	calib calibration // what the calibration spans measured (calibrate.go)
	hold  bool        // calibrating: the first write waits for the cost record, which goes first
	cost  cost        // the cost record written, once calibrated
	fold  foldLearner // which sites fold (foldlearn.go)

	sink    Sink         // the bridge's, if any (hooks.go)
	recs    []SpanRecord // converted for sink, not yet handed over
	attrBuf []Attr       // backs the Attrs of recs
}

func (e *exporter) init(out, sumOut io.Writer, jsonLines bool) {
	e.out = out
	if !jsonLines {
		e.bin = new(binEncoder)
	}
	e.conv = newClockConv()
	if sumOut != nil {
		e.sum, e.sumOut = newSummary(), sumOut
	}
}

// add encodes one ended span, r, and feeds the summary; s is the Span
// when r.hasSpan, else nil.
func (e *exporter) add(r *rec, s *spanExtra) {
	e.drained++
	if r.start == 0 && r.status != statusFold {
		e.fold.placeUntimed(r)
	}
	if e.calib.take(r) {
		return // a calibration span: measured, not written
	}
	if r.status == statusFold {
		e.fold.estimate(r)
		e.addFold(r)
		return
	}
	e.fold.learn(r)
	if e.sink != nil {
		e.record(r, s)
	}
	if e.sum != nil {
		e.sum.add(r, s, e.conv.wall(r.start), e.conv.dur(r.end-r.start))
	}
	if e.out == nil {
		return
	}
	e.written++
	if e.bin != nil {
		if len(e.buf)-e.chunkAt >= chunkMax {
			e.bin.seal(e.buf[e.chunkAt:])
			e.chunkAt = len(e.buf)
		}
		e.buf = e.bin.appendSpan(e.buf, r, s, &e.conv)
	} else {
		e.buf = appendSpan(e.buf, r, s, &e.conv)
	}
	if len(e.buf) >= batchMax {
		e.write()
	}
}

// write writes the buffered lines with a single call. Errors are counted
// and the first one reported on stderr: the program goes on either way.
func (e *exporter) write() {
	if e.sink != nil {
		e.flushSink()
	}
	if len(e.buf) == 0 || e.out == nil || e.hold && len(e.buf) < batchMax {
		return
	}
	e.hold = false
	if e.bin != nil {
		if e.bin.open {
			e.bin.seal(e.buf[e.chunkAt:])
		}
		e.chunkAt = 0
	}
	t0 := monoNow()
	_, err := e.out.Write(e.buf)
	if (monoNow()-t0)*slowRate > int64(len(e.buf))*int64(time.Second) && monoNow()-t0 > slowWrite {
		e.slowRun++
	} else {
		e.slowRun = 0
	}
	e.slow.Store(e.slowRun >= slowWrites)
	if err != nil {
		if e.bin != nil {
			e.bin.forget()
		}
		e.errs++
		if e.err == nil {
			e.err = err
			warnf("writing trace: %v (later errors are only counted)", err)
		}
	}
	e.buf = e.buf[:0]
	if cap(e.buf) > 4*batchMax {
		e.buf = nil // an oversized line once: do not keep its memory
	}
}

// A write slower than slowRate bytes a second, and longer than slowWrite,
// is slow; slowWrites slow writes in a row (one alone may be a
// busy machine's preemption) mean the disk is slower than the program:
// spans that find their buffer full are then dropped (and counted) rather
// than making the program wait for the disk (recorder.pushFull).
const (
	slowWrite  = int64(20 * time.Millisecond)
	slowRate   = 3 << 20 // bytes a second
	slowWrites = 3
)

var cmdline = sync.OnceValue(func() string { return strings.Join(os.Args, " ") })

// finish writes the process record and the summary. Spans must have been
// drained already.
func (e *exporter) finish(dropped, pending uint64, names []string) {
	p := processRecord{
		cmd: cmdline(), startNs: monoBase.UnixNano(), spans: e.written,
		dropped: dropped, pending: names, pendingCount: pending, writeErrors: e.errs,
		untracked: uint64(gls.untrackedStarted.Load()),
	}
	e.hold = false
	if e.out != nil {
		if e.bin != nil {
			e.buf = e.bin.appendProcess(e.buf, p)
		} else {
			e.buf = appendProcess(e.buf, p)
		}
		e.write()
	}
	if e.sum != nil {
		e.sum.write(e.sumOut, p)
	}
}
