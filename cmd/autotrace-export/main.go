// Command autotrace-export sends traces recorded by autotrace to an
// OpenTelemetry collector or backend over OTLP/HTTP. It is what
// `autotrace export` runs: a program of its own because it needs net/http,
// which the autotrace command leaves out so that it starts fast when the go
// command runs it as -toolexec (see cmd/autotrace/export.go).
//
//	autotrace-export [-endpoint URL] [-service NAME] TRACE...
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"os"
	"os/signal"

	"github.com/autotrace/autotrace/otlp"
	"github.com/autotrace/autotrace/tracefile"
)

const usage = `usage: autotrace export [-endpoint URL] [-service NAME] TRACE...

Sends recorded traces to an OpenTelemetry collector or backend with
OTLP/HTTP (JSON), POST URL/v1/traces. The endpoint defaults to
OTEL_EXPORTER_OTLP_TRACES_ENDPOINT, OTEL_EXPORTER_OTLP_ENDPOINT, else
` + otlp.DefaultEndpoint + `; the service name to OTEL_SERVICE_NAME, else the
program named in each process record.
`

// Exit codes, as autotrace's.
const (
	exitOK     = 0
	exitFailed = 1 // the endpoint did not take the spans
	exitUsage  = 2 // bad usage or an unreadable trace file
)

func main() {
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
}

// run parses the flags and hands the files to package otlp.
func run(args []string, stdout, stderr io.Writer) int {
	flags := flag.NewFlagSet("export", flag.ContinueOnError)
	flags.SetOutput(stderr)
	flags.Usage = func() { fmt.Fprint(stderr, usage) }
	var o otlp.Options
	flags.StringVar(&o.Endpoint, "endpoint", "", "collector base `URL`")
	flags.StringVar(&o.Service, "service", "", "service.name of every process")
	if err := flags.Parse(args); err != nil {
		return exitUsage
	}
	if flags.NArg() == 0 {
		flags.Usage()
		return exitUsage
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	res, err := otlp.Export(ctx, o, flags.Args()...)
	for _, p := range res.Problems {
		fmt.Fprintf(stderr, "autotrace export: %s (skipped)\n", p)
	}
	if more := res.Malformed - len(res.Problems); more > 0 {
		fmt.Fprintf(stderr, "autotrace export: %d more malformed lines skipped\n", more)
	}
	fmt.Fprintf(stdout, "exported %d spans from %d files to %s in %d requests", res.Spans, res.Files, res.Endpoint, res.Requests)
	if res.Rejected > 0 {
		fmt.Fprintf(stdout, "; %d rejected", res.Rejected)
	}
	if res.Retries > 0 {
		fmt.Fprintf(stdout, "; %d retries", res.Retries)
	}
	fmt.Fprintln(stdout)
	if err != nil {
		fmt.Fprintf(stderr, "autotrace export: %v\n", err)
		if pe, nt := (*fs.PathError)(nil), (*tracefile.NotTraceError)(nil); errors.As(err, &pe) || errors.As(err, &nt) {
			return exitUsage
		}
		return exitFailed
	}
	return exitOK
}
