package autotrace

import (
	"context"
	"net/http"
	"net/http/httptest"
	"testing"
)

func TestHeaderInjectExtract(t *testing.T) {
	record(t, Config{})
	ctx, sp := Start(context.Background(), "client")
	defer sp.End()
	h := http.Header{}
	InjectHeader(ctx, h)
	want := formatTraceparent(sp.trace, sp.id, true)
	if got := h.Get("traceparent"); got != want {
		t.Fatalf("injected %q, want %q", got, want)
	}
	// The server side continues the trace under the client span.
	sctx := ExtractHeader(context.Background(), h)
	if FromContext(sctx) != nil {
		t.Error("a remote parent is returned as a local span")
	}
	_, server := Start(sctx, "server")
	if server.trace != sp.trace || server.parentID != sp.id {
		t.Errorf("server span under %v/%x, want %v/%x", server.trace, server.parentID, sp.trace, sp.id)
	}
	server.End()

	for _, bad := range []string{"", "garbage", "00-00000000000000000000000000000000-b7ad6b7169203331-01",
		"00-0af7651916cd43dd8448eb211c80319c-0000000000000000-01", "ff-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01",
		"00-0AF7651916CD43DD8448EB211C80319C-b7ad6b7169203331-01", "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01-extra"} {
		h := http.Header{}
		if bad != "" {
			h.Set("traceparent", bad)
		}
		if ExtractHeader(context.Background(), h) != context.Background() {
			t.Errorf("ExtractHeader accepted %q", bad)
		}
	}
	// A future version may append fields.
	h2 := http.Header{}
	h2.Set("traceparent", "01-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01-future")
	if ExtractHeader(context.Background(), h2) == context.Background() {
		t.Error("ExtractHeader rejected a future version")
	}
}

func TestTransportAndHandler(t *testing.T) {
	out := record(t, Config{})
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		r, sp := StartRequest(r, "handler")
		defer sp.End()
		_, inner := Start(r.Context(), "handler.inner")
		inner.End()
		w.Write([]byte(r.Header.Get("traceparent")))
	}))
	defer srv.Close()

	client := &http.Client{Transport: Transport(nil)}
	ctx, sp := Start(context.Background(), "client")
	req, _ := http.NewRequestWithContext(ctx, "GET", srv.URL, nil)
	resp, err := client.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if req.Header.Get("traceparent") != "" {
		t.Error("Transport modified the caller's request")
	}
	sp.End()
	srv.Close() // waits for the handler, so its span has ended
	Flush()
	m := byName(t, mustSpans(t, out))
	c, h, hi := m["client"], m["handler"], m["handler.inner"]
	if h.TraceID != c.TraceID || h.ParentID != c.SpanID || hi.ParentID != h.SpanID {
		t.Errorf("client %s/%s, handler %s/%s, inner parent %s", c.TraceID, c.SpanID, h.TraceID, h.ParentID, hi.ParentID)
	}
}
