package autootel

import (
	"time"

	autotrace "github.com/autotrace/autotrace/runtime"
	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/codes"
	"go.opentelemetry.io/otel/sdk/instrumentation"
	"go.opentelemetry.io/otel/sdk/resource"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"
	"go.opentelemetry.io/otel/trace"
)

// scope names the instrumentation: the autotrace runtime.
var scope = instrumentation.Scope{Name: "github.com/autotrace/autotrace"}

// convert makes an OpenTelemetry span of a recorded autotrace span: same
// ids, times and attributes; an error or a panic is status Error with an
// "exception" event at the end of the span, as span.RecordError makes.
func convert(r *autotrace.SpanRecord, res *resource.Resource) sdktrace.ReadOnlySpan {
	s := &roSpan{
		name: r.Name, res: res,
		sc: trace.NewSpanContext(trace.SpanContextConfig{
			TraceID: r.TraceID, SpanID: r.SpanID, TraceFlags: trace.FlagsSampled,
			TraceState: traceState(r.TraceState),
		}),
		start: time.Unix(0, r.Start), end: time.Unix(0, r.End),
	}
	if r.ParentID != (trace.SpanID{}) {
		s.parent = trace.NewSpanContext(trace.SpanContextConfig{TraceID: r.TraceID, SpanID: r.ParentID, TraceFlags: trace.FlagsSampled})
	}
	s.codeAttrs = [3]attribute.KeyValue{
		attribute.String("code.function.name", r.Function),
		attribute.String("code.file.path", r.File),
		attribute.Int("code.line.number", r.Line),
	}
	s.attrs = s.codeAttrs[:]
	if r.Line <= 0 {
		s.attrs = s.codeAttrs[:2]
	}
	if len(r.Attrs) > 0 {
		s.attrs = append(s.attrs[:len(s.attrs):len(s.attrs)], make([]attribute.KeyValue, 0, len(r.Attrs))...)
		for _, a := range r.Attrs {
			s.attrs = append(s.attrs, attribute.String(a.Key, a.Value))
		}
	}
	switch r.Status {
	case autotrace.StatusError:
		s.status = sdktrace.Status{Code: codes.Error, Description: r.Error}
		s.events = []sdktrace.Event{{Name: "exception", Time: s.end, Attributes: []attribute.KeyValue{
			attribute.String("exception.message", r.Error),
		}}}
	case autotrace.StatusPanic:
		s.status = sdktrace.Status{Code: codes.Error, Description: "panic: " + r.PanicValue}
		s.events = []sdktrace.Event{{Name: "exception", Time: s.end, Attributes: []attribute.KeyValue{
			attribute.String("exception.type", "panic"),
			attribute.String("exception.message", r.PanicValue),
			attribute.Bool("exception.escaped", true),
			attribute.String("panic.function", r.PanicFunction),
			attribute.String("panic.location", r.PanicLocation),
		}}}
	}
	return s
}
