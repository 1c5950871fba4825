package otlp

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io/fs"
	"net/http"
	"os"
	"strconv"
	"time"

	"github.com/autotrace/autotrace/tracefile"
)

// Options configure Export. Zero fields take the defaults shown.
type Options struct {
	// Endpoint is the collector's base URL, to which /v1/traces is
	// appended unless it ends so already; "" means EndpointFromEnv.
	Endpoint string
	// Service is the service.name of every process; "" means
	// OTEL_SERVICE_NAME, else the service.name of OTEL_RESOURCE_ATTRIBUTES,
	// else the program name in the process record, else unknown_service.
	Service string
	// Headers are sent with each request; nil means those of
	// OTEL_EXPORTER_OTLP_TRACES_HEADERS or OTEL_EXPORTER_OTLP_HEADERS.
	Headers map[string]string
	// BatchSpans is the most spans per request; 0 means 1000.
	BatchSpans int
	// Attempts is how many times a request is tried; 0 means 3.
	Attempts int
	// Backoff is the wait before the first retry, doubled after each;
	// 0 means 250ms.
	Backoff time.Duration
	// Client sends the requests; nil means a client with a 10s timeout.
	Client *http.Client
}

// Result counts what Export did.
type Result struct {
	Endpoint  string   // the URL posted to
	Files     int      // files read
	Spans     int      // spans sent and accepted
	Rejected  int      // spans the endpoint reported rejected
	Requests  int      // requests that succeeded
	Retries   int      // requests repeated after a failure
	Malformed int      // lines that are not a span or a process record
	Problems  []string // "file:line: what" for the first malformed lines
}

// Limits of one request besides BatchSpans.
const maxBatchBytes = 4 << 20 // of span lines read

// sniff returns an error unless file is a trace (tracefile.Sniff).
func sniff(file string) error {
	f, err := os.Open(file)
	if err != nil {
		return err
	}
	defer f.Close()
	if fi, err := f.Stat(); err == nil && fi.IsDir() {
		return &fs.PathError{Op: "read", Path: file, Err: errors.New("is a directory")}
	}
	if err := tracefile.Sniff(bufio.NewReaderSize(f, 64<<10)); err != nil {
		return fmt.Errorf("%s: %w", file, err)
	}
	return nil
}

// Export sends the spans of the trace files to an OTLP/HTTP endpoint. It
// stops at the first file it cannot read or request it cannot deliver,
// returning what it did so far with the error.
func Export(ctx context.Context, o Options, files ...string) (Result, error) {
	o = o.withDefaults()
	res := Result{Endpoint: o.Endpoint}
	sc := &scanner{}
	// Every file must be a trace before anything is sent.
	for _, file := range files {
		if err := sniff(file); err != nil {
			return res, err
		}
	}
	b := newBatcher(ctx, o, &res)
	for _, file := range files {
		cmds := map[int]string{}
		err := sc.scan(file, true, func(l *spanLine) error {
			if l.Process != nil {
				cmds[l.Process.Pid] = l.Process.Cmd
			}
			return nil
		})
		if err != nil {
			return res.with(sc), err
		}
		err = sc.scan(file, false, func(l *spanLine) error {
			if l.Process != nil || l.Cost != nil || l.Fold != nil {
				return nil
			}
			return b.add(file, l, cmds[l.Pid])
		})
		if err != nil {
			return res.with(sc), err
		}
		res.Files++
	}
	err := b.flush()
	return res.with(sc), err
}

func (r Result) with(sc *scanner) Result {
	r.Malformed, r.Problems = sc.malformed, sc.problems
	return r
}

func (o Options) withDefaults() Options {
	if o.Endpoint == "" {
		o.Endpoint = EndpointFromEnv()
	} else {
		o.Endpoint = TracesURL(o.Endpoint)
	}
	if o.Service == "" {
		o.Service = os.Getenv("OTEL_SERVICE_NAME")
	}
	if o.Headers == nil {
		o.Headers = headersFromEnv()
	}
	if o.BatchSpans <= 0 {
		o.BatchSpans = 1000
	}
	if o.Attempts <= 0 {
		o.Attempts = 3
	}
	if o.Backoff <= 0 {
		o.Backoff = 250 * time.Millisecond
	}
	if o.Client == nil {
		o.Client = &http.Client{Timeout: 10 * time.Second}
	}
	return o
}

// batcher groups spans by resource (file and pid) into bounded requests.
type batcher struct {
	ctx      context.Context
	o        Options
	res      *Result
	envAttrs map[string]string
	req      exportRequest
	byRes    map[string]*resourceSpans
	spans    int
	bytes    int
}

func newBatcher(ctx context.Context, o Options, res *Result) *batcher {
	return &batcher{ctx: ctx, o: o, res: res, envAttrs: resourceFromEnv(), byRes: map[string]*resourceSpans{}}
}

// add adds a span, sending the batch first when it is full.
func (b *batcher) add(file string, l *spanLine, cmd string) error {
	if b.spans >= b.o.BatchSpans || b.bytes >= maxBatchBytes {
		if err := b.flush(); err != nil {
			return err
		}
	}
	key := file + "\x00" + strconv.Itoa(l.Pid)
	rs := b.byRes[key]
	if rs == nil {
		rs = &resourceSpans{
			Resource:   resource{Attributes: b.resourceAttrs(l.Pid, cmd)},
			ScopeSpans: []scopeSpans{{Scope: scope{Name: "github.com/autotrace/autotrace"}}},
		}
		b.byRes[key] = rs
		b.req.ResourceSpans = append(b.req.ResourceSpans, rs)
	}
	rs.ScopeSpans[0].Spans = append(rs.ScopeSpans[0].Spans, convert(l))
	b.spans++
	b.bytes += 200 + len(l.Name) + len(l.Error) + 64*len(l.Attrs)
	return nil
}

// resourceAttrs describes one process of one file.
func (b *batcher) resourceAttrs(pid int, cmd string) []keyValue {
	service := b.o.Service
	if service == "" {
		service = b.envAttrs["service.name"]
	}
	if service == "" {
		service = programName(cmd)
	}
	if service == "" {
		service = "unknown_service"
	}
	kv := []keyValue{str("service.name", service)}
	if pid != 0 {
		p := strconv.Itoa(pid)
		kv = append(kv, keyValue{"process.pid", anyValue{IntValue: &p}})
	}
	if cmd != "" {
		kv = append(kv, str("process.command_line", cmd))
	}
	for k, v := range b.envAttrs {
		if k != "service.name" && k != "process.pid" && k != "process.command_line" {
			kv = append(kv, str(k, v))
		}
	}
	return kv
}

// flush sends the batch, if any.
func (b *batcher) flush() error {
	if b.spans == 0 {
		return nil
	}
	rejected, err := send(b.ctx, b.o, &b.req, b.res)
	if err != nil {
		return fmt.Errorf("sending %d spans to %s: %w", b.spans, b.o.Endpoint, err)
	}
	b.res.Requests++
	b.res.Spans += b.spans - rejected
	b.res.Rejected += rejected
	b.req, b.spans, b.bytes = exportRequest{}, 0, 0
	clear(b.byRes)
	return nil
}
