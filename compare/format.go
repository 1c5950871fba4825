package compare

import (
	"bufio"
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/autotrace/autotrace/internal/hotspot"
)

// Formats lists the output formats, the default first.
var Formats = []string{"table", "json", "markdown"}

// Write renders res in format: "table", "json" or "markdown".
func Write(w io.Writer, format string, res *Result) error {
	switch format {
	case "json":
		return writeJSON(w, res)
	case "markdown":
		return writeMarkdown(w, res)
	case "table":
		return writeTable(w, res)
	}
	return fmt.Errorf("unknown format %q", format)
}

var columns = []string{"span", "count", "calls/trace", "self p50", "self p95", "total p50", "total p95", "change", "p", "verdict"}

// cells returns the table cells of a row, in the order of columns.
func cells(r *Row, alpha float64) []string {
	pair := func(f func(*Summary) string) string {
		b, h := "-", "-"
		if r.Base != nil {
			b = f(r.Base)
		}
		if r.Head != nil {
			h = f(r.Head)
		}
		return b + " → " + h
	}
	dur := func(f func(*Summary) int64) string {
		return pair(func(s *Summary) string { return hotspot.FormatDuration(time.Duration(f(s))) })
	}
	p := ""
	if r.Test != nil {
		p = strconv.FormatFloat(r.Test.P, 'f', 3, 64)
	}
	return []string{
		r.Name,
		pair(func(s *Summary) string { return hotspot.FormatCount(int64(s.Count)) }),
		pair(func(s *Summary) string { return formatCalls(s.CallsPerTrace) }),
		dur(func(s *Summary) int64 { return s.SelfP50 }),
		dur(func(s *Summary) int64 { return s.SelfP95 }),
		dur(func(s *Summary) int64 { return s.TotalP50 }),
		dur(func(s *Summary) int64 { return s.TotalP95 }),
		formatChange(r.Change),
		p,
		r.Verdict(alpha),
	}
}

func formatCalls(v float64) string {
	if math.IsNaN(v) {
		return "-"
	}
	return strconv.FormatFloat(v, 'f', 2, 64)
}

// formatChange formats a fraction as a signed percentage.
func formatChange(v float64) string {
	switch {
	case math.IsNaN(v):
		return ""
	case math.IsInf(v, 1):
		return "+∞"
	}
	return fmt.Sprintf("%+.1f%%", 100*v)
}

// formatPercent formats a fraction as a percentage without a sign.
func formatPercent(v float64) string {
	return fmt.Sprintf("%.4g%%", 100*v)
}

// describeSide is one line about the inputs of a side.
func describeSide(label string, s *Side) string {
	files := strings.Join(s.Files, " ")
	if len(s.Files) > 3 {
		files = strconv.Itoa(len(s.Files)) + " files"
	}
	line := fmt.Sprintf("%s: %s: %s, %s", label, files, plural(s.Spans, "span"), plural(s.Roots, "root trace"))
	if s.Dropped > 0 {
		line += fmt.Sprintf("; %s spans dropped while recording (counts are low)", hotspot.FormatCount(s.Dropped))
	}
	if s.Malformed > 0 {
		line += fmt.Sprintf("; %s malformed lines (first: %s)", hotspot.FormatCount(s.Malformed), s.MalformedAt[0])
	}
	if s.Sampled > 0 {
		line += fmt.Sprintf("; %s sampled: medians, p95 and the U test use a uniform %s of their spans (counts stay exact)",
			plural(int64(s.Sampled), "name"), hotspot.FormatCount(hotspot.SampleCap))
	}
	return line
}

// plural returns "1 span" or "1,234 spans".
func plural(n int64, word string) string {
	if n == 1 {
		return "1 " + word
	}
	return hotspot.FormatCount(n) + " " + word + "s"
}

// rules says what the verdicts rest on.
func rules(o *Options) string {
	calls := "more calls: calls per root trace up over " + formatPercent(o.Threshold)
	if !o.Calls {
		calls = "calls per root trace not judged (-calls=false)"
	}
	return fmt.Sprintf("metric: median %s time; slower/faster: p < %v (Mann–Whitney U, two-sided) and a change over %s; "+
		"%s; too few: under %d spans on a side",
		o.Metric, o.Alpha, formatPercent(o.Threshold), calls, o.MinCount)
}

// regressionLine names the regressions, or says there are none.
func regressionLine(res *Result, quote func(string) string) string {
	var names []string
	for i := range res.Rows {
		if res.Rows[i].Regression() {
			names = append(names, quote(res.Rows[i].Name))
		}
	}
	switch len(names) {
	case 0:
		return "no regressions"
	case 1:
		return "1 regression: " + names[0]
	}
	return strconv.Itoa(len(names)) + " regressions: " + strings.Join(names, ", ")
}

func writeTable(w io.Writer, res *Result) error {
	bw := bufio.NewWriter(w)
	fmt.Fprintln(bw, describeSide("base", res.Base))
	fmt.Fprintln(bw, describeSide("head", res.Head))
	fmt.Fprintln(bw)
	if len(res.Rows) == 0 {
		fmt.Fprintln(bw, "no spans to compare")
	} else {
		tw := tabwriter.NewWriter(bw, 0, 0, 2, ' ', 0)
		fmt.Fprintln(tw, strings.ToUpper(strings.Join(columns, "\t")))
		for i := range res.Rows {
			fmt.Fprintln(tw, strings.Join(cells(&res.Rows[i], res.Options.Alpha), "\t"))
		}
		tw.Flush()
	}
	fmt.Fprintln(bw)
	fmt.Fprintln(bw, rules(&res.Options))
	fmt.Fprintln(bw, regressionLine(res, func(s string) string { return s }))
	return bw.Flush()
}

func writeMarkdown(w io.Writer, res *Result) error {
	bw := bufio.NewWriter(w)
	code := func(s string) string { return "`" + strings.ReplaceAll(s, "`", "'") + "`" }
	fmt.Fprintf(bw, "**autotrace compare**: %s\n\n", regressionLine(res, code))
	if len(res.Rows) == 0 {
		fmt.Fprintln(bw, "No spans to compare.")
	} else {
		fmt.Fprintln(bw, "| "+strings.Join(columns, " | ")+" |")
		fmt.Fprintln(bw, "|---|"+strings.Repeat("--:|", len(columns)-2)+"---|")
		for i := range res.Rows {
			r := &res.Rows[i]
			c := cells(r, res.Options.Alpha)
			c[0] = code(c[0])
			if r.Regression() {
				c[len(c)-1] = "**" + c[len(c)-1] + "**"
			}
			for j := range c {
				c[j] = strings.ReplaceAll(c[j], "|", `\|`)
			}
			fmt.Fprintln(bw, "| "+strings.Join(c, " | ")+" |")
		}
	}
	fmt.Fprintln(bw)
	fmt.Fprintln(bw, describeSide("base", res.Base)+"  ")
	fmt.Fprintln(bw, describeSide("head", res.Head)+"  ")
	fmt.Fprintln(bw, rules(&res.Options))
	return bw.Flush()
}
