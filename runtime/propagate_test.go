package autotrace

import (
	"context"
	"net/http/httptest"
	"testing"
)

// TestPropagate: the request Propagate returns carries the traceparent of
// its context's span and the tracestate that came with it, on a copy: the
// caller's request and header are unchanged. Without a trace to send it
// returns the request itself.
func TestPropagate(t *testing.T) {
	const incoming = "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01"
	record(t, Config{})
	parent := WithTraceContext(context.Background(), incoming, "vendor=x")
	ctx, sp := Start(parent, "client")
	defer sp.End()
	req := httptest.NewRequest("GET", "http://back/stock", nil).WithContext(ctx)
	req.Header.Set("Accept", "text/plain")
	req.Header.Set("Tracestate", "stale=1")
	before := req.Header

	out := Propagate(req)
	if out == req {
		t.Fatal("Propagate returned the caller's request")
	}
	want, _ := TraceContext(ctx)
	if got := out.Header.Get("Traceparent"); got != want || got[3:35] != "0af7651916cd43dd8448eb211c80319c" || got[36:52] == "b7ad6b7169203331" {
		t.Errorf("traceparent %q, want the client span's %q (trace of the incoming one, span id its own)", got, want)
	}
	if got := out.Header.Get("Tracestate"); got != "vendor=x" {
		t.Errorf("tracestate %q, want vendor=x", got)
	}
	if out.Header.Get("Accept") != "text/plain" || out.Context() != ctx {
		t.Errorf("copy lost the request's header or context")
	}
	if req.Header.Get("Traceparent") != "" || req.Header.Get("Tracestate") != "stale=1" || len(before) != 2 {
		t.Errorf("the caller's request changed: %v", req.Header)
	}

	// No trace: the request itself.
	bare := httptest.NewRequest("GET", "http://back/", nil)
	if got := Propagate(bare); got != bare || bare.Header.Get("Traceparent") != "" {
		t.Errorf("no trace: got a copy, or a header %v", bare.Header)
	}
}

// TestRecordField: a field of a named result, read at return by name;
// nothing for a nil result or a field that is not there.
func TestRecordField(t *testing.T) {
	type resp struct {
		Status int
		Proto  string
		OK     bool
	}
	out := record(t, Config{})
	func() (r *resp) {
		s := StartHere("f")
		defer s.End()
		defer RecordField(s, "status", &r, "Status")
		defer RecordField(s, "proto", &r, "Proto")
		defer RecordField(s, "missing", &r, "Nope")
		return &resp{Status: 404, Proto: "HTTP/1.1"}
	}()
	func() (r *resp) {
		s := StartHere("nil")
		defer s.End()
		defer RecordField(s, "status", &r, "Status")
		return nil
	}()
	Flush()
	spans, _ := readTrace(t, out)
	byN := byName(t, spans)
	f := byN["f"]
	if f.Attrs["status"] != float64(404) || f.Attrs["proto"] != "HTTP/1.1" {
		t.Errorf("attrs %v", f.Attrs)
	}
	if _, ok := f.Attrs["missing"]; ok {
		t.Errorf("a missing field recorded: %v", f.Attrs)
	}
	if _, ok := byN["nil"].Attrs["status"]; ok {
		t.Errorf("nil result recorded: %v", byN["nil"].Attrs)
	}
}
