// Command rulesserver measures what tracing costs a net/http server per
// request: it serves a small response on loopback to its own client and
// prints the process's CPU time and the wall time per request. Built
// plain and run with -mode plain, it is the baseline; with -mode otel the
// handler is wrapped in OpenTelemetry's otelhttp middleware, the SDK
// sampling every span and batching it to a file; built with
// -toolexec='autotrace -rules http-server' and run with -mode plain and
// AUTOTRACE_OUT set, it is autotrace's server rule writing every span to
// a file. The client is the same in all three (not traced), so the
// differences are the server's. scripts/bench-rules.sh runs them.
package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"syscall"
	"time"

	autotrace "github.com/autotrace/autotrace/runtime"
	"go.opentelemetry.io/contrib/instrumentation/net/http/otelhttp"
	"go.opentelemetry.io/otel/exporters/stdout/stdouttrace"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"
)

func main() {
	// This module lies inside autotrace's, which it replaces autotrace
	// by: toolexec takes it for a dependency and leaves main.main alone,
	// so main ends the runtime itself (with recording off, a no-op).
	defer autotrace.EndMain()
	n := flag.Int("n", 20000, "requests to time (after 2000 to warm up)")
	mode := flag.String("mode", "plain", "plain, or otel for the otelhttp middleware")
	otelOut := flag.String("otel-out", os.DevNull, "file the OpenTelemetry SDK writes its spans to")
	flag.Parse()

	mux := http.NewServeMux()
	body := []byte("item\n")
	mux.HandleFunc("GET /items/{id}", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/plain")
		w.Write(body)
	})
	var h http.Handler = mux
	var tp *sdktrace.TracerProvider
	if *mode == "otel" {
		f, err := os.Create(*otelOut)
		check(err)
		defer f.Close()
		exp, err := stdouttrace.New(stdouttrace.WithWriter(f))
		check(err)
		tp = sdktrace.NewTracerProvider(sdktrace.WithSampler(sdktrace.AlwaysSample()), sdktrace.WithBatcher(exp))
		h = otelhttp.NewHandler(mux, "http.server", otelhttp.WithTracerProvider(tp))
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	check(err)
	srv := &http.Server{Handler: h}
	go srv.Serve(ln)
	url := "http://" + ln.Addr().String() + "/items/7"
	client := &http.Client{}
	get := func() {
		resp, err := client.Get(url)
		check(err)
		io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
	}
	for range 2000 {
		get()
	}
	cpu0, t0 := cpuTime(), time.Now()
	for range *n {
		get()
	}
	cpu, wall := cpuTime()-cpu0, time.Since(t0)
	srv.Shutdown(context.Background())
	if tp != nil {
		check(tp.Shutdown(context.Background())) // flushes the batch
	}
	fmt.Printf("mode=%s requests=%d cpu_ns_per_req=%d wall_ns_per_req=%d\n", *mode, *n, cpu.Nanoseconds()/int64(*n), wall.Nanoseconds()/int64(*n))
}

// cpuTime is the process's user and system CPU time so far.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	check(syscall.Getrusage(syscall.RUSAGE_SELF, &ru))
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

func check(err error) {
	if err != nil {
		fmt.Fprintln(os.Stderr, "rulesserver:", err)
		os.Exit(1)
	}
}
