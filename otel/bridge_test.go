package autootel

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"os"
	"testing"

	autotrace "github.com/autotrace/autotrace/runtime"
	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/codes"
	"go.opentelemetry.io/otel/propagation"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"
	"go.opentelemetry.io/otel/sdk/trace/tracetest"
	"go.opentelemetry.io/otel/trace"
)

// The bridge is installed once for the test process, as a program would.
var (
	mem    = tracetest.NewInMemoryExporter()
	sw     = &switchExporter{to: mem}
	bridge *Bridge
	tracer trace.Tracer
)

func TestMain(m *testing.M) {
	for _, k := range []string{"AUTOTRACE_OUT", "AUTOTRACE_SAMPLE", "TRACEPARENT"} {
		os.Unsetenv(k)
	}
	var err error
	bridge, err = Install(context.Background(), WithExporter(sw))
	if err != nil {
		panic(err)
	}
	tracer = bridge.TracerProvider().Tracer("test")
	code := m.Run()
	if err := bridge.Shutdown(context.Background()); err != nil {
		panic(err)
	}
	os.Exit(code)
}

// exported flushes and returns the spans exported since the last call, by
// name.
func exported(t *testing.T) map[string]tracetest.SpanStub {
	t.Helper()
	if err := bridge.ForceFlush(context.Background()); err != nil {
		t.Fatal(err)
	}
	m := map[string]tracetest.SpanStub{}
	for _, s := range mem.GetSpans() {
		m[s.Name] = s
	}
	mem.Reset()
	return m
}

func attrs(s tracetest.SpanStub) map[attribute.Key]attribute.Value {
	m := map[attribute.Key]attribute.Value{}
	for _, kv := range s.Attributes {
		m[kv.Key] = kv.Value
	}
	return m
}

func eventAttr(s tracetest.SpanStub, key attribute.Key) string {
	for _, e := range s.Events {
		for _, kv := range e.Attributes {
			if kv.Key == key {
				return kv.Value.Emit()
			}
		}
	}
	return ""
}

// checkout is instrumented as gen writes it, with a failing and a
// panicking callee.
func checkout(ctx context.Context) (err error) {
	ctx, span := autotrace.Start(ctx, "shop.Checkout")
	defer span.EndErr(&err)
	span.SetAttr("cart", "3 items")
	span.SetInt("items", 3)
	span.SetFloat("total", 9.5)
	span.SetBool("member", true)
	span.SetUint("big", 1<<63)
	func() {
		defer func() { recover() }()
		explode(ctx)
	}()
	return find(ctx)
}

func find(ctx context.Context) (err error) {
	ctx, span := autotrace.Start(ctx, "shop.Find")
	defer span.EndErr(&err)
	return errors.New("no such item")
}

func explode(ctx context.Context) {
	ctx, span := autotrace.Start(ctx, "shop.explode")
	defer span.End()
	panic("corrupt store")
}

func TestAutotraceSpans(t *testing.T) {
	exported(t)
	_ = checkout(context.Background())
	got := exported(t)
	co, fi, ex := got["shop.Checkout"], got["shop.Find"], got["shop.explode"]
	tests := []struct {
		name      string
		got, want any
	}{
		{"three spans", len(got), 3},
		{"one trace", fi.SpanContext.TraceID() == co.SpanContext.TraceID() && ex.SpanContext.TraceID() == co.SpanContext.TraceID(), true},
		{"root", co.Parent.IsValid(), false},
		{"find parent", fi.Parent.SpanID(), co.SpanContext.SpanID()},
		{"explode parent", ex.Parent.SpanID(), co.SpanContext.SpanID()},
		{"sampled", co.SpanContext.IsSampled(), true},
		{"timing", !co.StartTime.IsZero() && !fi.StartTime.Before(co.StartTime) && !fi.EndTime.After(co.EndTime), true},
		{"ok status", co.Status.Code, codes.Error}, // its error result
		{"error status", fi.Status, sdktrace.Status{Code: codes.Error, Description: "no such item"}},
		{"error event", eventAttr(fi, "exception.message"), "no such item"},
		{"panic status", ex.Status, sdktrace.Status{Code: codes.Error, Description: "panic: corrupt store"}},
		{"panic event", eventAttr(ex, "exception.message"), "corrupt store"},
		{"panic function", eventAttr(ex, "panic.function"), "github.com/autotrace/autotrace/otel.explode"},
		{"user attr", attrs(co)["cart"].AsString(), "3 items"},
		{"int attr", attrs(co)["items"], attribute.Int64Value(3)},
		{"float attr", attrs(co)["total"], attribute.Float64Value(9.5)},
		{"bool attr", attrs(co)["member"], attribute.BoolValue(true)},
		{"uint beyond int64", attrs(co)["big"], attribute.Float64Value(1 << 63)},
		{"code.function.name", attrs(fi)["code.function.name"].AsString(), "github.com/autotrace/autotrace/otel.find"},
		{"code.file.path", attrs(fi)["code.file.path"].AsString(), "bridge_test.go"},
		{"code.line.number", attrs(fi)["code.line.number"].AsInt64() > 0, true},
		{"scope", co.InstrumentationScope.Name, "github.com/autotrace/autotrace"},
		{"resource pid", co.Resource.Set().HasValue("process.pid"), true},
	}
	for _, tt := range tests {
		if tt.got != tt.want {
			t.Errorf("%s: got %v, want %v", tt.name, tt.got, tt.want)
		}
	}
}

// TestMixedTrees: parents across the two systems, in every direction.
func TestMixedTrees(t *testing.T) {
	exported(t)

	// An OpenTelemetry span parents an autotrace span.
	octx, o1 := tracer.Start(context.Background(), "otel.root")
	_, a1 := autotrace.Start(octx, "at.underOtel")
	a1.End()
	o1.End()

	// An autotrace span parents an OpenTelemetry span, which parents an
	// autotrace span: A → O → B.
	actx, a2 := autotrace.Start(context.Background(), "at.root")
	if sc := trace.SpanContextFromContext(actx); !sc.IsValid() {
		t.Fatal("an autotrace context carries no OpenTelemetry span context")
	}
	octx2, o2 := tracer.Start(actx, "otel.middle")
	_, b := autotrace.Start(octx2, "at.leaf")
	b.End()
	o2.End()
	// A context derived from the autotrace one still has it as parent.
	_, c := autotrace.Start(context.WithValue(actx, struct{}{}, 1), "at.sibling")
	c.End()
	a2.End()

	// An HTTP handler under an otelhttp-style server span.
	sctx, srv := tracer.Start(context.Background(), "otel.server")
	req := httptest.NewRequest(http.MethodGet, "/", nil).WithContext(sctx)
	_, h := autotrace.StartRequest(req, "at.handler")
	h.End()
	srv.End()

	// A remote parent extracted by the OpenTelemetry propagator.
	hdr := http.Header{
		"Traceparent": {"00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01"},
		"Tracestate":  {"rojo=00f067aa0ba902b7,congo=t61rcWkgMzE"},
	}
	rctx := propagation.TraceContext{}.Extract(context.Background(), propagation.HeaderCarrier(hdr))
	rctx, rs := autotrace.Start(rctx, "at.remoteChild")
	// OpenTelemetry's propagator sends the tracestate on from under the
	// autotrace span, and an OpenTelemetry child keeps it too.
	out := http.Header{}
	propagation.TraceContext{}.Inject(rctx, propagation.HeaderCarrier(out))
	_, oc := tracer.Start(rctx, "otel.underRemoteChild")
	oc.End()
	rs.End()

	got := exported(t)
	parent := func(child, par string) (bool, string) {
		c, p := got[child], got[par]
		return c.Parent.SpanID() == p.SpanContext.SpanID() && c.SpanContext.TraceID() == p.SpanContext.TraceID(), par
	}
	tests := []struct{ child, parent string }{
		{"at.underOtel", "otel.root"},
		{"otel.middle", "at.root"},
		{"at.leaf", "otel.middle"},
		{"at.sibling", "at.root"},
		{"at.handler", "otel.server"},
	}
	for _, tt := range tests {
		if ok, _ := parent(tt.child, tt.parent); !ok {
			t.Errorf("%s: parent %v, want %s %v", tt.child, got[tt.child].Parent, tt.parent, got[tt.parent].SpanContext)
		}
	}
	r := got["at.remoteChild"]
	if r.SpanContext.TraceID().String() != "4bf92f3577b34da6a3ce929d0e0e4736" || r.Parent.SpanID().String() != "00f067aa0ba902b7" {
		t.Errorf("remote child: trace %s parent %s", r.SpanContext.TraceID(), r.Parent.SpanID())
	}
	const state = "rojo=00f067aa0ba902b7,congo=t61rcWkgMzE"
	if ts := r.SpanContext.TraceState().String(); ts != state {
		t.Errorf("remote child exported with tracestate %q, want %q", ts, state)
	}
	if ts := got["otel.underRemoteChild"].SpanContext.TraceState().String(); ts != state {
		t.Errorf("OpenTelemetry child of the remote child has tracestate %q, want %q", ts, state)
	}
	if out.Get("tracestate") != state || out.Get("traceparent") != "00-4bf92f3577b34da6a3ce929d0e0e4736-"+r.SpanContext.SpanID().String()+"-01" {
		t.Errorf("propagated from the autotrace span: %v", out)
	}
}

// TestUnsampledParent: autotrace follows OpenTelemetry's decision.
func TestUnsampledParent(t *testing.T) {
	exported(t)
	sc := trace.NewSpanContext(trace.SpanContextConfig{TraceID: trace.TraceID{9}, SpanID: trace.SpanID{9}})
	ctx := trace.ContextWithSpanContext(context.Background(), sc)
	ctx, s := autotrace.Start(ctx, "at.unsampled")
	_, s2 := autotrace.Start(ctx, "at.unsampledChild")
	s2.End()
	s.End()
	if got := exported(t); len(got) != 0 {
		t.Errorf("exported %d spans of an unsampled trace", len(got))
	}
}
