package autohttp

import (
	"bufio"
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"testing"

	autotrace "github.com/autotrace/autotrace/runtime"
	"github.com/autotrace/autotrace/tracefile"
)

const (
	callerParent = "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01"
	callerState  = "rojo=00f067aa0ba902b7,congo=t61rcWkgMzE"
)

// traceFile is where this test binary records; recording is configured
// once per process.
var traceFile string

func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "autohttp")
	if err != nil {
		panic(err)
	}
	traceFile = filepath.Join(dir, "trace.bin")
	os.Unsetenv("TRACEPARENT")
	os.Unsetenv("TRACESTATE")
	if err := autotrace.Configure(autotrace.Config{Out: traceFile}); err != nil {
		panic(err)
	}
	code := m.Run()
	autotrace.Shutdown(context.Background())
	os.RemoveAll(dir)
	os.Exit(code)
}

type span struct {
	TraceID string `json:"trace_id"`
	SpanID  string `json:"span_id"`
	Parent  string `json:"parent_id"`
	Name    string `json:"name"`
	State   string `json:"tracestate"`
}

// spans flushes and returns the recorded spans by name.
func spans(t *testing.T) map[string]span {
	t.Helper()
	autotrace.Flush()
	f, err := os.Open(traceFile)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	m := map[string]span{}
	view, _ := tracefile.JSONLines(f)
	sc := bufio.NewScanner(view)
	for sc.Scan() {
		var s span
		if err := json.Unmarshal(sc.Bytes(), &s); err != nil {
			t.Fatalf("%v: %s", err, sc.Text())
		}
		if s.Name != "" {
			m[s.Name] = s
		}
	}
	return m
}

func TestInjectExtract(t *testing.T) {
	ctx, client := autotrace.Start(context.Background(), "inject.client")
	h := http.Header{"Tracestate": {"stale=1"}}
	Inject(ctx, h)
	tp, _ := autotrace.TraceContext(ctx)
	if h.Get("traceparent") != tp || len(h["Traceparent"]) != 1 {
		t.Errorf("injected traceparent %q, want %q", h["Traceparent"], tp)
	}
	if _, ok := h["Tracestate"]; ok {
		t.Errorf("a stale tracestate was left: %q", h["Tracestate"])
	}
	_, server := autotrace.Start(Extract(context.Background(), h), "inject.server")
	server.End()
	client.End()
	m := spans(t)
	c, s := m["inject.client"], m["inject.server"]
	if s.TraceID != c.TraceID || s.Parent != c.SpanID {
		t.Errorf("server under %s/%s, want %s/%s", s.TraceID, s.Parent, c.TraceID, c.SpanID)
	}

	// Nothing to continue: h is left alone.
	h = http.Header{}
	Inject(context.Background(), h)
	if len(h) != 0 {
		t.Errorf("Inject without a trace set %v", h)
	}
}

func TestExtract(t *testing.T) {
	tests := []struct {
		name      string
		header    http.Header
		wantState string
		continues bool
	}{
		{"none", http.Header{}, "", false},
		{"malformed", http.Header{"Traceparent": {"00-zz"}}, "", false},
		{"repeated", http.Header{"Traceparent": {callerParent, callerParent}}, "", false},
		{"traceparent only", http.Header{"Traceparent": {callerParent}}, "", true},
		{"tracestate in two headers", http.Header{"Traceparent": {callerParent}, "Tracestate": {"rojo=00f067aa0ba902b7", "congo=t61rcWkgMzE"}}, callerState, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ctx := Extract(context.Background(), tt.header)
			if continues := ctx != context.Background(); continues != tt.continues {
				t.Fatalf("Extract continues the caller: %v, want %v", continues, tt.continues)
			}
			if !tt.continues {
				return
			}
			tp, ts := autotrace.TraceContext(ctx)
			if tp != callerParent || ts != tt.wantState {
				t.Errorf("passes on %q, %q; want %q, %q", tp, ts, callerParent, tt.wantState)
			}
		})
	}
}

// TestTransportToHandler sends a request through Transport to a handler
// started as the generated code starts it: one trace, the tracestate of
// the caller's caller intact at the far end, the caller's request untouched.
func TestTransportToHandler(t *testing.T) {
	var got http.Header
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		got = r.Header.Clone()
		r, sp := autotrace.StartRequest(r, "transport.handler")
		defer sp.End()
		_, inner := autotrace.Start(r.Context(), "transport.inner")
		inner.End()
	}))
	defer srv.Close()

	upstream := http.Header{"Traceparent": {callerParent}, "Tracestate": {callerState}}
	ctx, client := autotrace.Start(Extract(context.Background(), upstream), "transport.client")
	req, _ := http.NewRequestWithContext(ctx, "GET", srv.URL, nil)
	resp, err := (&http.Client{Transport: Transport(nil)}).Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if len(req.Header) != 0 {
		t.Errorf("Transport modified the caller's request: %v", req.Header)
	}
	client.End()
	srv.Close() // waits for the handler, so its span has ended
	m := spans(t)
	c, h, hi := m["transport.client"], m["transport.handler"], m["transport.inner"]
	if c.Parent != "b7ad6b7169203331" || h.TraceID != c.TraceID || h.Parent != c.SpanID || hi.Parent != h.SpanID {
		t.Errorf("client %s/%s under %s, handler under %s/%s, inner under %s", c.TraceID, c.SpanID, c.Parent, h.TraceID, h.Parent, hi.Parent)
	}
	if got.Get("Tracestate") != callerState || h.State != callerState || hi.State != callerState {
		t.Errorf("tracestate sent %q, recorded %q / %q; want %q", got.Get("Tracestate"), h.State, hi.State, callerState)
	}
}
