// Command rtgen records a trace of a known shape with the autotrace runtime
// itself (binary format, every span written by the real recorder), for the
// report's scale benchmarks and known-answer checks (scripts/report-bench.sh):
//
//	go run ./report/internal/gentrace/rtgen -shape wide  -spans N -o FILE  # one root, N descendants (children with one leaf each)
//	go run ./report/internal/gentrace/rtgen -shape roots -spans N -o FILE  # N/3 roots of 3 spans
//	go run ./report/internal/gentrace/rtgen -shape shop  -spans N -o FILE  # roots of 91 spans (10 children of 8 leaves each)
//
// -procs P runs P processes appending to the one file, each with N/P spans.
// All spans nest sequentially on one goroutine, so a trace's self times add
// up to its root's duration exactly: the known answer.
package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"strconv"

	autotrace "github.com/autotrace/autotrace/runtime"
)

func main() {
	shape := flag.String("shape", "shop", "wide, roots or shop")
	spans := flag.Int("spans", 1000, "spans to record (about)")
	out := flag.String("o", "", "trace file (appended)")
	procs := flag.Int("procs", 1, "processes appending to the file")
	flag.Parse()
	if *out == "" {
		fmt.Fprintln(os.Stderr, "rtgen: -o FILE is required")
		os.Exit(2)
	}
	if *procs > 1 {
		os.Exit(fanOut(*procs, *shape, *spans, *out))
	}
	if err := autotrace.Configure(autotrace.Config{Out: *out, Format: "binary"}); err != nil {
		fmt.Fprintln(os.Stderr, "rtgen:", err)
		os.Exit(1)
	}
	switch *shape {
	case "wide":
		root := autotrace.StartHere("wide.main")
		for range *spans / 2 {
			c := autotrace.StartHere("wide.child")
			autotrace.StartHere("wide.leaf").End()
			c.End()
		}
		root.End()
	case "roots":
		for range *spans / 3 {
			r := autotrace.StartHere("roots.req")
			autotrace.StartHere("roots.a").End()
			autotrace.StartHere("roots.b").End()
			r.End()
		}
	case "shop":
		for range *spans / 91 {
			r := autotrace.StartHere("shop.handle")
			for range 10 {
				c := autotrace.StartHere("shop.step")
				for range 8 {
					autotrace.StartHere("shop.leaf").End()
				}
				c.End()
			}
			r.End()
		}
	default:
		fmt.Fprintf(os.Stderr, "rtgen: unknown shape %q\n", *shape)
		os.Exit(2)
	}
	if err := autotrace.Shutdown(context.Background()); err != nil {
		fmt.Fprintln(os.Stderr, "rtgen:", err)
		os.Exit(1)
	}
}

// fanOut runs procs copies of this command, each with its share of spans.
func fanOut(procs int, shape string, spans int, out string) int {
	var cmds []*exec.Cmd
	for range procs {
		c := exec.Command(os.Args[0], "-shape", shape, "-spans", strconv.Itoa(spans/procs), "-o", out)
		c.Stdout, c.Stderr = os.Stdout, os.Stderr
		if err := c.Start(); err != nil {
			fmt.Fprintln(os.Stderr, "rtgen:", err)
			return 1
		}
		cmds = append(cmds, c)
	}
	code := 0
	for _, c := range cmds {
		if err := c.Wait(); err != nil {
			fmt.Fprintln(os.Stderr, "rtgen:", err)
			code = 1
		}
	}
	return code
}
