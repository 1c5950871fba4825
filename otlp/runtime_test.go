package otlp

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	autotrace "github.com/autotrace/autotrace/runtime"
)

// TestRuntimeRoundTrip records spans with the real runtime and exports the
// file, so that a change to the trace format that export does not follow
// fails here.
func TestRuntimeRoundTrip(t *testing.T) {
	clearOTELEnv(t)
	for _, k := range []string{"AUTOTRACE_OUT", "AUTOTRACE_SAMPLE", "TRACEPARENT"} {
		t.Setenv(k, "")
		os.Unsetenv(k) // restored by Setenv's cleanup
	}
	file := filepath.Join(t.TempDir(), "trace.bin")
	if err := autotrace.Configure(autotrace.Config{Out: file}); err != nil {
		t.Fatal(err)
	}
	func() (err error) {
		ctx, root := autotrace.Start(context.Background(), "root")
		defer root.EndErr(&err)
		root.SetAttr("user", "ann")
		root.SetInt("items", 3)
		root.SetFloat("total", 9.5)
		root.SetBool("member", true)
		func() {
			defer func() { recover() }()
			_, s := autotrace.Start(ctx, "boom")
			defer s.End()
			panic("kaboom")
		}()
		return errors.New("failed")
	}()
	if err := autotrace.Shutdown(context.Background()); err != nil {
		t.Fatal(err)
	}

	var c collector
	url := c.start(t)
	res, err := Export(context.Background(), Options{Endpoint: url}, file)
	if err != nil || res.Spans != 2 || res.Malformed != 0 {
		t.Fatalf("Export: %+v, %v", res, err)
	}
	byName := map[string]otlpSpan{}
	for _, s := range c.spans() {
		byName[s.Name] = s
	}
	root, boom := byName["root"], byName["boom"]
	tests := []struct{ name, got, want string }{
		{"same trace", boom.TraceID, root.TraceID},
		{"parent", boom.ParentSpanID, root.SpanID},
		{"root error", root.Status.Message, "failed"},
		{"panic", boom.Status.Message, "panic: kaboom"},
		{"panic event", strAttr(boom.Events[0].Attributes, "exception.message"), "kaboom"},
		{"attr", strAttr(root.Attributes, "user"), "ann"},
		{"typed int attr", strAttr(root.Attributes, "items"), "int:3"},
		{"typed double attr", strAttr(root.Attributes, "total"), "double:9.5"},
		{"typed bool attr", strAttr(root.Attributes, "member"), "bool:true"},
		{"function", strAttr(root.Attributes, "code.function.name"), "github.com/autotrace/autotrace/otlp.TestRuntimeRoundTrip.func1"},
		{"line is an int", strconv.FormatBool(strings.HasPrefix(strAttr(root.Attributes, "code.line.number"), "int:")), "true"},
		{"service from the process record", strAttr(c.requests[0].ResourceSpans[0].Resource.Attributes, "service.name"), "otlp.test"},
	}
	for _, tt := range tests {
		if tt.got != tt.want {
			t.Errorf("%s = %q, want %q", tt.name, tt.got, tt.want)
		}
	}
}
