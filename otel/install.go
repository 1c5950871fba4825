package autootel

import (
	"context"
	"errors"
	"os"
	"time"

	autotrace "github.com/autotrace/autotrace/runtime"
	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/sdk/resource"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"
)

// A Bridge sends autotrace spans to an OpenTelemetry exporter. Its methods
// may be called on a nil Bridge (the one Install returns when
// OTEL_TRACES_EXPORTER=none) and then do nothing.
type Bridge struct {
	res *resource.Resource
	tp  *sdktrace.TracerProvider
	bsp sdktrace.SpanProcessor
}

// An Option changes what Install sets up.
type Option func(*config)

type config struct {
	exporter sdktrace.SpanExporter
	res      *resource.Resource
	bsp      []sdktrace.BatchSpanProcessorOption
}

// WithExporter sends spans to e instead of the OTLP exporter the
// environment configures.
func WithExporter(e sdktrace.SpanExporter) Option { return func(c *config) { c.exporter = e } }

// WithResource describes the process with r instead of the default
// resource (OTEL_SERVICE_NAME, OTEL_RESOURCE_ATTRIBUTES, the SDK and the
// process id).
func WithResource(r *resource.Resource) Option { return func(c *config) { c.res = r } }

// WithBatchOptions passes options to the batch span processor, after the
// bridge's defaults.
func WithBatchOptions(opts ...sdktrace.BatchSpanProcessorOption) Option {
	return func(c *config) { c.bsp = append(c.bsp, opts...) }
}

// Defaults of the batch span processor where the environment sets none:
// the runtime hands over up to its whole buffer (16384 spans) once a
// second, so the queue holds several such batches, and a batch is
// exported within a second.
const (
	defaultQueueSize     = 1 << 16
	defaultScheduleDelay = time.Second
)

// Install connects the autotrace runtime to OpenTelemetry, once per
// process, before recording starts or while it runs: from then on recorded
// spans go to the exporter, and autotrace and OpenTelemetry spans parent
// each other through contexts. It switches recording on (AUTOTRACE_OUT,
// AUTOTRACE_SAMPLE and the rest still apply). autotrace.Shutdown, which an
// instrumented main runs at its end, flushes and shuts down the exporter.
// With OTEL_TRACES_EXPORTER=none and no WithExporter it does nothing and
// returns a nil Bridge. A program that calls autotrace.Configure without
// an output (a trace file, a Writer or a summary) must install the bridge
// first: such a Configure leaves recording off for good.
func Install(ctx context.Context, opts ...Option) (*Bridge, error) {
	var c config
	for _, o := range opts {
		o(&c)
	}
	if c.exporter == nil {
		e, err := exporterFromEnv(ctx)
		if err != nil || e == nil {
			return nil, err
		}
		c.exporter = e
	}
	if c.res == nil {
		pid := resource.NewSchemaless(attribute.Int("process.pid", os.Getpid()))
		r, err := resource.Merge(resource.Default(), pid)
		if err != nil {
			r = resource.Default()
		}
		c.res = r
	}
	b := &Bridge{res: c.res}
	b.bsp = sdktrace.NewBatchSpanProcessor(c.exporter, append(batchDefaults(), c.bsp...)...)
	b.tp = sdktrace.NewTracerProvider(sdktrace.WithResource(c.res), sdktrace.WithSpanProcessor(b.bsp))
	hooks := autotrace.Bridge{Sink: (*sink)(b), Parent: parentOf}
	if key, ok := spanKey(); ok {
		hooks.Key, hooks.Value = key, viewOf
	}
	if err := autotrace.SetBridge(hooks); err != nil {
		_ = b.tp.Shutdown(ctx)
		return nil, err
	}
	return b, nil
}

// batchDefaults are the bridge's batch options where the environment sets
// none.
func batchDefaults() []sdktrace.BatchSpanProcessorOption {
	var o []sdktrace.BatchSpanProcessorOption
	if os.Getenv("OTEL_BSP_MAX_QUEUE_SIZE") == "" {
		o = append(o, sdktrace.WithMaxQueueSize(defaultQueueSize))
	}
	if os.Getenv("OTEL_BSP_SCHEDULE_DELAY") == "" {
		o = append(o, sdktrace.WithBatchTimeout(defaultScheduleDelay))
	}
	return o
}

// TracerProvider returns a provider whose spans go through the same batch
// processor and exporter as the autotrace spans; package auto makes it
// the global one.
func (b *Bridge) TracerProvider() *sdktrace.TracerProvider {
	if b == nil {
		return nil
	}
	return b.tp
}

// ForceFlush hands the spans ended so far to the exporter and waits until
// it has sent them, or ctx ends.
func (b *Bridge) ForceFlush(ctx context.Context) error {
	if b == nil {
		return nil
	}
	autotrace.Flush()
	return b.tp.ForceFlush(ctx)
}

// Shutdown shuts the autotrace runtime down (see autotrace.Shutdown), and
// with it the exporter.
func (b *Bridge) Shutdown(ctx context.Context) error {
	if b == nil {
		return nil
	}
	return errors.Join(autotrace.Shutdown(ctx), b.tp.Shutdown(ctx))
}

// sink is the Bridge as the runtime's autotrace.Sink.
type sink Bridge

// ExportSpans converts a batch and queues it for export.
func (s *sink) ExportSpans(spans []autotrace.SpanRecord) {
	for i := range spans {
		s.bsp.OnEnd(convert(&spans[i], s.res))
	}
}

// Shutdown exports what is queued and shuts the exporter down.
func (s *sink) Shutdown(ctx context.Context) error { return s.tp.Shutdown(ctx) }
