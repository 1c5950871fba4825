package autotrace

import (
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

const (
	testParent = "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01"
	testState  = "rojo=00f067aa0ba902b7,congo=t61rcWkgMzE"
)

func TestTraceContextRoundTrip(t *testing.T) {
	record(t, Config{})
	ctx, sp := Start(context.Background(), "carrier.client")
	defer sp.End()
	tp, ts := TraceContext(ctx)
	if want := formatTraceparent(sp.tid(), sp.sid(), true); tp != want || ts != "" {
		t.Fatalf("TraceContext = %q, %q; want %q, \"\"", tp, ts, want)
	}
	// The server side continues the trace under the client span.
	sctx := WithTraceContext(context.Background(), tp, ts)
	if !FromContext(sctx).isZero() {
		t.Error("a remote parent is returned as a local span")
	}
	_, server := Start(sctx, "carrier.server")
	if server.tid() != sp.tid() || server.parentSID() != sp.sid() {
		t.Errorf("server span under %v/%x, want %v/%x", server.tid(), server.parentSID(), sp.tid(), sp.sid())
	}
	server.End()

	for _, bad := range []string{"", "garbage", "00-00000000000000000000000000000000-b7ad6b7169203331-01",
		"00-0af7651916cd43dd8448eb211c80319c-0000000000000000-01", "ff-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01",
		"00-0AF7651916CD43DD8448EB211C80319C-b7ad6b7169203331-01", "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01-extra"} {
		if WithTraceContext(context.Background(), bad, testState) != context.Background() {
			t.Errorf("WithTraceContext accepted %q", bad)
		}
	}
	// A future version may append fields.
	if WithTraceContext(context.Background(), "01-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01-future", "") == context.Background() {
		t.Error("WithTraceContext rejected a future version")
	}
}

// TestTracestatePassesThrough follows a tracestate from a caller through
// local children, an adopted goroutine and the trace file to the next call.
func TestTracestatePassesThrough(t *testing.T) {
	out := record(t, Config{})
	ctx := WithTraceContext(context.Background(), testParent, testState)
	ctx, root := Start(ctx, "state.root")
	ctx, child := Start(ctx, "state.child")
	done := make(chan string)
	go func() {
		defer Adopt(child).Release()
		sctx, s := Start(context.Background(), "state.adopted") // no span in ctx: the adopted parent
		_, ts := TraceContext(sctx)
		s.End()
		done <- ts
	}()
	if ts := <-done; ts != testState {
		t.Errorf("adopted goroutine's tracestate %q, want %q", ts, testState)
	}
	if tp, ts := TraceContext(ctx); ts != testState || !strings.HasPrefix(tp, "00-0af7651916cd43dd8448eb211c80319c-") {
		t.Errorf("child passes on %q, %q", tp, ts)
	}
	child.End()
	root.End()
	Flush()
	for _, s := range mustSpans(t, out) {
		if s.State != testState {
			t.Errorf("span %s recorded tracestate %q, want %q", s.Name, s.State, testState)
		}
	}
	// A trace that arrived without tracestate writes none.
	_, plain := Start(context.Background(), "state.plain")
	plain.End()
	Flush()
	if s := byName(t, mustSpans(t, out))["state.plain"]; s.State != "" {
		t.Errorf("new trace recorded tracestate %q", s.State)
	}
}

func TestCleanTracestate(t *testing.T) {
	long := strings.Repeat("x", 500)
	many := make([]string, 40)
	for i := range many {
		many[i] = "k" + string(rune('a'+i%26)) + string(rune('a'+i/26)) + "=v"
	}
	tests := []struct {
		name string
		in   []string
		want string
	}{
		{"none", nil, ""},
		{"one", []string{"rojo=00f067aa0ba902b7"}, "rojo=00f067aa0ba902b7"},
		{"headers joined in order", []string{"a=1", "b=2,c=3"}, "a=1,b=2,c=3"},
		{"empty members and blanks dropped", []string{" a=1 ,, \tb=2 ,", ""}, "a=1,b=2"},
		{"at most 32 members", []string{strings.Join(many, ",")}, strings.Join(many[:32], ",")},
		{"cut at a member boundary within 512", []string{"a=" + long, "b=" + long[:20], "c=1"}, "a=" + long},
		{"a member over 512 alone", []string{"a=" + long + long}, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := cleanTracestate(tt.in...); got != tt.want {
				t.Errorf("cleanTracestate(%q) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
}

func TestEnvTracestate(t *testing.T) {
	clearEnv(t)
	reset(t)
	t.Cleanup(func() { reset(t) })
	t.Setenv("TRACEPARENT", testParent)
	t.Setenv("TRACESTATE", testState)
	t.Setenv("AUTOTRACE_OUT", t.TempDir()+"/trace.trace")
	// With no span, calls made by the process continue its caller's trace.
	if tp, ts := TraceContext(context.Background()); tp != testParent || ts != testState {
		t.Errorf("TraceContext without a span = %q, %q", tp, ts)
	}
	ctx, sp := Start(context.Background(), "env.root")
	defer sp.End()
	if _, ts := TraceContext(ctx); ts != testState {
		t.Errorf("root under TRACEPARENT passes on tracestate %q", ts)
	}
	env := Command(ctx, "true").Env
	if !hasEnv(env, "TRACESTATE="+testState) || !hasEnv(env, "TRACEPARENT="+formatTraceparent(sp.tid(), sp.sid(), true)) {
		t.Errorf("Command environment lacks the trace context")
	}
}

func hasEnv(env []string, kv string) bool {
	n := 0
	for _, e := range env {
		if e == kv {
			n++
		}
		if strings.HasPrefix(e, kv[:strings.IndexByte(kv, '=')+1]) && e != kv {
			return false // a stale value left behind
		}
	}
	return n == 1
}

// TestHeaderOf checks which request types StartRequest reads headers from.
func TestHeaderOf(t *testing.T) {
	req := httptest.NewRequest("GET", "/", nil)
	req.Header.Set("Traceparent", testParent)
	if h, isNil := headerOf(req); isNil || h == nil || h["Traceparent"][0] != testParent {
		t.Errorf("headerOf(*http.Request) = %v, %v", h, isNil)
	}
	if h, isNil := headerOf((*http.Request)(nil)); h != nil || !isNil {
		t.Errorf("headerOf(nil request) = %v, %v", h, isNil)
	}
	type wrongType struct{ Header map[string]string }
	type embedded struct{ *http.Request }
	type own struct {
		_      [3]int64
		Header http.Header
	}
	if h, _ := headerOf(&wrongType{Header: map[string]string{"Traceparent": testParent}}); h != nil {
		t.Errorf("headerOf read a Header of another type: %v", h)
	}
	if h, _ := headerOf(embedded{req}); h != nil {
		t.Errorf("headerOf read through a non-pointer: %v", h)
	}
	if h, _ := headerOf(&embedded{req}); h != nil {
		t.Errorf("headerOf read a promoted field: %v", h)
	}
	if h, _ := headerOf(&own{Header: req.Header}); h == nil || h["Traceparent"][0] != testParent {
		t.Errorf("headerOf(own request type) = %v", h)
	}
	if n := testing.AllocsPerRun(100, func() { headerOf(req) }); n != 0 {
		t.Errorf("headerOf allocates %v times", n)
	}
}

// TestHandlerContinuesCaller serves a request carrying the W3C headers,
// as another service's client sends them, through an instrumented handler.
func TestHandlerContinuesCaller(t *testing.T) {
	out := record(t, Config{})
	var passed [2]string
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		r, sp := StartRequest(r, "carrier.handler")
		defer sp.End()
		ictx, inner := Start(r.Context(), "carrier.inner")
		passed[0], passed[1] = TraceContext(ictx)
		inner.End()
	}))
	defer srv.Close()
	req, _ := http.NewRequest("GET", srv.URL, nil)
	req.Header.Set("traceparent", testParent)
	req.Header.Add("tracestate", "rojo=00f067aa0ba902b7")
	req.Header.Add("tracestate", "congo=t61rcWkgMzE")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	srv.Close() // waits for the handler, so its span has ended
	Flush()
	m := byName(t, mustSpans(t, out))
	h, hi := m["carrier.handler"], m["carrier.inner"]
	if h.TraceID != "0af7651916cd43dd8448eb211c80319c" || h.ParentID != "b7ad6b7169203331" || hi.ParentID != h.SpanID {
		t.Errorf("handler %s/%s, inner parent %s", h.TraceID, h.ParentID, hi.ParentID)
	}
	if passed[1] != testState || h.State != testState {
		t.Errorf("tracestate passed on %q, recorded %q; want %q", passed[1], h.State, testState)
	}
}

// TestStartRequestNil: tests call handlers and constructors with a nil
// request (echo's NewContext(nil, nil)); the span then has the goroutine's
// parent and the request stays nil.
func TestStartRequestNil(t *testing.T) {
	out := record(t, Config{})
	outer := StartHere("nilreq.outer")
	r, sp := StartRequest((*http.Request)(nil), "nilreq.handler")
	if r != nil {
		t.Errorf("StartRequest(nil) returned request %v", r)
	}
	sp.End()
	outer.End()
	Flush()
	m := byName(t, mustSpans(t, out))
	if h, o := m["nilreq.handler"], m["nilreq.outer"]; h.ParentID != o.SpanID {
		t.Errorf("handler under %q, want the goroutine's span %q", h.ParentID, o.SpanID)
	}
}
