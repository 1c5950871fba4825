// Command loadgen is scripts/jaeger.sh's load: it starts autotrace spans
// at a steady rate, in traces of one root and -fanout children, and sends
// them live to OpenTelemetry through the bridge (configured by OTEL_*),
// then shuts down, which flushes everything, and prints how many spans it
// made and at what rate.
//
//	loadgen -rate 20000 -duration 3s -fanout 99
package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"runtime/pprof"
	"syscall"
	"time"

	autotrace "github.com/autotrace/autotrace/runtime"

	_ "github.com/autotrace/autotrace/otel/auto"
)

func main() {
	rate := flag.Float64("rate", 10000, "spans per second")
	duration := flag.Duration("duration", 3*time.Second, "how long to make spans")
	fanout := flag.Int("fanout", 99, "children of each root span")
	profile := flag.String("cpuprofile", "", "write a CPU profile to `file`")
	flag.Parse()
	if *profile != "" {
		f, err := os.Create(*profile)
		if err == nil {
			err = pprof.StartCPUProfile(f)
		}
		if err != nil {
			fmt.Fprintln(os.Stderr, "loadgen:", err)
			os.Exit(1)
		}
		defer pprof.StopCPUProfile()
	}

	total := int(*rate * duration.Seconds())
	start := time.Now()
	made := 0
	for made < total {
		due := min(total, int(*rate*time.Since(start).Seconds()))
		for made < due {
			made += trace(*fanout)
		}
		time.Sleep(time.Millisecond)
	}
	elapsed := time.Since(start)
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	if err := autotrace.Shutdown(ctx); err != nil {
		fmt.Fprintln(os.Stderr, "loadgen: shutdown:", err)
		pprof.StopCPUProfile()
		os.Exit(1)
	}
	fmt.Printf("made %d spans in %.2fs (%.0f spans/s), flushed in %.2fs, %.0f CPU ns/span\n",
		made, elapsed.Seconds(), float64(made)/elapsed.Seconds(), time.Since(start.Add(elapsed)).Seconds(),
		float64(cpuTime())/float64(made))
}

// cpuTime is the process's user and system CPU time so far, in ns.
func cpuTime() int64 {
	var ru syscall.Rusage
	_ = syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	return ru.Utime.Nano() + ru.Stime.Nano()
}

// trace makes one root span with n children and returns how many spans
// it made.
func trace(n int) int {
	ctx, root := autotrace.Start(context.Background(), "load.root")
	for i := 0; i < n; i++ {
		child(ctx)
	}
	root.End()
	return n + 1
}

//go:noinline
func child(ctx context.Context) {
	_, s := autotrace.Start(ctx, "load.child")
	s.End()
}
