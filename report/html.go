package report

import (
	"bytes"
	_ "embed"
	"encoding/hex"
	"encoding/json"
	"html"
	"io"
	"slices"
	"strings"
	"time"

	"github.com/autotrace/autotrace/internal/hotspot"
)

var (
	//go:embed assets/report.html
	pageHTML string
	//go:embed assets/report.css
	pageCSS string
	//go:embed assets/report.js
	pageJS string
)

// Bounds on the page size, whatever the input.
const (
	htmlMaxFrames     = 20000 // flame graph frames
	htmlMaxTraceSpans = 5000  // spans of each timeline trace (the longest)
)

// htmlData is the JSON embedded in the page. Names are indexes into Names;
// times in a trace are nanoseconds from the trace's start.
type htmlData struct {
	Title     string          `json:"title"`
	Generated string          `json:"generated"`
	Summary   htmlSummary     `json:"summary"`
	Names     []string        `json:"names"`
	Hotspots  [][]int64       `json:"hotspots"` // name, count, errors, panics, total, self, mean, p50, p95, p99, max
	Flame     json.RawMessage `json:"flame"`    // [name, total, self, count, errors, panics, [children…]]
	Traces    []htmlTrace     `json:"traces"`
	Run       *htmlRun        `json:"run"` // the whole run, zoomable (see runtimeline.go)
	Processes []htmlProcess   `json:"processes"`
	Active    *jsonActive     `json:"active,omitempty"` // with execution traces
	// With -by: the attributes, and per attribute and hotspot row (by
	// name index) its breakdown, rows as in Hotspots with the label's
	// index in Names.
	By     []string            `json:"by,omitempty"`
	Groups []map[int][][]int64 `json:"groups,omitempty"`
}

type htmlSummary struct {
	Spans       int64    `json:"spans"`
	Roots       int64    `json:"roots"`
	Processes   int      `json:"processes"`
	Start       int64    `json:"start"`
	Wall        int64    `json:"wall"`
	Errors      int64    `json:"errors"`
	Panics      int64    `json:"panics"`
	Malformed   int64    `json:"malformed"`
	MalformedAt []string `json:"malformed_at"`
	Dropped     int64    `json:"dropped"`
	NeverEnded  int64    `json:"never_ended"`
	Orphans     int64    `json:"orphans"`
	Evicted     int64    `json:"evicted"`
	PctError    float64  `json:"pct_error"`
	FramesCut   bool     `json:"frames_cut"`
}

type htmlTrace struct {
	ID        string        `json:"id"`
	Root      int           `json:"root"`
	Start     int64         `json:"start"`
	Dur       int64         `json:"dur"`
	SpanCount int           `json:"span_count"`
	Errors    int           `json:"errors"`
	Panics    int           `json:"panics"`
	Pids      []int         `json:"pids"`
	Truncated bool          `json:"truncated"`
	Spans     [][]int64     `json:"spans"` // name, start, dur, pid, lane, depth, status, parent index or -1, error index or -1, position on the critical path from 1 or 0, attrs index or -1, calls folded or 0
	ErrMsgs   []string      `json:"errs"`
	Attrs     [][][2]string `json:"attrs"` // per span with attributes: [key, value] pairs, code.* left out`
	Lanes     [][2]int      `json:"lanes"` // per pid in Pids order: pid, lanes
}

type htmlProcess struct {
	Pid int    `json:"pid"`
	Cmd string `json:"cmd"`
}

// writeHTML writes one self-contained page: the data as JSON in a script
// element, with the page's CSS and JS inline. Nothing is fetched.
func writeHTML(w io.Writer, d *data) error {
	hd := buildHTMLData(d)
	js, err := json.Marshal(hd) // escapes <, > and &: safe inside <script>
	if err != nil {
		return err
	}
	page := strings.NewReplacer(
		"{{TITLE}}", html.EscapeString(hd.Title),
		"{{CSS}}", pageCSS,
		"{{JS}}", pageJS,
		"{{DATA}}", string(js),
	).Replace(pageHTML)
	_, err = io.WriteString(w, page)
	return err
}

type nameTable struct {
	names []string
	idx   map[string]int
}

func (t *nameTable) id(s string) int {
	if i, ok := t.idx[s]; ok {
		return i
	}
	t.idx[s] = len(t.names)
	t.names = append(t.names, s)
	return len(t.names) - 1
}

func buildHTMLData(d *data) *htmlData {
	r := d.res
	nt := &nameTable{idx: map[string]int{}}
	hd := &htmlData{
		Title:     "autotrace report: " + strings.Join(d.inputs, ", "),
		Generated: time.Now().UTC().Format(time.RFC3339),
		Summary: htmlSummary{
			Spans: r.Spans, Roots: r.Roots, Processes: len(r.Processes), Start: r.Start, Wall: r.End - r.Start,
			Malformed: r.Malformed, MalformedAt: nonNil(r.MalformedAt), Dropped: r.Dropped(), NeverEnded: r.Open(),
			Orphans: r.Orphans, Evicted: r.Evicted, PctError: hotspot.PercentileError,
		},
		Hotspots: [][]int64{}, Traces: []htmlTrace{}, Processes: []htmlProcess{},
		Active: toJSONActive(d),
	}
	row := func(name string, s hotspot.Stat) []int64 {
		return []int64{int64(nt.id(name)), s.Count, s.Errors, s.Panics,
			int64(s.Total), int64(s.Self), int64(s.Mean), int64(s.P50), int64(s.P95), int64(s.P99), int64(s.Max)}
	}
	hd.By = r.By
	for _, s := range r.Stats {
		hd.Summary.Errors += s.Errors
		hd.Summary.Panics += s.Panics
		hd.Hotspots = append(hd.Hotspots, row(s.Name, s))
		for i, groups := range s.Groups {
			for len(hd.Groups) < len(r.By) {
				hd.Groups = append(hd.Groups, map[int][][]int64{})
			}
			id := nt.id(s.Name)
			for _, g := range groups {
				hd.Groups[i][id] = append(hd.Groups[i][id], row(hotspot.GroupLabel(r.By[i], g.Name), g))
			}
		}
	}
	hd.Flame, hd.Summary.FramesCut = flameJSON(r.Flame, nt)
	for _, p := range r.Processes {
		hd.Processes = append(hd.Processes, htmlProcess{p.Pid, p.Cmd})
	}
	for i, t := range r.Traces {
		if i >= d.top || i >= len(d.traces) || len(d.traces[i].spans) == 0 {
			break
		}
		hd.Traces = append(hd.Traces, timelineTrace(t, &d.traces[i], nt))
	}
	if d.run != nil {
		hd.Run = d.run.export(r.Start, nt)
	}
	hd.Names = nt.names
	return hd
}

// flameJSON encodes the flame tree as nested arrays, leaving out frames too
// small to see so that the page stays bounded. It reports whether frames
// were left out.
func flameJSON(root *hotspot.Frame, nt *nameTable) (json.RawMessage, bool) {
	if root == nil {
		return json.RawMessage("null"), false
	}
	// The threshold doubles until the frames kept fit the bound.
	min := root.Total / 10000
	for countFrames(root, min) > htmlMaxFrames {
		min = max(2*min, 1)
	}
	var b bytes.Buffer
	cut := false
	var enc func(f *hotspot.Frame, name int)
	enc = func(f *hotspot.Frame, name int) {
		b.WriteByte('[')
		for i, v := range []int64{int64(name), f.Total, f.Self, f.Count, f.Errors, f.Panics} {
			if i > 0 {
				b.WriteByte(',')
			}
			b.WriteString(itoa(v))
		}
		b.WriteString(",[")
		first := true
		for _, c := range f.Children {
			if c.Total < min || c.Total == 0 {
				cut = true
				continue
			}
			if !first {
				b.WriteByte(',')
			}
			first = false
			enc(c, nt.id(c.Name))
		}
		b.WriteString("]]")
	}
	enc(root, nt.id("all"))
	return json.RawMessage(b.Bytes()), cut
}

func countFrames(f *hotspot.Frame, min int64) int {
	n := 1
	for _, c := range f.Children {
		if c.Total >= min && c.Total > 0 {
			n += countFrames(c, min)
		}
	}
	return n
}

func itoa(v int64) string {
	return string(appendInt(nil, v))
}

func appendInt(b []byte, v int64) []byte {
	var buf [20]byte
	i := len(buf)
	neg := v < 0
	u := uint64(v)
	if neg {
		u = -u
	}
	for {
		i--
		buf[i] = byte('0' + u%10)
		u /= 10
		if u == 0 {
			break
		}
	}
	if neg {
		b = append(b, '-')
	}
	return append(b, buf[i:]...)
}

// timelineTrace lays out one trace for the timeline: lanes per process, the
// critical path marked. It keeps the longest htmlMaxTraceSpans spans.
func timelineTrace(t hotspot.Trace, ts *traceSpans, nt *nameTable) htmlTrace {
	idx := make([]int, len(ts.spans))
	for i := range idx {
		idx[i] = i
	}
	truncated := ts.truncated
	if len(idx) > htmlMaxTraceSpans {
		slices.SortStableFunc(idx, func(a, b int) int { return cmp64(ts.spans[b].Dur, ts.spans[a].Dur) })
		idx = idx[:htmlMaxTraceSpans]
		slices.Sort(idx)
		truncated = true
	}
	ht := htmlTrace{
		ID: hex.EncodeToString(t.ID[:]), Root: nt.id(t.Root), Start: t.Start, Dur: int64(t.Dur),
		SpanCount: t.Spans, Errors: t.Errors, Panics: t.Panics, Pids: nonNil(t.Pids), Truncated: truncated,
		Spans: [][]int64{}, ErrMsgs: []string{}, Attrs: [][][2]string{},
	}
	onPath := map[[8]byte]int64{} // position on the critical path, from 1
	for i, s := range t.Path {
		onPath[s.SpanID] = int64(i + 1)
	}
	pos := map[[8]byte]int{}
	for j, i := range idx {
		if ts.spans[i].Folded == 0 {
			pos[ts.spans[i].SpanID] = j
		}
	}
	lane := make([]int64, len(idx))
	depth := make([]int64, len(idx))
	for _, pid := range t.Pids {
		var items []laneItem
		var which []int
		for j, i := range idx {
			if s := &ts.spans[i]; s.Pid == pid && s.Folded == 0 {
				items = append(items, laneItem{start: s.Start, end: s.End(), id: s.SpanID, parent: s.ParentID})
				which = append(which, j)
			}
		}
		l, dp, n := assignLanes(items)
		for k, j := range which {
			lane[j], depth[j] = int64(l[k]), int64(dp[k])
		}
		ht.Lanes = append(ht.Lanes, [2]int{pid, n})
	}
	for j, i := range idx {
		s := &ts.spans[i]
		parent := int64(-1)
		if p, ok := pos[s.ParentID]; ok && !s.IsRoot() {
			parent = int64(p)
		}
		if s.Folded > 0 { // a band in its parent, one row below it
			if parent < 0 {
				continue // its parent is not drawn
			}
			lane[j], depth[j] = lane[parent], depth[parent]+1
		}
		errIdx := int64(-1)
		if msg := ts.errs[i]; msg != "" {
			errIdx = int64(len(ht.ErrMsgs))
			ht.ErrMsgs = append(ht.ErrMsgs, msg)
		}
		crit := onPath[s.SpanID]
		attrIdx := int64(-1)
		if i < len(ts.attrs) {
			if kv := userAttrs(ts.attrs[i]); len(kv) > 0 {
				attrIdx = int64(len(ht.Attrs))
				ht.Attrs = append(ht.Attrs, kv)
			}
		}
		ht.Spans = append(ht.Spans, []int64{int64(nt.id(s.Name)), s.Start - t.Start, s.Dur, int64(s.Pid),
			lane[j], depth[j], int64(s.Status), parent, errIdx, crit, attrIdx, s.Folded})
	}
	return ht
}

// userAttrs returns the attributes of a raw attrs object as sorted
// [key, value] pairs, values as JSON writes them, without the code.*
// ones every span has (its name says as much) and the panic.* ones.
func userAttrs(raw string) [][2]string {
	if raw == "" {
		return nil
	}
	var m map[string]json.RawMessage
	if json.Unmarshal([]byte(raw), &m) != nil {
		return nil
	}
	var kv [][2]string
	for k, v := range m {
		if strings.HasPrefix(k, "code.") || strings.HasPrefix(k, "panic.") {
			continue
		}
		kv = append(kv, [2]string{k, string(v)})
	}
	slices.SortFunc(kv, func(a, b [2]string) int { return strings.Compare(a[0], b[0]) })
	return kv
}
