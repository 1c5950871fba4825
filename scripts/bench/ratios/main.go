// Command ratios reads `go test -bench` output of the autotrace-bench
// benchmarks on stdin and prints the median of each benchmark and the
// DESIGN §7 ratios R1, R2 and R3 with their budgets. It exits 1 when a
// budget is missed, so scripts can tell.
package main

import (
	"bufio"
	"fmt"
	"os"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"
)

// result is one benchmark line.
type result struct {
	ns, allocs, spansPerSec, cpuNs float64
}

var lineRE = regexp.MustCompile(`^Benchmark(\w+?)(?:-(\d+))?\s+\d+\s+([\d.]+) ns/op(.*)$`)

func main() {
	runs := map[string][]result{} // "Name/cpus"
	var order []string
	sc := bufio.NewScanner(os.Stdin)
	for sc.Scan() {
		m := lineRE.FindStringSubmatch(strings.TrimSpace(sc.Text()))
		if m == nil {
			continue
		}
		cpus := m[2]
		if cpus == "" {
			cpus = "1"
		}
		key := m[1] + "/" + cpus
		r := result{ns: atof(m[3])}
		fields := strings.Fields(m[4])
		for i := 1; i < len(fields); i++ {
			switch fields[i] {
			case "allocs/op":
				r.allocs = atof(fields[i-1])
			case "spans/s":
				r.spansPerSec = atof(fields[i-1])
			case "cpu-ns/op":
				r.cpuNs = atof(fields[i-1])
			}
		}
		if _, seen := runs[key]; !seen {
			order = append(order, key)
		}
		runs[key] = append(runs[key], r)
	}
	if len(runs) == 0 {
		fmt.Fprintln(os.Stderr, "ratios: no benchmark lines on stdin")
		os.Exit(2)
	}
	med := func(key string, f func(result) float64) float64 {
		var v []float64
		for _, r := range runs[key] {
			v = append(v, f(r))
		}
		if len(v) == 0 {
			return 0
		}
		sort.Float64s(v)
		return v[len(v)/2]
	}
	ns := func(r result) float64 { return r.ns }

	cpu := func(r result) float64 { return r.cpuNs }
	fmt.Printf("%-28s %5s %12s %12s %10s %14s\n", "benchmark (median)", "cpus", "ns/op", "cpu-ns/op", "allocs/op", "spans/s")
	slices.Sort(order)
	for _, k := range order {
		name, cpus, _ := strings.Cut(k, "/")
		sps := ""
		if v := med(k, func(r result) float64 { return r.spansPerSec }); v > 0 {
			sps = strconv.FormatFloat(v, 'f', 0, 64)
		}
		fmt.Printf("%-28s %5s %12.1f %12.1f %10.0f %14s\n", name, cpus, med(k, ns), med(k, cpu), med(k, func(r result) float64 { return r.allocs }), sps)
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
	fmt.Println()
	for _, cpus := range []string{"1", "2"} {
		plain := med("Plain/"+cpus, ns)
		on, sdk := med("AutotraceOn/"+cpus, ns)-plain, med("OTelSDK/"+cpus, ns)-plain
		off, noop := med("AutotraceOff/"+cpus, ns)-plain, med("OTelNoop/"+cpus, ns)-plain
		if on <= 0 || off <= 0 {
			continue
		}
		check("R1", "OTel SDK / autotrace recorded, cpus="+cpus, sdk/on, 10, true,
			fmt.Sprintf("(%.1f ns vs %.1f ns added; %.0f alloc)", sdk, on, med("AutotraceOn/"+cpus, func(r result) float64 { return r.allocs })))
		check("R2", "OTel no-op / autotrace off, cpus="+cpus, noop/off, 10, true,
			fmt.Sprintf("(%.1f ns vs %.1f ns added; %.0f allocs)", noop, off, med("AutotraceOff/"+cpus, func(r result) float64 { return r.allocs })))
	}
	for _, cpus := range []string{"1", "2"} {
		plain := med("Plain/"+cpus, ns)
		on, sdk := med("AutotraceChild/"+cpus, ns)-plain, med("OTelSDKChild/"+cpus, ns)-plain
		if on > 0 && sdk > 0 {
			fmt.Printf("R1child OTel SDK / autotrace, child span, cpus=%s %8.2f  (not the budget's shape: %.1f ns vs %.1f ns added)\n", cpus, sdk/on, sdk, on)
		}
	}
	sps := func(name, cpus string) float64 {
		return med(name+"/"+cpus, func(r result) float64 { return r.spansPerSec })
	}
	if one := sps("AutotraceParallel", "1"); one > 0 && sps("AutotraceParallel", "2") > 0 {
		check("R3", "autotrace spans/s, 2 cpus / 1 cpu", sps("AutotraceParallel", "2")/one, 1.7, true,
			fmt.Sprintf("(OTel SDK: %.2f)", sps("OTelSDKParallel", "2")/max(sps("OTelSDKParallel", "1"), 1)))
	}

	// The same ratios in CPU time: what a span costs the whole process
	// (exporter and GC included), whatever else the machine runs.
	fmt.Println("\nin CPU time per span (not budgeted; robust to a busy machine):")
	for _, cpus := range []string{"1", "2"} {
		plain := med("Plain/"+cpus, cpu)
		on, sdk := med("AutotraceOn/"+cpus, cpu)-plain, med("OTelSDK/"+cpus, cpu)-plain
		if on > 0 {
			fmt.Printf("R1cpu OTel SDK / autotrace recorded, cpus=%s      %8.2f  (%.1f vs %.1f cpu-ns)\n", cpus, sdk/on, sdk, on)
		}
	}
	if one, two := med("AutotraceParallel/1", cpu), med("AutotraceParallel/2", cpu); one > 0 && two > 0 {
		fmt.Printf("R3cpu 2-P speed-up if two cores were free          %8.2f  (%.1f cpu-ns/span at 1 P, %.1f at 2 P)\n", 2*one/two, one, two)
	}
	if failed {
		os.Exit(1)
	}
}

func atof(s string) float64 {
	f, _ := strconv.ParseFloat(s, 64)
	return f
}
