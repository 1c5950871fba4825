// Command ratios reads `go test -bench` output of the autotrace-bench
// benchmarks and prints the median of each benchmark and the DESIGN §7
// ratios R1, R2 and R3 with their budgets. It exits 1 when a budget is
// missed, or when the benchmark R1 is measured on dropped spans, so
// scripts can tell.
//
//	ratios [label=FILE ...]   (no arguments: one run, on stdin)
//
// Each FILE is the output of one go test invocation (a "run"). Every ratio
// is taken within one run: R1 in the run that holds AutotraceExported, the
// hot path, R2 and R3 in the run that holds AutotraceOn. The process
// record a run ends with ({"process":…}, printed by the benchmarks'
// TestMain) gives the spans written and dropped over the whole run.
package main

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"
	"math"
	"os"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"
)

// result is one benchmark line.
type result struct {
	ns, allocs, spansPerSec, cpuNs, dropped, fileBytes float64
	hasDropped                                         bool
}

// process is a run's process record.
type process struct {
	Spans   uint64 `json:"spans"`
	Dropped uint64 `json:"dropped"`
}

// run is the output of one go test invocation.
type run struct {
	label string
	res   map[string][]result // "Name/cpus"
	order []string
	proc  *process
}

var lineRE = regexp.MustCompile(`^Benchmark(\w+?)(?:-(\d+))?\s+\d+\s+([\d.]+) ns/op(.*)$`)

func parse(label string, in io.Reader) (*run, error) {
	r := &run{label: label, res: map[string][]result{}}
	sc := bufio.NewScanner(in)
	sc.Buffer(make([]byte, 1<<16), 1<<24)
	for sc.Scan() {
		text := strings.TrimSpace(sc.Text())
		if strings.HasPrefix(text, `{"process":`) {
			var rec struct{ Process process }
			if err := json.Unmarshal([]byte(text), &rec); err == nil {
				r.proc = &rec.Process
			}
			continue
		}
		m := lineRE.FindStringSubmatch(text)
		if m == nil {
			continue
		}
		cpus := m[2]
		if cpus == "" {
			cpus = "1"
		}
		key := m[1] + "/" + cpus
		res := result{ns: atof(m[3])}
		fields := strings.Fields(m[4])
		for i := 1; i < len(fields); i++ {
			switch fields[i] {
			case "allocs/op":
				res.allocs = atof(fields[i-1])
			case "spans/s":
				res.spansPerSec = atof(fields[i-1])
			case "cpu-ns/op":
				res.cpuNs = atof(fields[i-1])
			case "dropped/span":
				res.dropped, res.hasDropped = atof(fields[i-1]), true
			case "file-B/span":
				res.fileBytes = atof(fields[i-1])
			}
		}
		if _, seen := r.res[key]; !seen {
			r.order = append(r.order, key)
		}
		r.res[key] = append(r.res[key], res)
	}
	return r, sc.Err()
}

// med is the median of f over the results of key ("Name/cpus"), 0 if none.
func (r *run) med(key string, f func(result) float64) float64 {
	var v []float64
	for _, x := range r.res[key] {
		v = append(v, f(x))
	}
	if len(v) == 0 {
		return 0
	}
	sort.Float64s(v)
	return v[len(v)/2]
}

// maxOf is the largest f over the results of key.
func (r *run) maxOf(key string, f func(result) float64) float64 {
	m := 0.0
	for _, x := range r.res[key] {
		m = max(m, f(x))
	}
	return m
}

// added is what benchmark name adds to BenchmarkPlain at cpus, the
// median of f for each.
func (r *run) added(name, cpus string, f func(result) float64) float64 {
	return r.med(name+"/"+cpus, f) - r.med("Plain/"+cpus, f)
}

func (r *run) has(name string) bool {
	return len(r.res[name+"/1"]) > 0 || len(r.res[name+"/2"]) > 0
}

var (
	ns      = func(r result) float64 { return r.ns }
	cpu     = func(r result) float64 { return r.cpuNs }
	allocs  = func(r result) float64 { return r.allocs }
	sps     = func(r result) float64 { return r.spansPerSec }
	dropped = func(r result) float64 { return r.dropped }
	fileB   = func(r result) float64 { return r.fileBytes }
)

// empty stands for a run missing from the input: every median is 0.
var empty = &run{res: map[string][]result{}}

func main() {
	var runs []*run
	if len(os.Args) > 1 {
		for _, a := range os.Args[1:] {
			label, file, ok := strings.Cut(a, "=")
			if !ok {
				label, file = a, a
			}
			f, err := os.Open(file)
			if err != nil {
				fmt.Fprintln(os.Stderr, "ratios:", err)
				os.Exit(2)
			}
			r, err := parse(label, f)
			f.Close()
			if err != nil {
				fmt.Fprintln(os.Stderr, "ratios:", err)
				os.Exit(2)
			}
			runs = append(runs, r)
		}
	} else {
		r, err := parse("stdin", os.Stdin)
		if err != nil {
			fmt.Fprintln(os.Stderr, "ratios:", err)
			os.Exit(2)
		}
		runs = append(runs, r)
	}
	find := func(name string) *run {
		for _, r := range runs {
			if r.has(name) {
				return r
			}
		}
		return empty
	}
	total := 0
	for _, r := range runs {
		total += len(r.res)
	}
	if total == 0 {
		fmt.Fprintln(os.Stderr, "ratios: no benchmark lines")
		os.Exit(2)
	}

	for _, r := range runs {
		if len(r.res) == 0 {
			continue
		}
		fmt.Printf("run %q:\n", r.label)
		fmt.Printf("%-28s %5s %12s %12s %10s %14s %11s %13s\n", "benchmark (median)", "cpus", "ns/op", "cpu-ns/op", "allocs/op", "spans/s", "file-B/span", "dropped/span")
		order := slices.Clone(r.order)
		slices.Sort(order)
		for _, k := range order {
			name, cpus, _ := strings.Cut(k, "/")
			s := ""
			if v := r.med(k, sps); v > 0 {
				s = strconv.FormatFloat(v, 'f', 0, 64)
			}
			d, what := "", ""
			if r.res[k][0].hasDropped {
				d = strconv.FormatFloat(r.med(k, dropped), 'f', 3, 64)
				what = "  every span written"
				if r.maxOf(k, dropped) > 0 {
					what = "  hot path (storm: the exporter dropped spans)"
				}
			}
			fb := ""
			if v := r.med(k, fileB); v > 0 {
				fb = strconv.FormatFloat(v, 'f', 1, 64)
			}
			fmt.Printf("%-28s %5s %12.1f %12.1f %10.0f %14s %11s %13s%s\n", name, cpus, r.med(k, ns), r.med(k, cpu), r.med(k, allocs), s, fb, d, what)
		}
		if p := r.proc; p != nil {
			frac := 0.0
			if p.Spans+p.Dropped > 0 {
				frac = float64(p.Dropped) / float64(p.Spans+p.Dropped)
			}
			fmt.Printf("process record: spans %d, dropped %d (%.1f%% of recorded spans dropped)\n", p.Spans, p.Dropped, 100*frac)
		} else {
			fmt.Println("process record: none")
		}
		fmt.Println()
	}

	failed := false
	check := func(id, what string, got, budget float64, atLeast bool, detail string) {
		ok := got >= budget
		if !atLeast {
			ok = got <= budget
		}
		verdict := "ok"
		if !ok {
			verdict, failed = "MISSED", true
		}
		cmp := "≥"
		if !atLeast {
			cmp = "≤"
		}
		fmt.Printf("%s %-44s %8.2f  (budget %s %g)  %s  %s\n", id, what, got, cmp, budget, verdict, detail)
	}
	pct := func(r *run, key string) string {
		return fmt.Sprintf("%.0f%%", 100*r.med(key, dropped))
	}

	// R1: every span encoded and written, on the benchmark's clock. A run
	// in which that benchmark dropped any span does not measure R1.
	ex := find("AutotraceExported")
	if ex != empty {
		drops := 0.0
		for _, cpus := range []string{"1", "2"} {
			drops = max(drops, ex.maxOf("AutotraceExported/"+cpus, dropped))
		}
		if drops > 0 || ex.proc != nil && ex.proc.Dropped > 0 {
			fmt.Printf("R1 INVALID: the exported benchmark dropped spans (up to %.4f per span", drops)
			if ex.proc != nil {
				fmt.Printf("; its run's process record: dropped %d", ex.proc.Dropped)
			}
			fmt.Println(")")
			failed = true
		}
	} else {
		fmt.Println("R1 not measured: no AutotraceExported benchmark in the input")
		failed = true
	}
	// The budget's anchor is the SDK flushed alike (DESIGN §7); the SDK
	// left to its batcher and the SDK writing a file are printed beside it.
	anchor := "OTelSDKFlushed"
	if !ex.has(anchor) {
		anchor = "OTelSDK"
	}
	for _, cpus := range []string{"1", "2"} {
		on, sdk := ex.added("AutotraceExported", cpus, ns), ex.added(anchor, cpus, ns)
		if on <= 0 || sdk <= 0 {
			continue
		}
		check("R1", anchor+" / autotrace exported, cpus="+cpus, sdk/on, 10, true,
			fmt.Sprintf("(%.1f ns vs %.1f ns added, every span written; %.0f alloc)", sdk, on, ex.med("AutotraceExported/"+cpus, allocs)))
		check("R1", "autotrace exported allocs/op, cpus="+cpus, ex.med("AutotraceExported/"+cpus, allocs), 1, false, "")
		for _, other := range []string{"OTelSDK", "OTelSDKFile"} {
			if other == anchor || !ex.has(other) {
				continue
			}
			o := ex.added(other, cpus, ns)
			fmt.Printf("R1 %-44s %8.2f  (not budgeted: %.1f ns vs %.1f ns added", other+" / autotrace exported, cpus="+cpus, o/on, o, on)
			if b := ex.med(other+"/"+cpus, fileB); b > 0 {
				fmt.Printf("; file bytes a span %.1f vs %.1f", b, ex.med("AutotraceExported/"+cpus, fileB))
			}
			fmt.Println(")")
		}
	}
	// What R1 leaves room for: a tenth of OpenTelemetry's cost, against
	// the one allocation a span cannot do without (it is also the child
	// context), measured alone in the same script run.
	if ga := find("GoAllocParallel"); ga != empty {
		sdk := ex.added(anchor, "1", ns)
		if a := ga.med("GoAllocParallel/1", ns); sdk > 0 && a > 0 {
			fmt.Printf("R1 floor: the budget leaves %.1f ns a span (cpus=1); one 112-byte allocation alone takes %.1f ns (%.0f%% of it), before clock reads, ids and export\n",
				sdk/10, a, 100*a/(sdk/10))
		}
	}
	hot := find("AutotraceOn")
	for _, cpus := range []string{"1", "2"} {
		on, sdk := hot.added("AutotraceOn", cpus, ns), hot.added("OTelSDK", cpus, ns)
		if on > 0 && sdk > 0 {
			fmt.Printf("R1hot OTel SDK / autotrace hot path, cpus=%s     %8.2f  (not the budget's measure: %.1f ns vs %.1f ns added; storm, %s of spans dropped by the exporter's CPU cap)\n",
				cpus, sdk/on, sdk, on, pct(hot, "AutotraceOn/"+cpus))
		}
	}
	for _, cpus := range []string{"1", "2"} {
		on, sdk := hot.added("AutotraceChild", cpus, ns), hot.added("OTelSDKChild", cpus, ns)
		if on > 0 && sdk > 0 {
			fmt.Printf("R1child OTel SDK / autotrace, child span, cpus=%s %8.2f  (hot path, not the budget's shape: %.1f ns vs %.1f ns added; storm, %s of spans dropped)\n",
				cpus, sdk/on, sdk, on, pct(hot, "AutotraceChild/"+cpus))
		}
	}
	r2 := find("AutotraceOff")
	for _, cpus := range []string{"1", "2"} {
		off, noop := r2.added("AutotraceOff", cpus, ns), r2.added("OTelNoop", cpus, ns)
		if off <= 0 || noop <= 0 {
			continue
		}
		check("R2", "OTel no-op / autotrace off, cpus="+cpus, noop/off, 10, true,
			fmt.Sprintf("(%.1f ns vs %.1f ns added; %.0f allocs)", noop, off, r2.med("AutotraceOff/"+cpus, allocs)))
	}
	r3 := find("AutotraceParallel")
	if one := r3.med("AutotraceParallel/1", sps); one > 0 && r3.med("AutotraceParallel/2", sps) > 0 {
		// R3's budget is the Go allocator's own scaling in the same run.
		budget := 0.0
		if ga := find("GoAllocParallel"); ga.med("GoAllocParallel/1", sps) > 0 {
			budget = ga.med("GoAllocParallel/2", sps) / ga.med("GoAllocParallel/1", sps)
		}
		check("R3", "autotrace spans/s, 2 cpus / 1 cpu", r3.med("AutotraceParallel/2", sps)/one, math.Round(budget*100)/100, true,
			fmt.Sprintf("(OTel SDK: %.2f; storm, %s / %s of spans dropped at 1 / 2 cpus)",
				r3.med("OTelSDKParallel/2", sps)/max(r3.med("OTelSDKParallel/1", sps), 1),
				pct(r3, "AutotraceParallel/1"), pct(r3, "AutotraceParallel/2")))
	}
	if ga := find("GoAllocParallel"); ga.med("GoAllocParallel/1", sps) > 0 && ga.med("GoAllocParallel/2", sps) > 0 {
		fmt.Printf("R3 anchor: Go allocator alone, 2 cpus / 1 cpu: %.2f  (%.0f vs %.0f 112-byte objects/s; R3's budget)\n",
			ga.med("GoAllocParallel/2", sps)/ga.med("GoAllocParallel/1", sps), ga.med("GoAllocParallel/2", sps), ga.med("GoAllocParallel/1", sps))
	}

	// The same ratios in CPU time: what a span costs the whole process
	// (exporter and GC included), whatever else the machine runs.
	fmt.Println("\nin CPU time per span (not budgeted; robust to a busy machine):")
	for _, cpus := range []string{"1", "2"} {
		on, sdk := ex.added("AutotraceExported", cpus, cpu), ex.added(anchor, cpus, cpu)
		if on > 0 {
			fmt.Printf("R1cpu %s / autotrace exported, cpus=%s  %8.2f  (%.1f vs %.1f cpu-ns)\n", anchor, cpus, sdk/on, sdk, on)
		}
	}
	for _, cpus := range []string{"1", "2"} {
		on, sdk := hot.added("AutotraceOn", cpus, cpu), hot.added("OTelSDK", cpus, cpu)
		if on > 0 {
			fmt.Printf("R1hotcpu OTel SDK / autotrace hot path, cpus=%s  %8.2f  (%.1f vs %.1f cpu-ns; storm, %s of spans dropped)\n", cpus, sdk/on, sdk, on, pct(hot, "AutotraceOn/"+cpus))
		}
	}
	if one, two := r3.med("AutotraceParallel/1", cpu), r3.med("AutotraceParallel/2", cpu); one > 0 && two > 0 {
		fmt.Printf("R3cpu 2-P speed-up if two cores were free          %8.2f  (%.1f cpu-ns/span at 1 P, %.1f at 2 P)\n", 2*one/two, one, two)
	}
	if one, two := find("GoAllocParallel").med("GoAllocParallel/1", cpu), find("GoAllocParallel").med("GoAllocParallel/2", cpu); one > 0 && two > 0 {
		fmt.Printf("R3cpu anchor: Go allocator alone, if two cores were free %.2f  (%.1f cpu-ns/object at 1 P, %.1f at 2 P)\n", 2*one/two, one, two)
	}
	if failed {
		os.Exit(1)
	}
}

func atof(s string) float64 {
	f, _ := strconv.ParseFloat(s, 64)
	return f
}
