package autootel

import (
	"math"
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
			s.attrs = append(s.attrs, otelAttr(a))
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

// otelAttr converts a typed autotrace attribute: numbers stay numbers. A
// uint64 beyond int64 becomes a float, as OpenTelemetry has no unsigned
// type; a time becomes its RFC 3339 string.
func otelAttr(a autotrace.Attr) attribute.KeyValue {
	k := attribute.Key(a.Key)
	switch v := a.Value; v.Kind() {
	case autotrace.KindInt:
		return k.Int64(v.Int())
	case autotrace.KindUint:
		if v.Uint() > math.MaxInt64 {
			return k.Float64(float64(v.Uint()))
		}
		return k.Int64(int64(v.Uint()))
	case autotrace.KindFloat:
		return k.Float64(v.Float())
	case autotrace.KindBool:
		return k.Bool(v.Bool())
	default:
		return k.String(v.String())
	}
}
