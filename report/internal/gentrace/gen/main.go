// Command gen writes a synthetic trace file to standard output:
//
//	go run ./report/internal/gentrace/gen [-spans N] [-seed S] > trace.jsonl
package main

import (
	"flag"
	"fmt"
	"os"

	"github.com/autotrace/autotrace/report/internal/gentrace"
)

func main() {
	spans := flag.Int("spans", 1000, "approximate number of spans")
	seed := flag.Uint64("seed", 1, "random seed")
	flag.Parse()
	if _, err := gentrace.Write(os.Stdout, gentrace.Options{Spans: *spans, Seed: *seed}); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
}
