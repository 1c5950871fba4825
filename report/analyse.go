package report

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"slices"

	"github.com/autotrace/autotrace/internal/activetime"
	"github.com/autotrace/autotrace/internal/hotspot"
	"github.com/autotrace/autotrace/tracefile"
)

// maxTraceSpans bounds the spans kept for one of the slowest traces.
const maxTraceSpans = 20000

// maxWarnings is the number of malformed lines named on stderr.
const maxWarnings = 10

// data is everything a format may render.
type data struct {
	by     []string // the -by KEYs
	inputs []string
	res    *hotspot.Result
	top    int
	traces []traceSpans       // the slowest traces' spans, as res.Traces (table, json, html)
	run    *runTimeline       // the whole run's timeline (html)
	active *activetime.Result // from execution traces, else nil
}

// traceSpans holds the spans of one trace.
type traceSpans struct {
	spans     []hotspot.Span
	errs      []string // error message per span (html)
	attrs     []string // raw attributes per span (html)
	truncated bool     // more than maxTraceSpans spans
	count     int      // spans of the trace, kept or not
	errors    int      // of them, with StatusError
	panics    int      // with StatusPanic
}

// run is one invocation of the command.
type run struct {
	format string
	top    int
	stderr io.Writer
	inputs []input
	temps  []string
	prog   progress

	malformed   int64
	malformedAt []string

	filter attrFilter
	keep   map[[16]byte]bool // with -where: the traces to report on
	raw    bool              // -raw: times as measured, recording cost left in

	// tl, for chrome and perfetto, lays out and writes the spans as pass 1
	// reads them.
	tl *timeline

	// onCost receives the cost records of pass 1, in order with its spans.
	onCost func(tracefile.Cost)
}

// open checks the inputs and spools standard input to a temporary file, so
// that every input can be read twice.
func (r *run) open(files []string) error {
	for _, name := range files {
		in := input{name: name, path: name}
		if name == "-" {
			in.name = "stdin"
			f, err := os.CreateTemp("", "autotrace-report-*.jsonl")
			if err != nil {
				return err
			}
			r.temps = append(r.temps, f.Name())
			_, err = io.Copy(f, os.Stdin)
			if cerr := f.Close(); err == nil {
				err = cerr
			}
			if err != nil {
				return fmt.Errorf("read stdin: %v", err)
			}
			in.path = f.Name()
		}
		size, err := sniffFile(in.path, in.name)
		if err != nil {
			return err
		}
		in.size = size
		r.prog.total += in.size
		r.inputs = append(r.inputs, in)
	}
	return nil
}

// sniffFile checks that path (shown as name) is a trace file, binary or
// JSON Lines (tracefile.Sniff), and returns its size.
func sniffFile(path, name string) (int64, error) {
	f, err := os.Open(path)
	if err != nil {
		return 0, err
	}
	defer f.Close()
	fi, err := f.Stat()
	if err != nil {
		return 0, err
	}
	if fi.IsDir() {
		return 0, fmt.Errorf("%s is a directory", name)
	}
	if err := tracefile.Sniff(bufio.NewReaderSize(f, 64<<10)); err != nil {
		var nt *tracefile.NotTraceError
		if errors.As(err, &nt) {
			return 0, fmt.Errorf("%s: %v", name, err)
		}
		return 0, fmt.Errorf("read %s: %v", name, err)
	}
	return fi.Size(), nil
}

func (r *run) cleanup() {
	for _, t := range r.temps {
		os.Remove(t)
	}
}

// bad counts a malformed line and names the first few on stderr.
func (r *run) bad(in *input, line int, err error) {
	r.malformed++
	pos := fmt.Sprintf("%s:%d", in.name, line)
	if len(r.malformedAt) < 3 {
		r.malformedAt = append(r.malformedAt, pos)
	}
	if r.malformed <= maxWarnings {
		r.prog.clear()
		fmt.Fprintf(r.stderr, "report: %s: %v\n", pos, err)
	}
}

// scan calls fn for each line of in, with the line number.
func (r *run) scan(pass int, in *input, fn func(line []byte, n int)) error {
	f, err := os.Open(in.path)
	if err != nil {
		return err
	}
	defer f.Close()
	cr := &countingReader{r: f}
	view, st := tracefile.JSONLines(cr) // a binary trace is read as its JSON Lines view
	lr := newLineReader(view)
	for {
		line, err := lr.next()
		switch err {
		case nil:
			fn(line, lr.n)
		case io.EOF:
			r.prog.done += in.size
			if pass == 1 && st.Torn+st.Unreadable > 0 {
				r.malformed += int64(st.Torn + st.Unreadable)
				r.prog.clear()
				fmt.Fprintf(r.stderr, "report: %s: skipped %d torn chunks and %d unreadable records\n", in.name, st.Torn, st.Unreadable)
			}
			return nil
		case errTooLong:
			if pass == 1 {
				r.bad(in, lr.n, err)
			}
		default:
			if st.Binary {
				return fmt.Errorf("%s: %v", in.name, err)
			}
			return fmt.Errorf("%s:%d: %v", in.name, lr.n+1, err)
		}
		if lr.n&4095 == 0 {
			r.prog.update(pass, in.name, cr.n)
		}
	}
}

// analyse reads the inputs: pass 1 aggregates every span, pass 2 (table,
// json, html) collects the spans of the slowest traces.
func (r *run) analyse() (*data, error) {
	opts := []hotspot.Option{hotspot.TopTraces(r.top), hotspot.Raw(r.raw)}
	if r.format == "folded" || r.format == "html" || r.format == "pprof" {
		opts = append(opts, hotspot.Flame(true))
	}
	if len(r.filter.by) > 0 {
		opts = append(opts, hotspot.By(byTop))
		if r.format == "pprof" {
			opts = append(opts, hotspot.FlameByGroups(true)) // -by values as sample labels
		}
	}
	if r.filter.whereKey != "" {
		if err := r.pass0(); err != nil {
			return nil, err
		}
	}
	d := &data{top: r.top, by: r.filter.by}
	agg, err := r.pass1(d, opts)
	if err != nil {
		return nil, err
	}
	if r.malformed > maxWarnings {
		fmt.Fprintf(r.stderr, "report: %d malformed lines in all\n", r.malformed)
	}
	d.res = agg.Result()
	d.res.By = r.filter.by
	d.res.Malformed, d.res.MalformedAt = r.malformed, r.malformedAt
	if len(d.res.Traces) > 0 && (r.format == "table" || r.format == "json" || r.format == "html") {
		if err := r.collect(d); err != nil {
			return nil, err
		}
	}
	return d, nil
}

var traceKey = []byte(`"trace_id":"`)

// byTop is the number of values -by lists per span name.
const byTop = 10

// pass0, for -where, finds the traces with a span that has the attribute.
func (r *run) pass0() error {
	r.keep = map[[16]byte]bool{}
	p := newParser()
	p.wantAttrs = true
	var rec record
	for i := range r.inputs {
		in := &r.inputs[i]
		err := r.scan(1, in, func(line []byte, _ int) {
			if k, err := p.parse(line, &rec); err == nil && k == kindSpan && r.filter.matches(rec.attrs) {
				r.keep[rec.span.TraceID] = true
			}
		})
		if err != nil {
			return err
		}
	}
	r.prog.done = 0
	return nil
}

// collect is pass 2: it gathers the spans of the slowest traces, analyses
// them (critical path) and puts them in d.
func (r *run) collect(d *data) error {
	want := make(map[[16]byte]int, len(d.res.Traces))
	for i, t := range d.res.Traces {
		want[t.ID] = i
	}
	d.traces = make([]traceSpans, len(d.res.Traces))
	// Skip other traces without parsing the line when the trace ID is
	// where the runtime writes it.
	otherTrace := func(line []byte) bool {
		if j := bytes.Index(line, traceKey); j >= 0 && len(line) >= j+len(traceKey)+32 {
			var id [16]byte
			if decodeHex(id[:], line[j+len(traceKey):j+len(traceKey)+32]) {
				_, ok := want[id]
				return !ok
			}
		}
		return false
	}
	wanted := func(id [16]byte) bool { _, ok := want[id]; return ok }
	p := newParser()
	p.wantError = true
	p.wantAttrs = r.format == "html"
	r.prog.done = 0
	for i := range r.inputs {
		in := &r.inputs[i]
		err := r.records(2, in, p, otherTrace, wanted, func(rec *record, proc *hotspot.Process) {
			if proc != nil {
				return
			}
			ti, ok := want[rec.span.TraceID]
			if !ok {
				return
			}
			ts := &d.traces[ti]
			ts.count += max(int(rec.span.Folded), 1)
			switch rec.span.Status {
			case hotspot.StatusError:
				ts.errors++
			case hotspot.StatusPanic:
				ts.panics++
			}
			// The root (the longest span, found in pass 1) is always
			// kept: children arrive first and would crowd it out.
			if len(ts.spans) >= maxTraceSpans-1 && rec.span.SpanID != d.res.Traces[ti].RootID ||
				len(ts.spans) >= maxTraceSpans {
				ts.truncated = true
				return
			}
			ts.spans = append(ts.spans, rec.span)
			ts.errs = append(ts.errs, rec.errMsg)
			if p.wantAttrs {
				ts.attrs = append(ts.attrs, string(rec.attrs))
			}
		})
		if err != nil {
			return err
		}
	}
	for i := range d.traces {
		ts := &d.traces[i]
		if len(ts.spans) > 0 {
			t := hotspot.Analyze(ts.spans)
			if ts.truncated {
				t.PathOver = len(ts.spans)
				t.Spans, t.Errors, t.Panics = ts.count, ts.errors, ts.panics
			}
			d.res.Traces[i] = t
		}
	}
	// Analysis measures each trace end to end: order by that.
	idx := make([]int, len(d.traces))
	for i := range idx {
		idx[i] = i
	}
	slices.SortStableFunc(idx, func(a, b int) int {
		ta, tb := d.res.Traces[a], d.res.Traces[b]
		if ta.Dur != tb.Dur {
			if ta.Dur > tb.Dur {
				return -1
			}
			return 1
		}
		return bytes.Compare(ta.ID[:], tb.ID[:])
	})
	traces := make([]hotspot.Trace, len(idx))
	spans := make([]traceSpans, len(idx))
	for i, j := range idx {
		traces[i], spans[i] = d.res.Traces[j], d.traces[j]
	}
	d.res.Traces, d.traces = traces, spans
	return nil
}
