package autotrace

import (
	"context"
	"os"
	"runtime/trace"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

// Execution tracing (AUTOTRACE_EXECTRACE, AUTOTRACE_SLOW): every recorded
// span becomes a runtime/trace task, named after the span and child of its
// parent span's task, with a log entry "autotrace.span" carrying the span
// id, and a region on its goroutine; a goroutine adopted by a span (Adopt)
// runs in a region of that span's task. `autotrace report` maps the
// execution events back to spans through them.
//
// With execution tracing off, the hot path pays one load and one branch in
// begin and a nil check in finish.

// execLogKey is the trace.Log category whose message is a span's id.
const execLogKey = "autotrace.span"

// execOn is set while an execution trace or the flight recorder runs:
// begin then makes the span a task.
var execOn atomic.Bool

// execSpan is a span's task and region.
type execSpan struct {
	ctx    context.Context // carries the task, for the children's tasks
	task   *trace.Task
	region *trace.Region
	slot   int32   // in the watch table, when AUTOTRACE_SLOW is set
	w      watched // begin is 0 without AUTOTRACE_SLOW
}

// ex is the execution-tracing state of the process. Its fields are set by
// startExec before execOn is set, and read-only while it is.
var ex struct {
	mu   sync.Mutex // serialises start, stop and snapshots
	file *os.File   // the AUTOTRACE_EXECTRACE file, while tracing
	fr   *trace.FlightRecorder
	slow int64  // AUTOTRACE_SLOW in nanoseconds; 0: no snapshots
	dir  string // where snapshots go

	pending  atomic.Pointer[slowReq] // a snapshot asked for, not yet written
	lastSlow atomic.Int64            // monoNow of the last request
	files    int                     // snapshots written
	bytes    int64                   // and their size
}

// execBegin makes the span s a task, child of its local parent's task
// (pref, 0 if none), and opens its region on the calling goroutine.
func execBegin(s Span, pref ref) {
	r := s.r.rec()
	name := siteOfRec(r, extOf(s.r.idx())).name
	pctx := context.Background()
	if pe := execOf(pref); pe != nil && pe.ctx != nil {
		pctx = pe.ctx
	}
	ctx, task := trace.NewTask(pctx, name)
	var buf [16]byte
	id := r.id.Load()
	trace.Log(ctx, execLogKey, string(appendHex64(buf[:0], id)))
	e := &execSpan{ctx: ctx, task: task, region: trace.StartRegion(ctx, name)}
	if ex.slow > 0 {
		e.w.name, e.w.trace, e.w.begin = name, r.trace(), monoNow()
		e.slot = watchAdd(&e.w, id)
	}
	extFor(s.r.idx()).exec = e
}

// execOf returns the task of the span h, the parent of a span starting,
// when it is a local span still open (or the link of an adopted goroutine,
// whose task is the adopted span's), else nil.
func execOf(h ref) *execSpan {
	if h.rec() == nil {
		return nil
	}
	if x := extOf(h.idx()); x != nil {
		return x.exec
	}
	return nil
}

// execEnd closes a span's region and task, on the goroutine that opened
// them, and asks for a flight-recorder snapshot when it ran too long.
func execEnd(e *execSpan) {
	e.region.End()
	e.task.End()
	if e.w.begin != 0 {
		watchRemove(e.slot, &e.w)
		if !e.w.reported.Load() && monoNow()-e.w.begin >= ex.slow {
			requestSnapshot(e.w.name, e.w.trace)
		}
	}
}

// execAdopt opens, on an adopted goroutine, a region of the adopted
// span's task (pe); the link keeps that task for the goroutine's spans.
func execAdopt(pe *execSpan, name string) *execSpan {
	if pe.ctx == nil {
		return nil
	}
	return &execSpan{ctx: pe.ctx, region: trace.StartRegion(pe.ctx, name)}
}

// mergeExecEnv fills c's execution-tracing fields from the environment.
func mergeExecEnv(c *Config) {
	if c.ExecTrace == "" {
		c.ExecTrace = os.Getenv("AUTOTRACE_EXECTRACE")
	}
	if c.Slow == 0 {
		if v := os.Getenv("AUTOTRACE_SLOW"); v != "" {
			d, err := time.ParseDuration(strings.TrimSpace(v))
			if err != nil || d <= 0 {
				warnf("ignoring AUTOTRACE_SLOW=%q: want a positive duration such as 100ms", v)
			} else {
				c.Slow = d
			}
		}
	}
	if c.SlowDir == "" {
		c.SlowDir = os.Getenv("AUTOTRACE_SLOW_DIR")
	}
}

// startExec starts the execution trace and the flight recorder c asks
// for. Failures are reported and leave execution tracing off.
func startExec(c Config) {
	if c.ExecTrace == "" && c.Slow <= 0 {
		return
	}
	ex.mu.Lock()
	defer ex.mu.Unlock()
	ex.slow, ex.fr, ex.file = 0, nil, nil
	ex.files, ex.bytes = 0, 0
	ex.lastSlow.Store(0)
	ex.pending.Store(nil)
	watchClear()
	if c.ExecTrace != "" {
		path := execTracePath(c.ExecTrace)
		f, err := os.Create(path)
		if err != nil {
			warnf("execution trace: %v", err)
		} else if err := trace.Start(f); err != nil {
			f.Close()
			os.Remove(path)
			warnf("execution trace: %v", err)
		} else {
			ex.file = f
		}
	}
	if c.Slow > 0 {
		fr := trace.NewFlightRecorder(trace.FlightRecorderConfig{
			MinAge:   max(slowMinAge, 4*c.Slow),
			MaxBytes: slowMaxBytes,
		})
		if err := fr.Start(); err != nil {
			warnf("flight recorder: %v", err)
		} else {
			ex.fr, ex.slow, ex.dir = fr, int64(c.Slow), c.SlowDir
			if ex.dir == "" {
				ex.dir = "."
			}
		}
	}
	execOn.Store(ex.file != nil || ex.fr != nil)
}

// execTracePath is the file of this process's execution trace: name with
// "%p" replaced by the process id; or, in a process that continues its
// parent's trace (TRACEPARENT, as Command sets it) and so may share the
// environment of other traced processes, name.<pid>, so that each process
// writes a file of its own.
func execTracePath(name string) string {
	pid := strconv.Itoa(os.Getpid())
	if strings.Contains(name, "%p") {
		return strings.ReplaceAll(name, "%p", pid)
	}
	if envParent.ok {
		return name + "." + pid
	}
	return name
}

// stopExec writes a pending snapshot, then stops the flight recorder and
// the execution trace and closes its file.
func stopExec() {
	if !execOn.Load() {
		return
	}
	execOn.Store(false)
	writeSnapshot()
	ex.mu.Lock()
	defer ex.mu.Unlock()
	if ex.fr != nil {
		ex.fr.Stop()
		ex.fr = nil
	}
	if ex.file != nil {
		trace.Stop()
		if err := ex.file.Close(); err != nil {
			warnf("execution trace: %v", err)
		}
		ex.file = nil
	}
}
