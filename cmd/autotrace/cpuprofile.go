package main

import (
	"fmt"
	"io"
	"os"
	"runtime/pprof"
)

// startCPUProfile writes a CPU profile of this run to $AUTOTRACE_CPUPROFILE
// when it is set, for measuring the commands themselves (report at 10^8
// spans, see docs/performance.md); the returned function stops it.
func startCPUProfile(stderr io.Writer) func() {
	path := os.Getenv("AUTOTRACE_CPUPROFILE")
	if path == "" {
		return func() {}
	}
	f, err := os.Create(path)
	if err == nil {
		err = pprof.StartCPUProfile(f)
	}
	if err != nil {
		fmt.Fprintf(stderr, "autotrace: AUTOTRACE_CPUPROFILE: %v\n", err)
		if f != nil {
			f.Close()
		}
		return func() {}
	}
	return func() {
		pprof.StopCPUProfile()
		if err := f.Close(); err != nil {
			fmt.Fprintf(stderr, "autotrace: AUTOTRACE_CPUPROFILE: %v\n", err)
		}
	}
}
