package autotrace

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"maps"
	"os"
	"slices"
	"strings"
	"testing"
	"time"
)

func TestSpanLineFormat(t *testing.T) {
	out := record(t, Config{})
	before := time.Now()
	ctx, root := Start(context.Background(), "shop.(*Cart).Add")
	time.Sleep(2 * time.Millisecond)
	_, child := Start(ctx, "shop.Checkout")
	child.SetError(errBoom)
	child.End()
	root.End()
	if err := Shutdown(context.Background()); err != nil {
		t.Fatal(err)
	}
	after := time.Now()

	lines := rawLines(t, out)
	if len(lines) != 3 {
		t.Fatalf("%d lines, want 2 spans and a process record", len(lines))
	}
	want := []string{"attrs", "dur_ns", "name", "parent_id", "pid", "span_id", "start_ns", "status", "trace_id"}
	for _, l := range lines[:2] {
		keys := keysOf(l)
		if l["name"] == "shop.Checkout" {
			keys = slices.DeleteFunc(keys, func(k string) bool { return k == "error" })
		}
		if !slices.Equal(keys, want) {
			t.Errorf("keys %v, want %v", keys, want)
		}
		if id := l["trace_id"].(string); len(id) != 32 || strings.Trim(id, "0123456789abcdef") != "" {
			t.Errorf("trace_id %q", id)
		}
		if id := l["span_id"].(string); len(id) != 16 || strings.Trim(id, "0123456789abcdef") != "" {
			t.Errorf("span_id %q", id)
		}
		if l["pid"].(float64) != float64(os.Getpid()) {
			t.Errorf("pid %v", l["pid"])
		}
		start := int64(l["start_ns"].(float64))
		if start < before.UnixNano()-int64(time.Millisecond) || start > after.UnixNano() {
			t.Errorf("start_ns %d not within the test's run [%d, %d]", start, before.UnixNano(), after.UnixNano())
		}
	}
	byN := map[string]map[string]any{}
	for _, l := range lines[:2] {
		byN[l["name"].(string)] = l
	}
	root1 := byN["shop.(*Cart).Add"]
	if d := time.Duration(root1["dur_ns"].(float64)); d < 2*time.Millisecond || d > after.Sub(before)+time.Millisecond {
		t.Errorf("dur_ns %v, want ≥ 2ms and ≤ the test's run %v", d, after.Sub(before))
	}
	if root1["parent_id"] != "" || root1["status"] != "ok" {
		t.Errorf("root: parent_id %q status %q", root1["parent_id"], root1["status"])
	}
	// Static attributes come from the instrumented function itself: its
	// import path, its file relative to the module root, its line.
	wantAttrs := map[string]any{
		"code.function.name": "github.com/autotrace/autotrace/runtime.TestSpanLineFormat",
		"code.file.path":     "runtime/format_test.go",
		"code.line.number":   16.0, // func TestSpanLineFormat
	}
	for _, l := range lines[:2] {
		if attrs := l["attrs"].(map[string]any); !maps.Equal(attrs, wantAttrs) {
			t.Errorf("%s: attrs %v, want %v", l["name"], attrs, wantAttrs)
		}
	}
	c := byN["shop.Checkout"]
	if c["status"] != "error" || c["error"] != errBoom.Error() {
		t.Errorf("child status %q error %q", c["status"], c["error"])
	}

	proc := lines[2]["process"].(map[string]any)
	if keys := keysOf(proc); !slices.Equal(keys, []string{"cmd", "dropped", "pending", "pending_count", "pid", "spans", "start_ns"}) {
		t.Errorf("process keys %v", keys)
	}
	if proc["spans"] != 2.0 || proc["dropped"] != 0.0 || proc["pending_count"] != 0.0 || proc["pid"] != float64(os.Getpid()) {
		t.Errorf("process record %v", proc)
	}
	if !strings.Contains(proc["cmd"].(string), os.Args[0]) {
		t.Errorf("cmd %q", proc["cmd"])
	}
}

// rawLines decodes every line of a trace file into a generic map.
func rawLines(t *testing.T, path string) []map[string]any {
	t.Helper()
	var out []map[string]any
	sc := bufio.NewScanner(bytes.NewReader(traceView(t, path)))
	for sc.Scan() {
		var m map[string]any
		if err := json.Unmarshal(sc.Bytes(), &m); err != nil {
			t.Fatalf("line %q: %v", sc.Text(), err)
		}
		out = append(out, m)
	}
	return out
}

func keysOf(m map[string]any) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}
