package autootel

import (
	"context"

	autotrace "github.com/autotrace/autotrace/runtime"
	"go.opentelemetry.io/otel"
	"go.opentelemetry.io/otel/trace"
	"go.opentelemetry.io/otel/trace/noop"
)

// OpenTelemetry keeps the current span in a context under a key of its
// trace package that is not exported. spanKey finds it by asking
// trace.SpanFromContext of a context that notes the key it is asked for,
// and checks it, so the runtime's span contexts can answer it.
func spanKey() (any, bool) {
	spy := &keySpy{Context: context.Background()}
	trace.SpanFromContext(spy)
	if spy.key == nil {
		return nil, false
	}
	probe := spanView{sc: trace.NewSpanContext(trace.SpanContextConfig{TraceID: trace.TraceID{1}, SpanID: trace.SpanID{1}})}
	ctx := context.WithValue(context.Background(), spy.key, trace.Span(probe))
	return spy.key, trace.SpanFromContext(ctx).SpanContext().Equal(probe.sc)
}

// keySpy is a context that notes the first key looked up in it.
type keySpy struct {
	context.Context
	key any
}

// Value notes key and finds nothing.
func (k *keySpy) Value(key any) any {
	if k.key == nil {
		k.key = key
	}
	return nil
}

// spanView is an autotrace span as OpenTelemetry sees it in a context: a
// non-recording span with the autotrace span's identity, so that spans
// started from the context are its children. Everything but SpanContext
// and TracerProvider does nothing.
type spanView struct {
	noop.Span
	sc trace.SpanContext
}

// SpanContext returns the autotrace span's identity.
func (v spanView) SpanContext() trace.SpanContext { return v.sc }

// TracerProvider returns the global provider, as for any span that is not
// the SDK's own.
func (v spanView) TracerProvider() trace.TracerProvider { return otel.GetTracerProvider() }

// viewOf is the bridge's Value hook.
func viewOf(sc autotrace.SpanContext) any { return trace.Span(spanView{sc: toOTel(sc)}) }

// parentOf is the bridge's Parent hook: the OpenTelemetry span in ctx.
func parentOf(ctx context.Context) (autotrace.SpanContext, bool) {
	sc := trace.SpanContextFromContext(ctx)
	if !sc.IsValid() {
		return autotrace.SpanContext{}, false
	}
	return autotrace.SpanContext{
		TraceID: sc.TraceID(), SpanID: sc.SpanID(), Sampled: sc.IsSampled(), Remote: sc.IsRemote(),
		TraceState: sc.TraceState().String(),
	}, true
}

func toOTel(sc autotrace.SpanContext) trace.SpanContext {
	var flags trace.TraceFlags
	if sc.Sampled {
		flags = trace.FlagsSampled
	}
	return trace.NewSpanContext(trace.SpanContextConfig{
		TraceID: sc.TraceID, SpanID: sc.SpanID, TraceFlags: flags, Remote: sc.Remote,
		TraceState: traceState(sc.TraceState),
	})
}

// traceState parses a W3C tracestate the runtime passed on. The runtime
// keeps whatever members arrived; one OpenTelemetry rejects makes the whole
// tracestate empty, as OpenTelemetry's own propagator does.
func traceState(s string) trace.TraceState {
	if s == "" {
		return trace.TraceState{}
	}
	ts, err := trace.ParseTraceState(s)
	if err != nil {
		return trace.TraceState{}
	}
	return ts
}
