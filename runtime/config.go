package autotrace

import (
	"errors"
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

// Config configures recording. Zero fields fall back to the environment
// (AUTOTRACE_OUT, AUTOTRACE_FORMAT, AUTOTRACE_SAMPLE, AUTOTRACE_SUMMARY),
// then to defaults.
// Recording is on when there is an output or a summary.
type Config struct {
	// Out is the trace file; spans are appended to it in Format.
	Out string
	// Writer, when set, receives the trace instead of Out, as whole chunks
	// (or lines) with one Write call per batch. It is not closed.
	Writer io.Writer
	// Format is the trace's format: FormatBinary (docs/trace-format.md),
	// or FormatJSONLines, JSON Lines written directly: larger, and slower
	// to encode, so a burst of spans is dropped sooner. Empty means
	// AUTOTRACE_FORMAT ("binary" or "jsonl") when set, else FormatJSONLines
	// when Out (or AUTOTRACE_OUT) ends in ".jsonl", else FormatBinary.
	Format string
	// Sample is the fraction of root traces recorded, in [0, 1]; zero means
	// AUTOTRACE_SAMPLE, else 1. Children follow their root's decision.
	Sample float64
	// Summary, when set, receives a hotspot table at Shutdown; nil means
	// stderr if AUTOTRACE_SUMMARY=1.
	Summary io.Writer
	// FlushInterval bounds what a crash or os.Exit can lose; zero means 1s.
	FlushInterval time.Duration
	// BufferSize caps the ended spans held for export, split evenly among
	// the Ps (GOMAXPROCS). Past a P's share, the goroutine ending a span
	// drains the buffers itself, or waits briefly for the exporter; when
	// the disk is slower than the program, spans are dropped and counted
	// instead (recorder.pushFull). Zero means 65536: 4 MiB, enough that
	// a server ending 200,000 spans a second wakes the exporter about a
	// dozen times a second (W1). A buffered span takes 64 bytes (see
	// ring.go), and only one with an error, attributes, a panic or a
	// tracestate also keeps its extras alive until it is written, by a
	// pointer in a ring of at most 1,024 a P.
	BufferSize int
	// ExecTrace, when set, is a file that receives a runtime/trace
	// execution trace in which every recorded span is a task and a region
	// (see exectrace.go); empty means AUTOTRACE_EXECTRACE. "%p" in it
	// stands for the process id; a process continuing its parent's trace
	// (TRACEPARENT) without "%p" writes FILE.<pid>.
	ExecTrace string
	// Slow, when positive, keeps the runtime/trace flight recorder running
	// and snapshots it to SlowDir when a span runs longer; zero means
	// AUTOTRACE_SLOW (a duration such as 200ms).
	Slow time.Duration
	// SlowDir is where slow-span snapshots go; empty means
	// AUTOTRACE_SLOW_DIR, else the current directory.
	SlowDir string
}

// Trace formats (Config.Format).
const (
	FormatBinary    = "binary"
	FormatJSONLines = "jsonl"
)

const (
	defaultFlushInterval = time.Second
	defaultBufferSize    = 1 << 16
	maxBufferSize        = 1 << 24
)

// Recording modes. The hot path only reads maybeOn.
const (
	modeUnset int32 = iota // environment not read yet
	modeOff
	modeOn
)

var (
	mode   atomic.Int32
	active atomic.Pointer[recorder]

	// maybeOn is mode != modeOff: false lets a Start return at once. It is
	// a separate bool because that check, unlike mode.Load() == modeOff,
	// keeps Start within the compiler's inlining budget.
	maybeOn atomic.Bool

	// ctl serialises configuration, initialisation and shutdown.
	ctl struct {
		sync.Mutex
		configured bool // Configure succeeded
		down       bool // Shutdown was called
	}

	// envParent is the TRACEPARENT (and TRACESTATE) of the process, set before mode leaves
	// modeUnset and read-only after.
	envParent struct {
		remote
		ok  bool
		raw string
	}
)

func init() { maybeOn.Store(true) } // mode starts unset

// ErrConfigured is returned by Configure once recording is configured.
var ErrConfigured = errors.New("autotrace: already configured")

// Configure configures recording once, before the first span is recorded.
// A second call, a call after Shutdown, or a call once the environment has
// switched recording on returns an error and changes nothing. A call after
// spans ran with recording off is fine: only later spans are recorded.
func Configure(c Config) error {
	ctl.Lock()
	defer ctl.Unlock()
	switch {
	case ctl.configured:
		return ErrConfigured
	case ctl.down:
		return errors.New("autotrace: Configure after Shutdown")
	case active.Load() != nil:
		return fmt.Errorf("%w: recording was started from the environment at first use", ErrConfigured)
	}
	if c.Sample < 0 || c.Sample > 1 {
		return fmt.Errorf("autotrace: Sample %v is not in [0, 1]", c.Sample)
	}
	if c.Format != "" && c.Format != FormatBinary && c.Format != FormatJSONLines {
		return fmt.Errorf("autotrace: Format %q is neither %q nor %q", c.Format, FormatBinary, FormatJSONLines)
	}
	if c.BufferSize < 0 || c.FlushInterval < 0 {
		return errors.New("autotrace: negative BufferSize or FlushInterval")
	}
	readEnvParent()
	r, err := newRecorder(mergeEnv(c))
	if err != nil {
		return err
	}
	ctl.configured = true
	setActive(r)
	return nil
}

// current returns the active recorder, reading the environment at first
// use, or nil when recording is off.
func current() *recorder {
	if r := active.Load(); r != nil {
		return r
	}
	if mode.Load() != modeUnset {
		return nil
	}
	ctl.Lock()
	defer ctl.Unlock()
	if mode.Load() == modeUnset {
		readEnvParent()
		r, err := newRecorder(mergeEnv(Config{}))
		if err != nil {
			warnf("%v; recording off", err)
		}
		setActive(r)
	}
	return active.Load()
}

// setActive publishes r (nil: recording off). ctl must be held.
func setActive(r *recorder) {
	active.Store(r)
	if r != nil {
		mode.Store(modeOn)
	} else {
		mode.Store(modeOff)
	}
	maybeOn.Store(r != nil)
}

// readEnvParent parses TRACEPARENT and TRACESTATE, once. ctl must be held.
func readEnvParent() {
	if mode.Load() != modeUnset || envParent.ok {
		return
	}
	if v, ok := os.LookupEnv("TRACEPARENT"); ok {
		envParent.raw = v
		envParent.remote, envParent.ok = parseTraceparent(v)
		if !envParent.ok {
			warnf("ignoring malformed TRACEPARENT %q", v)
		}
		envParent.state = cleanTracestate(os.Getenv("TRACESTATE"))
	}
}

// formatFor is the format of a Config that names none: AUTOTRACE_FORMAT,
// else JSON Lines for an Out ending in ".jsonl", else binary.
func formatFor(c Config) string {
	switch v := os.Getenv("AUTOTRACE_FORMAT"); v {
	case FormatBinary, FormatJSONLines:
		return v
	case "":
	default:
		warnf("ignoring AUTOTRACE_FORMAT=%q: want %q or %q", v, FormatBinary, FormatJSONLines)
	}
	if c.Writer == nil && strings.HasSuffix(c.Out, ".jsonl") {
		return FormatJSONLines
	}
	return FormatBinary
}

// mergeEnv fills the zero fields of c from the environment and defaults.
func mergeEnv(c Config) Config {
	if c.Out == "" && c.Writer == nil {
		c.Out = os.Getenv("AUTOTRACE_OUT")
	}
	if c.Format == "" {
		c.Format = formatFor(c)
	}
	if c.Sample == 0 {
		c.Sample = 1
		if v := os.Getenv("AUTOTRACE_SAMPLE"); v != "" {
			f, err := strconv.ParseFloat(strings.TrimSpace(v), 64)
			if err != nil || f < 0 || f > 1 {
				warnf("ignoring AUTOTRACE_SAMPLE=%q: want a fraction in [0, 1]", v)
			} else {
				c.Sample = f
			}
		}
	}
	if c.Summary == nil {
		if v, _ := strconv.ParseBool(os.Getenv("AUTOTRACE_SUMMARY")); v {
			c.Summary = os.Stderr
		}
	}
	if c.FlushInterval == 0 {
		c.FlushInterval = defaultFlushInterval
	}
	if c.BufferSize == 0 {
		c.BufferSize = defaultBufferSize
	}
	c.BufferSize = min(c.BufferSize, maxBufferSize)
	mergeExecEnv(&c)
	return c
}

// warnOut receives the runtime's own warnings; tests replace it.
var warnOut io.Writer = os.Stderr

// warnf reports a problem of the runtime itself on stderr: autotrace never
// panics or fails the observed program.
func warnf(format string, args ...any) {
	fmt.Fprintf(warnOut, "autotrace: "+format+"\n", args...)
}
