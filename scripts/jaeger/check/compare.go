package main

import (
	"bufio"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"strings"
	"time"
)

// fileSpan is a span line of the trace file.
type fileSpan struct {
	TraceID  string         `json:"trace_id"`
	SpanID   string         `json:"span_id"`
	ParentID string         `json:"parent_id"`
	Name     string         `json:"name"`
	StartNs  int64          `json:"start_ns"`
	DurNs    int64          `json:"dur_ns"`
	Status   string         `json:"status"`
	Error    string         `json:"error"`
	Attrs    map[string]any `json:"attrs"`
}

func readSpans(path string) ([]fileSpan, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	var spans []fileSpan
	sc := bufio.NewScanner(f)
	sc.Buffer(nil, 4<<20)
	for n := 1; sc.Scan(); n++ {
		var s fileSpan
		if err := json.Unmarshal(sc.Bytes(), &s); err != nil {
			return nil, fmt.Errorf("%s:%d: %v", path, n, err)
		}
		if s.SpanID != "" {
			spans = append(spans, s)
		}
	}
	return spans, sc.Err()
}

// compare checks Jaeger against a trace file and prints one line per check.
func compare(args []string) int {
	var file string
	var wait time.Duration
	var mixed bool
	query, service, _ := queryFlags("compare", args, func(fs *flag.FlagSet) {
		fs.StringVar(&file, "file", "", "trace file")
		fs.BoolVar(&mixed, "mixed", false, "also expect OpenTelemetry spans between autotrace spans")
		fs.DurationVar(&wait, "wait", 30*time.Second, "how long to wait for the spans")
	})
	want, err := readSpans(file)
	if err != nil || len(want) == 0 {
		fmt.Printf("FAIL %s: reading %s: %v (%d spans)\n", service, file, err, len(want))
		return 1
	}
	got, err := poll(query, service, func(got map[string]*jaegerSpan) bool {
		for i := range want {
			if got[want[i].SpanID] == nil {
				return false
			}
		}
		return true
	}, wait)
	if err != nil {
		fmt.Printf("FAIL %s: %v\n", service, err)
		return 1
	}
	failed := 0
	for _, c := range checks {
		var bad []string
		for i := range want {
			w := &want[i]
			g := got[w.SpanID]
			if g == nil {
				if c.name == "every span arrived" {
					bad = append(bad, w.Name+" "+w.SpanID+" missing")
				}
				continue
			}
			if msg := c.fn(w, g, service); msg != "" {
				bad = append(bad, fmt.Sprintf("%s %s: %s", w.Name, w.SpanID, msg))
			}
		}
		if len(bad) == 0 {
			fmt.Printf("ok   %s: %s (%d spans)\n", service, c.name, len(want))
			continue
		}
		failed++
		if len(bad) > 5 {
			bad = append(bad[:5], fmt.Sprintf("and %d more", len(bad)-5))
		}
		fmt.Printf("FAIL %s: %s:\n\t%s\n", service, c.name, strings.Join(bad, "\n\t"))
	}
	total := len(checks)
	if mixed {
		total++
		if msg := checkMixed(want, got); msg != "" {
			failed++
			fmt.Printf("FAIL %s: mixed tree: %s\n", service, msg)
		} else {
			fmt.Printf("ok   %s: mixed tree: OpenTelemetry spans are children and parents of autotrace spans\n", service)
		}
	}
	fmt.Printf("checks: %d passed, %d failed\n", total-failed, failed)
	if failed > 0 {
		return 1
	}
	return 0
}

// checks compare one span of the file with Jaeger's; "" when they agree.
var checks = []struct {
	name string
	fn   func(w *fileSpan, g *jaegerSpan, service string) string
}{
	{"every span arrived", func(w *fileSpan, g *jaegerSpan, _ string) string { return "" }},
	{"trace id and name", func(w *fileSpan, g *jaegerSpan, _ string) string {
		if g.TraceID != w.TraceID || g.OperationName != w.Name {
			return fmt.Sprintf("got %s %q", g.TraceID, g.OperationName)
		}
		return ""
	}},
	{"parent link", func(w *fileSpan, g *jaegerSpan, _ string) string {
		if g.parent() != w.ParentID {
			return fmt.Sprintf("parent %q, want %q", g.parent(), w.ParentID)
		}
		return ""
	}},
	{"timing", func(w *fileSpan, g *jaegerSpan, _ string) string {
		if g.StartTime != w.StartNs/1000 || abs(g.Duration-w.DurNs/1000) > 1 {
			return fmt.Sprintf("start %dµs dur %dµs, want %d %d", g.StartTime, g.Duration, w.StartNs/1000, w.DurNs/1000)
		}
		return ""
	}},
	{"service name", func(w *fileSpan, g *jaegerSpan, service string) string {
		if g.service != service {
			return fmt.Sprintf("service %q", g.service)
		}
		return ""
	}},
	{"status", func(w *fileSpan, g *jaegerSpan, _ string) string {
		isErr, _ := g.tag("error")
		desc, _ := g.tag("otel.status_description")
		switch w.Status {
		case "ok":
			if isErr == true {
				return "error tag on an ok span"
			}
		case "error":
			if isErr != true || desc != w.Error {
				return fmt.Sprintf("error=%v description %q, want %q", isErr, desc, w.Error)
			}
		case "panic":
			if want := "panic: " + fmt.Sprint(w.Attrs["panic.value"]); isErr != true || desc != want {
				return fmt.Sprintf("error=%v description %q, want %q", isErr, desc, want)
			}
		}
		return ""
	}},
	{"attributes", func(w *fileSpan, g *jaegerSpan, _ string) string {
		for k, v := range w.Attrs {
			if strings.HasPrefix(k, "panic.") {
				continue // in the exception event
			}
			got, ok := g.tag(k)
			if !ok || fmt.Sprint(got) != fmt.Sprint(v) {
				return fmt.Sprintf("tag %s = %v, want %v", k, got, v)
			}
		}
		return ""
	}},
	{"exception events", func(w *fileSpan, g *jaegerSpan, _ string) string {
		want := ""
		switch w.Status {
		case "error":
			want = w.Error
		case "panic":
			want = fmt.Sprint(w.Attrs["panic.value"])
		}
		if got := g.logField("exception.message"); got != want {
			return fmt.Sprintf("exception.message %q, want %q", got, want)
		}
		return ""
	}},
}

func abs(n int64) int64 {
	if n < 0 {
		return -n
	}
	return n
}

// count waits until Jaeger holds want spans of service and prints how
// many it holds.
func count(args []string) int {
	var want int
	var wait time.Duration
	query, service, _ := queryFlags("count", args, func(fs *flag.FlagSet) {
		fs.IntVar(&want, "want", 0, "spans expected")
		fs.DurationVar(&wait, "wait", 30*time.Second, "how long to wait")
	})
	got, err := poll(query, service, func(got map[string]*jaegerSpan) bool { return len(got) >= want }, wait)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	fmt.Println(len(got))
	if len(got) < want {
		return 1
	}
	return 0
}

// checkMixed checks the spans Jaeger holds that are not in the trace file,
// the program's own OpenTelemetry spans: there must be some, and each must
// be the child of an autotrace span and the parent of another, in the same
// trace.
func checkMixed(want []fileSpan, got map[string]*jaegerSpan) string {
	inFile := map[string]*fileSpan{}
	hasChild := map[string]bool{}
	for i := range want {
		inFile[want[i].SpanID] = &want[i]
		hasChild[want[i].ParentID] = true
	}
	foreign := 0
	for id, g := range got {
		if inFile[id] != nil {
			continue
		}
		foreign++
		p := inFile[g.parent()]
		switch {
		case p == nil:
			return fmt.Sprintf("%s %s: parent %q is not an autotrace span", g.OperationName, id, g.parent())
		case p.TraceID != g.TraceID:
			return fmt.Sprintf("%s %s: trace %s, its parent's %s", g.OperationName, id, g.TraceID, p.TraceID)
		case !hasChild[id]:
			return fmt.Sprintf("%s %s: no autotrace span is its child", g.OperationName, id)
		}
	}
	if foreign == 0 {
		return "no OpenTelemetry spans arrived"
	}
	return ""
}
