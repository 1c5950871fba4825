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
)

const exportUsage = `usage: autotrace export [-endpoint URL] [-service NAME] TRACE...

Sends recorded traces to an OpenTelemetry collector or backend with
OTLP/HTTP (JSON), POST URL/v1/traces. The endpoint defaults to
OTEL_EXPORTER_OTLP_TRACES_ENDPOINT, OTEL_EXPORTER_OTLP_ENDPOINT, else
` + otlp.DefaultEndpoint + `; the service name to OTEL_SERVICE_NAME, else the
program named in each process record.
`

// exitFailed is export's status when the endpoint did not take the spans.
const exitFailed = 1

// cmdExport parses export's flags and hands the files to package otlp.
func cmdExport(args []string, stdout, stderr io.Writer) int {
	flags := flag.NewFlagSet("export", flag.ContinueOnError)
	flags.SetOutput(stderr)
	flags.Usage = func() { fmt.Fprint(stderr, exportUsage) }
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
		if pe := (*fs.PathError)(nil); errors.As(err, &pe) {
			return exitUsage // an unreadable trace file
		}
		return exitFailed
	}
	return exitOK
}
