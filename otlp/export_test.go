package otlp

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
)

// collector is a fake OTLP/HTTP endpoint that decodes what it receives.
type collector struct {
	mu       sync.Mutex
	requests []exportRequest
	answers  []int  // status codes to answer, in turn; then 200
	reply    string // body of a 200
}

func (c *collector) start(t *testing.T) string {
	t.Helper()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		c.mu.Lock()
		defer c.mu.Unlock()
		if r.URL.Path != "/v1/traces" || r.Method != http.MethodPost || r.Header.Get("Content-Type") != "application/json" {
			t.Errorf("got %s %s (%s)", r.Method, r.URL.Path, r.Header.Get("Content-Type"))
		}
		if len(c.answers) > 0 {
			code := c.answers[0]
			c.answers = c.answers[1:]
			if code != http.StatusOK {
				http.Error(w, "try again", code)
				return
			}
		}
		body, _ := io.ReadAll(r.Body)
		var req exportRequest
		if err := json.Unmarshal(body, &req); err != nil {
			t.Errorf("undecodable request: %v", err)
		}
		c.requests = append(c.requests, req)
		io.WriteString(w, c.reply)
	}))
	t.Cleanup(srv.Close)
	return srv.URL
}

func (c *collector) spans() (out []otlpSpan) {
	for _, r := range c.requests {
		for _, rs := range r.ResourceSpans {
			for _, ss := range rs.ScopeSpans {
				out = append(out, ss.Spans...)
			}
		}
	}
	return out
}

const sample = `{"trace_id":"0af7651916cd43dd8448eb211c80319c","span_id":"00f067aa0ba902b7","parent_id":"","name":"main.main","start_ns":1000,"dur_ns":500,"pid":42,"status":"ok","attrs":{"code.function.name":"example.com/shop.main","code.file.path":"main.go","code.line.number":21,"user":"ann"}}
{"trace_id":"0af7651916cd43dd8448eb211c80319c","span_id":"1111111111111111","parent_id":"00f067aa0ba902b7","name":"shop.Find","start_ns":1100,"dur_ns":100,"pid":42,"status":"error","error":"not found","tracestate":"rojo=00f067aa0ba902b7","attrs":{}}
not json at all
{"trace_id":"0af7651916cd43dd8448eb211c80319c","span_id":"2222222222222222","parent_id":"00f067aa0ba902b7","name":"shop.Load","start_ns":1200,"dur_ns":50,"pid":42,"status":"panic","attrs":{"panic.value":"boom","panic.location":"store.go:9","panic.function":"shop.Load"}}
{"trace_id":"XYZ","span_id":"2222222222222222","name":"bad","start_ns":1,"dur_ns":1,"pid":42,"status":"ok"}
{"process":{"pid":42,"cmd":"/tmp/bin/shop -v","start_ns":900,"spans":3,"dropped":0,"pending":[],"pending_count":0}}
`

func writeTrace(t *testing.T, content string) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), "trace.jsonl")
	if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

func clearOTELEnv(t *testing.T) {
	for _, k := range []string{"OTEL_SERVICE_NAME", "OTEL_RESOURCE_ATTRIBUTES", "OTEL_EXPORTER_OTLP_ENDPOINT",
		"OTEL_EXPORTER_OTLP_TRACES_ENDPOINT", "OTEL_EXPORTER_OTLP_HEADERS", "OTEL_EXPORTER_OTLP_TRACES_HEADERS"} {
		t.Setenv(k, "")
	}
}

func attr(kvs []keyValue, key string) (anyValue, bool) {
	for _, kv := range kvs {
		if kv.Key == key {
			return kv.Value, true
		}
	}
	return anyValue{}, false
}

func strAttr(kvs []keyValue, key string) string {
	v, _ := attr(kvs, key)
	switch {
	case v.StringValue != nil:
		return *v.StringValue
	case v.IntValue != nil:
		return "int:" + *v.IntValue
	case v.DoubleValue != nil:
		return "double:" + strconv.FormatFloat(*v.DoubleValue, 'g', -1, 64)
	case v.BoolValue != nil:
		return "bool:" + strconv.FormatBool(*v.BoolValue)
	}
	return ""
}

func TestExportMapping(t *testing.T) {
	clearOTELEnv(t)
	var c collector
	url := c.start(t)
	res, err := Export(context.Background(), Options{Endpoint: TracesURL(url)}, writeTrace(t, sample))
	if err != nil {
		t.Fatal(err)
	}
	if res.Spans != 3 || res.Requests != 1 || res.Malformed != 2 || res.Files != 1 {
		t.Fatalf("result %+v", res)
	}
	if !strings.HasSuffix(res.Problems[0], "trace.jsonl:3: invalid character 'o' in literal null (expecting 'u')") ||
		!strings.Contains(res.Problems[1], "trace.jsonl:5: trace_id") {
		t.Errorf("problems %q", res.Problems)
	}
	rs := c.requests[0].ResourceSpans[0]
	spans := c.spans()
	root, find, load := spans[0], spans[1], spans[2]
	ev := func(s otlpSpan) []keyValue {
		if len(s.Events) != 1 || s.Events[0].Name != "exception" {
			return nil
		}
		return s.Events[0].Attributes
	}
	code := func(s otlpSpan) int {
		if s.Status == nil {
			return 0
		}
		return s.Status.Code
	}
	tests := []struct {
		name, got, want string
	}{
		{"service.name", strAttr(rs.Resource.Attributes, "service.name"), "shop"},
		{"process.pid", strAttr(rs.Resource.Attributes, "process.pid"), "int:42"},
		{"trace id", root.TraceID, "0af7651916cd43dd8448eb211c80319c"},
		{"span id", root.SpanID, "00f067aa0ba902b7"},
		{"root parent", root.ParentSpanID, ""},
		{"child parent", find.ParentSpanID, "00f067aa0ba902b7"},
		{"tracestate", find.TraceState, "rojo=00f067aa0ba902b7"},
		{"no tracestate", root.TraceState, ""},
		{"start", root.StartTimeUnixNano, "1000"},
		{"end", root.EndTimeUnixNano, "1500"},
		{"int attr", strAttr(root.Attributes, "code.line.number"), "int:21"},
		{"string attr", strAttr(root.Attributes, "user"), "ann"},
		{"root status", string(rune('0' + code(root))), "0"},
		{"error status", string(rune('0' + code(find))), "2"},
		{"error message", find.Status.Message, "not found"},
		{"error event", strAttr(ev(find), "exception.message"), "not found"},
		{"panic status", load.Status.Message, "panic: boom"},
		{"panic event", strAttr(ev(load), "exception.message"), "boom"},
		{"panic location", strAttr(ev(load), "panic.location"), "store.go:9"},
		{"panic attrs moved", strAttr(load.Attributes, "panic.value"), ""},
		{"scope", c.requests[0].ResourceSpans[0].ScopeSpans[0].Scope.Name, "github.com/autotrace/autotrace"},
	}
	for _, tt := range tests {
		if tt.got != tt.want {
			t.Errorf("%s = %q, want %q", tt.name, tt.got, tt.want)
		}
	}
}

func TestServiceName(t *testing.T) {
	tests := []struct {
		name, option, env, resAttrs, want string
	}{
		{"option first", "opt", "env", "service.name=res", "opt"},
		{"OTEL_SERVICE_NAME", "", "env", "service.name=res", "env"},
		{"OTEL_RESOURCE_ATTRIBUTES", "", "", "service.name=res,team=a", "res"},
		{"process record", "", "", "", "shop"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			clearOTELEnv(t)
			t.Setenv("OTEL_SERVICE_NAME", tt.env)
			t.Setenv("OTEL_RESOURCE_ATTRIBUTES", tt.resAttrs)
			var c collector
			url := c.start(t)
			if _, err := Export(context.Background(), Options{Endpoint: url + "/v1/traces", Service: tt.option}, writeTrace(t, sample)); err != nil {
				t.Fatal(err)
			}
			if got := strAttr(c.requests[0].ResourceSpans[0].Resource.Attributes, "service.name"); got != tt.want {
				t.Errorf("service.name = %q, want %q", got, tt.want)
			}
		})
	}
}

func TestEndpoint(t *testing.T) {
	tests := []struct {
		name, traces, base, want string
	}{
		{"default", "", "", "http://127.0.0.1:4318/v1/traces"},
		{"base", "", "http://collector:4318/", "http://collector:4318/v1/traces"},
		{"traces as is", "http://c:1/custom", "http://collector:4318", "http://c:1/custom"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Setenv("OTEL_EXPORTER_OTLP_TRACES_ENDPOINT", tt.traces)
			t.Setenv("OTEL_EXPORTER_OTLP_ENDPOINT", tt.base)
			if got := EndpointFromEnv(); got != tt.want {
				t.Errorf("EndpointFromEnv() = %q, want %q", got, tt.want)
			}
		})
	}
	if got := TracesURL("http://x:4318/v1/traces"); got != "http://x:4318/v1/traces" {
		t.Errorf("TracesURL kept a full URL as %q", got)
	}
}

func TestBatchesAndRetries(t *testing.T) {
	var lines strings.Builder
	for i := 1; i <= 25; i++ {
		lines.WriteString(`{"trace_id":"0af7651916cd43dd8448eb211c80319c","span_id":"00000000000000` +
			string("0123456789abcdef"[i/16]) + string("0123456789abcdef"[i%16]) + `","name":"f","start_ns":1,"dur_ns":1,"pid":1,"status":"ok"}` + "\n")
	}
	tests := []struct {
		name      string
		answers   []int
		reply     string
		wantErr   bool
		wantSpans int
		wantReqs  int
		wantRetry int
		wantRej   int
	}{
		{"three batches", nil, "{}", false, 25, 3, 0, 0},
		{"retried 503 and 429", []int{503, 429}, "{}", false, 25, 3, 2, 0},
		{"400 is final", []int{400}, "{}", true, 0, 0, 0, 0},
		{"too many failures", []int{503, 503, 503}, "{}", true, 0, 0, 2, 0},
		{"partial success", nil, `{"partialSuccess":{"rejectedSpans":"2"}}`, false, 19, 3, 0, 6},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			clearOTELEnv(t)
			c := collector{answers: tt.answers, reply: tt.reply}
			url := c.start(t)
			res, err := Export(context.Background(), Options{Endpoint: url, BatchSpans: 10, Backoff: time.Millisecond}, writeTrace(t, lines.String()))
			if (err != nil) != tt.wantErr {
				t.Fatalf("err = %v", err)
			}
			if res.Spans != tt.wantSpans || res.Requests != tt.wantReqs || res.Retries != tt.wantRetry || res.Rejected != tt.wantRej {
				t.Errorf("result %+v", res)
			}
		})
	}
}

func TestUnreadableFile(t *testing.T) {
	_, err := Export(context.Background(), Options{Endpoint: "http://127.0.0.1:1"}, filepath.Join(t.TempDir(), "missing.jsonl"))
	if err == nil || !strings.Contains(err.Error(), "missing.jsonl") {
		t.Errorf("err = %v", err)
	}
}
