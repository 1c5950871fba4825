package autotrace

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"io"
	"os"
	"path/filepath"
	"testing"

	"github.com/autotrace/autotrace/tracefile"
)

// reset returns the package to its never-used state, so each test can
// configure recording afresh. No span may be open across it.
func reset(tb testing.TB) {
	calibrateOff.Store(true) // TestCalibration turns it on
	tb.Helper()
	if err := Shutdown(context.Background()); err != nil {
		tb.Fatalf("Shutdown: %v", err)
	}
	ctl.Lock()
	ctl.configured, ctl.down = false, false
	envParent.remote, envParent.ok, envParent.raw = remote{}, false, ""
	headerField.Store(nil)
	active.Store(nil)
	mode.Store(modeUnset)
	maybeOn.Store(true)
	ctl.Unlock()
	for j := range gls.keys {
		gls.keys[j].Store(0)
		gls.vals[j].Store(0)
	}
	for j := range foldTabs {
		foldTabs[j].Store(nil)
	}
	resetFold()
	gls.untrackedStarted.Store(0)
	gls.untrackedEnded.Store(0)
}

// clearEnv makes the test independent of the caller's environment.
func clearEnv(tb testing.TB) {
	tb.Helper()
	for _, k := range []string{"AUTOTRACE_OUT", "AUTOTRACE_SAMPLE", "AUTOTRACE_SUMMARY", "TRACEPARENT", "TRACESTATE"} {
		tb.Setenv(k, "")
		os.Unsetenv(k) // Setenv restores the old value at cleanup
	}
}

// record resets the package and configures it to record into a new file,
// which it returns; the test's cleanup shuts recording down.
func record(tb testing.TB, c Config) string {
	tb.Helper()
	clearEnv(tb)
	reset(tb)
	if c.Out == "" && c.Writer == nil {
		c.Out = filepath.Join(tb.TempDir(), "trace.trace")
	}
	if err := Configure(c); err != nil {
		tb.Fatalf("Configure: %v", err)
	}
	if r := active.Load(); r != nil {
		// The runtime's tests observe it as a program does, not as a
		// test binary (TestTestBinaryKeepsSpansAtExit covers that).
		r.flushOnRoot.Store(false)
	}
	tb.Cleanup(func() { reset(tb) })
	return c.Out
}

// line is a trace line as the format describes it.
type line struct {
	TraceID  string         `json:"trace_id"`
	SpanID   string         `json:"span_id"`
	ParentID string         `json:"parent_id"`
	Name     string         `json:"name"`
	StartNs  int64          `json:"start_ns"`
	DurNs    int64          `json:"dur_ns"`
	Pid      int            `json:"pid"`
	Status   string         `json:"status"`
	Error    string         `json:"error"`
	State    string         `json:"tracestate"`
	Attrs    map[string]any `json:"attrs"`
	Process  *processLine   `json:"process"`
	Fold     *foldLine      `json:"fold"`
	Cost     *struct {
		InnerNs int64 `json:"inner_ns"`
		OuterNs int64 `json:"outer_ns"`
	} `json:"cost"`
}

type processLine struct {
	Pid          int      `json:"pid"`
	Cmd          string   `json:"cmd"`
	StartNs      int64    `json:"start_ns"`
	Spans        int      `json:"spans"`
	Dropped      int      `json:"dropped"`
	Pending      []string `json:"pending"`
	PendingCount int      `json:"pending_count"`
}

// readTrace parses every line of a trace file, failing on any that is not
// a JSON object, and splits spans from process records.
func readTrace(tb testing.TB, path string) (spans []line, procs []processLine) {
	tb.Helper()
	sc := bufio.NewScanner(bytes.NewReader(traceView(tb, path)))
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	for n := 1; sc.Scan(); n++ {
		var l line
		if err := json.Unmarshal(sc.Bytes(), &l); err != nil {
			tb.Fatalf("%s:%d: %v: %q", path, n, err, sc.Text())
		}
		if l.Process != nil {
			procs = append(procs, *l.Process)
		} else if l.Cost != nil || l.Fold != nil {
			continue // fold records: see fold_test.go
		} else {
			spans = append(spans, l)
		}
	}
	if err := sc.Err(); err != nil {
		tb.Fatal(err)
	}
	return spans, procs
}

// traceView returns the JSON Lines view of a trace file of either format
// (as autotrace cat prints it), failing on torn chunks and unreadable
// records.
func traceView(tb testing.TB, path string) []byte {
	tb.Helper()
	data, st := readView(tb, path)
	if st.Torn > 0 || st.Unreadable > 0 {
		tb.Fatalf("%s: %d torn chunks, %d unreadable records", path, st.Torn, st.Unreadable)
	}
	return data
}

// readView returns the JSON Lines view of a trace file of either format,
// and what the reader skipped.
func readView(tb testing.TB, path string) ([]byte, *tracefile.Stats) {
	tb.Helper()
	f, err := os.Open(path)
	if err != nil {
		tb.Fatal(err)
	}
	defer f.Close()
	view, st := tracefile.JSONLines(f)
	data, err := io.ReadAll(view)
	if err != nil {
		tb.Fatalf("%s: %v", path, err)
	}
	return data, st
}

// byName indexes spans by name; names must be unique.
func byName(tb testing.TB, spans []line) map[string]line {
	tb.Helper()
	m := map[string]line{}
	for _, s := range spans {
		if _, dup := m[s.Name]; dup {
			tb.Fatalf("span name %q twice", s.Name)
		}
		m[s.Name] = s
	}
	return m
}

// tspan is an ended span built by hand for the encoder and buffer tests:
// what its record and its extras hold, in one literal.
type tspan struct {
	site     *callSite
	trace    traceID
	id       uint64
	parentID uint64
	start    int64
	status   uint8
	flags    uint32
	state    string
	extra    *spanExtra // err, attrs, panic

	r  *spanRec
	xs *spanExtra
}

// parts returns s as a record and its extras (nil when a rec holds all
// of it), made once, so a buffer hands back the very extras pushed.
func (s *tspan) parts() (*spanRec, *spanExtra) {
	if s.r != nil {
		return s.r, s.xs
	}
	r := new(spanRec)
	r.setTrace(s.trace)
	r.id.Store(s.id)
	r.parent, r.start, r.status = s.parentID, s.start, s.status
	r.site.Store(s.site.idx)
	r.flags.Store(s.flags)
	if s.extra != nil || s.state != "" || s.site.idx == 0 {
		x := new(spanExtra)
		if s.extra != nil {
			*x = *s.extra
		}
		x.state = s.state
		if s.site.idx == 0 {
			x.site = s.site
		}
		s.xs = x
	}
	s.r = r
	return r, s.xs
}

// x returns s's extras, or nil.
func (s *tspan) x() *spanExtra { _, x := s.parts(); return x }

// recOfT is recOf for a tspan.
func recOfT(q *rec, s *tspan, end int64) bool {
	r, x := s.parts()
	return recOf(q, r, x, end)
}

// ext returns s's err, attrs and panic fields, making them.
func (s *tspan) ext() *spanExtra {
	if s.extra == nil {
		s.extra = new(spanExtra)
	}
	return s.extra
}

// Test views of a live span's record (zero once it ended).
func (s Span) tid() traceID {
	if r := s.r.rec(); r != nil {
		return r.trace()
	}
	return traceID{}
}

func (s Span) sid() uint64 {
	if r := s.r.rec(); r != nil {
		return r.id.Load()
	}
	return 0
}

func (s Span) parentSID() uint64 {
	if r := s.r.rec(); r != nil {
		return r.parent
	}
	return 0
}

func (s Span) isZero() bool { return s == Span{} }

// setAttr adds a string attribute as Span.SetString does.
func (s *tspan) setAttr(key, value string) {
	e := s.ext()
	e.attrs = append(e.attrs, Attr{key, StringValue(bounded(value))})
}
