package report

import (
	"bufio"
	"bytes"
	"fmt"
	"io"
	"os"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/autotrace/autotrace/internal/activetime"
	"github.com/autotrace/autotrace/internal/hotspot"
)

// Execution traces (AUTOTRACE_EXECTRACE files and AUTOTRACE_SLOW
// snapshots) are given with -exectrace or among the trace files, where
// they are told from JSON Lines by their header.

// execTraceMagic starts every Go execution trace ("go 1.26 trace\x00…").
var execTraceMagic = []byte("go 1.")

// isExecTrace reports whether the file at path is a Go execution trace.
func isExecTrace(path string) bool {
	f, err := os.Open(path)
	if err != nil {
		return false
	}
	defer f.Close()
	var b [8]byte
	n, _ := io.ReadFull(f, b[:])
	return bytes.HasPrefix(b[:n], execTraceMagic)
}

// splitExecTraces moves the execution traces among files to exec.
func splitExecTraces(files, exec []string) (spans, execs []string) {
	for _, f := range files {
		if f != "-" && isExecTrace(f) {
			exec = append(exec, f)
		} else {
			spans = append(spans, f)
		}
	}
	return spans, exec
}

// analyseExec analyses the execution traces, nil for none; a trace cut
// short is analysed as far as it goes, with a warning on stderr.
func analyseExec(paths []string, stderr io.Writer) (*activetime.Result, error) {
	if len(paths) == 0 {
		return nil, nil
	}
	var parts []*activetime.Result
	for _, p := range paths {
		f, err := os.Open(p)
		if err != nil {
			return nil, err
		}
		res, err := activetime.Analyze(bufio.NewReaderSize(f, 1<<20))
		f.Close()
		if err != nil {
			return nil, fmt.Errorf("%s: %v", p, err)
		}
		if res.Truncated != nil {
			fmt.Fprintf(stderr, "report: %s: execution trace cut short (%v); analysed what was read\n", p, res.Truncated)
		}
		parts = append(parts, res)
	}
	return activetime.Merge(parts...), nil
}

// activeLocations is the number of blocking locations shown per name.
const activeLocations = 3

// writeActiveTable writes the active-time section of the table format.
func writeActiveTable(w io.Writer, a *activetime.Result, top int) error {
	bw := bufio.NewWriter(w)
	fmt.Fprintf(bw, "\nActive time, from the execution trace (%d spans): where wall time went, per span name\n", len(a.Spans))
	fmt.Fprintln(bw, "(time of every goroutine working for the span, its children included: cpu+runnable+blocked is the wall")
	fmt.Fprintln(bw, "time on the span's own goroutine, plus \"elsewhere\", the time of the other goroutines working for it)")
	tw := tabwriter.NewWriter(bw, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "name\tcount\twall\tcpu\trunnable\tblocked\telsewhere\t  blocked by\t")
	for _, n := range a.Names {
		fmt.Fprintf(tw, "%s\t%d\t%s\t%s\t%s\t%s\t%s\t  %s\t\n", n.Name, n.Count, fd(n.Wall),
			fd(n.Time[activetime.CPU]), fd(n.Time[activetime.Runnable]), fd(n.Time.Blocked()), fd(n.Others), blockedBy(&n.Time))
	}
	tw.Flush()

	fmt.Fprintln(bw, "\nWhere spans block most")
	tw = tabwriter.NewWriter(bw, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "name\treason\tblocked\ttimes\tfunction\tlocation")
	for _, n := range a.Names {
		for i, l := range n.Locations {
			if i == activeLocations {
				break
			}
			fmt.Fprintf(tw, "%s\t%s\t%s\t%d\t%s\t%s:%d\n", n.Name, l.Category, fd(l.Blocked), l.Count, l.Func, l.File, l.Line)
		}
	}
	tw.Flush()

	if top > 0 && len(a.Spans) > 0 {
		fmt.Fprintln(bw, "\nLongest spans in the execution trace")
		tw = tabwriter.NewWriter(bw, 0, 0, 2, ' ', tabwriter.AlignRight)
		fmt.Fprintln(tw, "span\tname\twall\tgoroutines\tcpu\trunnable\tblocked\telsewhere\t  blocked by\t")
		for i, s := range a.Spans {
			if i == top {
				break
			}
			fmt.Fprintf(tw, "%s\t%s\t%s\t%d\t%s\t%s\t%s\t%s\t  %s\t\n", s.ID, s.Name, fd(s.Wall), s.Goroutines,
				fd(s.Time[activetime.CPU]), fd(s.Time[activetime.Runnable]), fd(s.Time.Blocked()), fd(s.Others), blockedBy(&s.Time))
		}
		tw.Flush()
	}
	return bw.Flush()
}

// blockedBy lists the blocking categories with time, largest first.
func blockedBy(b *activetime.Breakdown) string {
	var parts []string
	for _, c := range blockedOrder(b) {
		parts = append(parts, c.String()+" "+fd(b[c]))
	}
	return strings.Join(parts, ", ")
}

// blockedOrder returns the blocking categories with time, largest first.
func blockedOrder(b *activetime.Breakdown) []activetime.Category {
	var cs []activetime.Category
	for c := activetime.Channel; c < activetime.NumCategories; c++ {
		if b[c] > 0 {
			cs = append(cs, c)
		}
	}
	for i := 1; i < len(cs); i++ {
		for j := i; j > 0 && b[cs[j]] > b[cs[j-1]]; j-- {
			cs[j], cs[j-1] = cs[j-1], cs[j]
		}
	}
	return cs
}

func fd(ns int64) string { return hotspot.FormatDuration(time.Duration(ns)) }

// jsonActive is the json format's active_time: nanoseconds per category.
type jsonActive struct {
	Categories []string         `json:"categories"`
	Names      []jsonActiveName `json:"names"`
	Spans      []jsonActiveSpan `json:"spans"` // the longest, as many as -top
	// The slowest traces' critical paths, with their steps' active time.
	CriticalPaths []jsonActivePath `json:"critical_paths"`
	Events        int64            `json:"events"`
	DurationNs    int64            `json:"duration_ns"`
}

type jsonActiveName struct {
	Name      string               `json:"name"`
	Count     int                  `json:"count"`
	WallNs    int64                `json:"wall_ns"`
	Ns        map[string]int64     `json:"ns"` // by category
	BlockedNs int64                `json:"blocked_ns"`
	OthersNs  int64                `json:"elsewhere_ns"` // on other goroutines than the spans' own
	Locations []jsonActiveLocation `json:"locations"`
}

type jsonActiveSpan struct {
	SpanID     string           `json:"span_id"`
	Name       string           `json:"name"`
	StartNs    int64            `json:"start_ns"` // on the execution trace's clock
	WallNs     int64            `json:"wall_ns"`
	Goroutines int              `json:"goroutines"`
	Ns         map[string]int64 `json:"ns"`
	BlockedNs  int64            `json:"blocked_ns"`
	OthersNs   int64            `json:"elsewhere_ns"`
}

type jsonActiveLocation struct {
	Reason    string `json:"reason"`
	Func      string `json:"func"`
	File      string `json:"file"`
	Line      int    `json:"line"`
	BlockedNs int64  `json:"blocked_ns"`
	Count     int    `json:"count"`
}

// byCategory maps category names to nanoseconds.
func byCategory(b *activetime.Breakdown) map[string]int64 {
	m := make(map[string]int64, len(b))
	for c := range activetime.NumCategories {
		m[c.String()] = b[c]
	}
	return m
}

// toJSONActive converts d's active-time analysis for the json format.
func toJSONActive(d *data) *jsonActive {
	a, top := d.active, d.top
	if a == nil {
		return nil
	}
	j := &jsonActive{Categories: activetime.Categories(), Names: []jsonActiveName{}, Spans: []jsonActiveSpan{},
		CriticalPaths: toJSONActivePaths(activePaths(d)), Events: a.Events, DurationNs: a.Duration}
	for _, n := range a.Names {
		jn := jsonActiveName{Name: n.Name, Count: n.Count, WallNs: n.Wall, Ns: byCategory(&n.Time),
			BlockedNs: n.Time.Blocked(), OthersNs: n.Others, Locations: []jsonActiveLocation{}}
		for _, l := range n.Locations {
			jn.Locations = append(jn.Locations, jsonActiveLocation{Reason: l.Category.String(), Func: l.Func,
				File: l.File, Line: l.Line, BlockedNs: l.Blocked, Count: l.Count})
		}
		j.Names = append(j.Names, jn)
	}
	for i, s := range a.Spans {
		if i == top {
			break
		}
		j.Spans = append(j.Spans, jsonActiveSpan{SpanID: s.ID, Name: s.Name, StartNs: s.Start, WallNs: s.Wall,
			Goroutines: s.Goroutines, Ns: byCategory(&s.Time), BlockedNs: s.Time.Blocked(), OthersNs: s.Others})
	}
	return j
}
