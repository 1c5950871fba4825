package autotrace

import (
	"context"
	"net/http/httptest"
	"sync"
	"testing"
)

func TestStartParentsThroughContext(t *testing.T) {
	out := record(t, Config{})
	ctx, root := Start(context.Background(), "root")
	ctx2, child := Start(ctx, "child")
	// A context derived from the span context still carries the span.
	vctx := context.WithValue(ctx2, struct{}{}, 1)
	cctx, cancel := context.WithCancel(vctx)
	_, grand := Start(cctx, "grandchild")
	grand.End()
	cancel()
	child.End()
	root.End()
	_, sibling := Start(context.Background(), "other root")
	sibling.End()
	Flush()

	spans, _ := readTrace(t, out)
	m := byName(t, spans)
	if len(m) != 4 {
		t.Fatalf("got %d spans, want 4", len(m))
	}
	for _, c := range []struct{ name, parent string }{
		{"root", ""}, {"child", "root"}, {"grandchild", "child"}, {"other root", ""},
	} {
		s := m[c.name]
		if c.parent == "" {
			if s.ParentID != "" {
				t.Errorf("%s: parent_id %q, want none", c.name, s.ParentID)
			}
			continue
		}
		p := m[c.parent]
		if s.ParentID != p.SpanID || s.TraceID != p.TraceID {
			t.Errorf("%s: parent %s/%s, want %s/%s", c.name, s.TraceID, s.ParentID, p.TraceID, p.SpanID)
		}
	}
	if m["other root"].TraceID == m["root"].TraceID {
		t.Error("two roots share a trace id")
	}
}

func TestSpanContextDelegates(t *testing.T) {
	record(t, Config{})
	parent, cancel := context.WithCancel(context.WithValue(context.Background(), "k", "v"))
	ctx, sp := Start(parent, "s")
	defer sp.End()
	if ctx.Value("k") != "v" {
		t.Error("Value does not reach the parent context")
	}
	if ctx.Done() != parent.Done() {
		t.Error("Done is not the parent's")
	}
	cancel()
	if ctx.Err() != context.Canceled {
		t.Errorf("Err = %v after cancel", ctx.Err())
	}
	if FromContext(ctx) != sp {
		t.Error("FromContext does not return the span")
	}
	// A nil context is tolerated, as the rewriter passes what the user has.
	//lint:ignore SA1012 deliberately nil
	c2, sp2 := Start(nil, "nilctx") //nolint:staticcheck
	if c2 == nil || sp2.isZero() {
		t.Error("Start(nil ctx) returned nil")
	}
	sp2.End()
}

func TestStartRequest(t *testing.T) {
	const tp = "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01"
	tests := []struct {
		name        string
		header      string // traceparent of the request
		ctxParent   bool   // r.Context() carries a span
		wantTrace   string // "" = a new trace
		wantParent  string // "ctx" = the context span
		wantSampled bool
	}{
		{name: "root", wantSampled: true},
		{name: "header", header: tp, wantTrace: "0af7651916cd43dd8448eb211c80319c", wantParent: "b7ad6b7169203331", wantSampled: true},
		{name: "header not sampled", header: "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-00"},
		{name: "malformed header", header: "00-zz", wantSampled: true},
		{name: "context wins over header", header: tp, ctxParent: true, wantParent: "ctx", wantSampled: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			out := record(t, Config{})
			req := httptest.NewRequest("GET", "/", nil)
			if tt.header != "" {
				req.Header.Set("traceparent", tt.header)
			}
			var parent Span
			if tt.ctxParent {
				var ctx context.Context
				ctx, parent = Start(context.Background(), "parent")
				req = req.WithContext(ctx)
			}
			r2, sp := StartRequest(req, "handler")
			if !tt.wantSampled {
				// Not recorded, but the decision is carried on to children
				// and downstream services.
				if !FromContext(r2.Context()).isZero() || sp.recording() != nil {
					t.Error("unsampled request has a recorded span")
				}
				if _, c := Start(r2.Context(), "child"); !c.isZero() {
					t.Error("child of an unsampled request is not nil")
				}
				if tp, _ := TraceContext(r2.Context()); len(tp) != 55 || tp[52:] != "-00" {
					t.Errorf("unsampled request passes on traceparent %q", tp)
				}
				sp.End()
				Flush()
				if spans := mustSpans(t, out); len(spans) != 0 {
					t.Errorf("unsampled request recorded %d spans", len(spans))
				}
				return
			}
			if FromContext(r2.Context()) != sp {
				t.Error("request context does not carry the span")
			}
			sp.End()
			parent.End()
			Flush()
			spans, _ := readTrace(t, out)
			h := byName(t, spans)["handler"]
			switch {
			case tt.wantParent == "ctx":
				p := byName(t, spans)["parent"]
				if h.ParentID != p.SpanID || h.TraceID != p.TraceID {
					t.Errorf("handler under %s/%s, want %s/%s", h.TraceID, h.ParentID, p.TraceID, p.SpanID)
				}
			case tt.wantTrace != "":
				if h.TraceID != tt.wantTrace || h.ParentID != tt.wantParent {
					t.Errorf("handler under %s/%s, want %s/%s", h.TraceID, h.ParentID, tt.wantTrace, tt.wantParent)
				}
			default:
				if h.ParentID != "" {
					t.Errorf("root handler has parent %s", h.ParentID)
				}
			}
		})
	}
}

func TestStartRequestOffReturnsSameRequest(t *testing.T) {
	clearEnv(t)
	reset(t)
	t.Cleanup(func() { reset(t) })
	req := httptest.NewRequest("GET", "/", nil)
	r2, sp := StartRequest(req, "h")
	if r2 != req || !sp.isZero() {
		t.Errorf("recording off: got %p, %v; want the same request and nil", r2, sp)
	}
	if n := testing.AllocsPerRun(100, func() { StartRequest(req, "h") }); n != 0 {
		t.Errorf("StartRequest off allocates %v", n)
	}
}

func TestStartHereNestsOnOneGoroutine(t *testing.T) {
	out := record(t, Config{})
	a := StartHere("a")
	b := StartHere("b")
	ctx, c := Start(context.Background(), "c") // ctx without a span: under b
	_ = ctx
	d := StartHere("d") // under c: any Start kind counts
	d.End()
	c.End()
	e := StartHere("e") // back under b
	e.End()
	b.End()
	f := StartHere("f") // under a
	f.End()
	a.End()
	g := StartHere("g") // a new root
	g.End()
	Flush()
	if j := gls.lookup(getg()); j >= 0 {
		t.Errorf("goroutine still holds slot %d after its spans ended", j)
	}

	m := byName(t, mustSpans(t, out))
	for child, parent := range map[string]string{"b": "a", "c": "b", "d": "c", "e": "b", "f": "a"} {
		if m[child].ParentID != m[parent].SpanID || m[child].TraceID != m[parent].TraceID {
			t.Errorf("%s is not a child of %s", child, parent)
		}
	}
	for _, root := range []string{"a", "g"} {
		if m[root].ParentID != "" {
			t.Errorf("%s has a parent", root)
		}
	}
}

func TestStartHereIsolatesGoroutines(t *testing.T) {
	out := record(t, Config{})
	outer := StartHere("outer")
	var wg sync.WaitGroup
	for i := 0; i < 8; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			sp := StartHere("other goroutine")
			inner := StartHere("other inner")
			inner.End()
			sp.End()
		}()
	}
	wg.Wait()
	outer.End()
	Flush()
	spans := mustSpans(t, out)
	ids := map[string]line{}
	for _, s := range spans {
		ids[s.SpanID] = s
	}
	for _, s := range spans {
		switch s.Name {
		case "other goroutine":
			if s.ParentID != "" {
				t.Errorf("a new goroutine's first span has parent %s", ids[s.ParentID].Name)
			}
		case "other inner":
			if ids[s.ParentID].Name != "other goroutine" {
				t.Errorf("inner span under %q", ids[s.ParentID].Name)
			}
		}
	}
	if len(spans) != 17 {
		t.Errorf("%d spans, want 17", len(spans))
	}
}

func mustSpans(t *testing.T, out string) []line {
	t.Helper()
	spans, _ := readTrace(t, out)
	return spans
}
