package autootel

import (
	"time"

	autotrace "github.com/autotrace/autotrace/runtime"
	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/codes"
	"go.opentelemetry.io/otel/sdk/instrumentation"
	"go.opentelemetry.io/otel/sdk/resource"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"
	"go.opentelemetry.io/otel/sdk/trace/tracetest"
	"go.opentelemetry.io/otel/trace"
)

// scope names the instrumentation: the autotrace runtime.
var scope = instrumentation.Scope{Name: "github.com/autotrace/autotrace"}

// convert makes an OpenTelemetry span of a recorded autotrace span: same
// ids, times and attributes; an error or a panic is status Error with an
// "exception" event at the end of the span, as span.RecordError makes.
func convert(r *autotrace.SpanRecord, res *resource.Resource) sdktrace.ReadOnlySpan {
	sc := trace.NewSpanContext(trace.SpanContextConfig{TraceID: r.TraceID, SpanID: r.SpanID, TraceFlags: trace.FlagsSampled})
	var parent trace.SpanContext
	if r.ParentID != (trace.SpanID{}) {
		parent = trace.NewSpanContext(trace.SpanContextConfig{TraceID: r.TraceID, SpanID: r.ParentID, TraceFlags: trace.FlagsSampled})
	}
	attrs := make([]attribute.KeyValue, 0, 3+len(r.Attrs))
	attrs = append(attrs,
		attribute.String("code.function.name", r.Function),
		attribute.String("code.file.path", r.File))
	if r.Line > 0 {
		attrs = append(attrs, attribute.Int("code.line.number", r.Line))
	}
	for _, a := range r.Attrs {
		attrs = append(attrs, attribute.String(a.Key, a.Value))
	}
	end := time.Unix(0, r.End)
	stub := tracetest.SpanStub{
		Name: r.Name, SpanContext: sc, Parent: parent, SpanKind: trace.SpanKindInternal,
		StartTime: time.Unix(0, r.Start), EndTime: end, Attributes: attrs,
		Resource: res, InstrumentationScope: scope,
	}
	switch r.Status {
	case autotrace.StatusError:
		stub.Status = sdktrace.Status{Code: codes.Error, Description: r.Error}
		stub.Events = []sdktrace.Event{{Name: "exception", Time: end, Attributes: []attribute.KeyValue{
			attribute.String("exception.message", r.Error),
		}}}
	case autotrace.StatusPanic:
		stub.Status = sdktrace.Status{Code: codes.Error, Description: "panic: " + r.PanicValue}
		stub.Events = []sdktrace.Event{{Name: "exception", Time: end, Attributes: []attribute.KeyValue{
			attribute.String("exception.type", "panic"),
			attribute.String("exception.message", r.PanicValue),
			attribute.Bool("exception.escaped", true),
			attribute.String("panic.function", r.PanicFunction),
			attribute.String("panic.location", r.PanicLocation),
		}}}
	}
	return stub.Snapshot()
}
