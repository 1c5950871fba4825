package report

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/pprof/profile"
)

// TestPprofKnownAnswer: a trace built by hand, root (100 ms) over a child
// (30 ms, failed) over a grandchild (10 ms), twice, gives a profile whose
// stacks are the span paths and whose self times are 70, 20 and 10 ms per
// trace; go tool pprof reads it.
func TestPprofKnownAnswer(t *testing.T) {
	dir := t.TempDir()
	trace := filepath.Join(dir, "t.jsonl")
	var b strings.Builder
	for i, tid := range []string{"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", "bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb"} {
		start := int64(1763856000000000000 + i*1000000000)
		b.WriteString(`{"trace_id":"` + tid + `","span_id":"0000000000000003","parent_id":"0000000000000002","name":"p.leaf","start_ns":` + itoa(start+20e6) + `,"dur_ns":10000000,"pid":1,"status":"ok"}` + "\n")
		b.WriteString(`{"trace_id":"` + tid + `","span_id":"0000000000000002","parent_id":"0000000000000001","name":"p.mid","start_ns":` + itoa(start+10e6) + `,"dur_ns":30000000,"pid":1,"status":"error","error":"boom"}` + "\n")
		b.WriteString(`{"trace_id":"` + tid + `","span_id":"0000000000000001","name":"p.root","start_ns":` + itoa(start) + `,"dur_ns":100000000,"pid":1,"status":"ok"}` + "\n")
	}
	p, out := pprofOf(t, trace, b.String())
	got := map[string][2]int64{}
	errs := map[string]int64{}
	for _, s := range p.Sample {
		var path []string
		for i := len(s.Location) - 1; i >= 0; i-- {
			path = append(path, s.Location[i].Line[0].Function.Name)
		}
		got[strings.Join(path, ";")] = [2]int64{s.Value[0], s.Value[1]}
		if n := s.NumLabel["errors"]; len(n) == 1 {
			errs[strings.Join(path, ";")] = n[0]
		}
	}
	want := map[string][2]int64{
		"p.root":              {2, 140e6},
		"p.root;p.mid":        {2, 40e6},
		"p.root;p.mid;p.leaf": {2, 20e6},
	}
	for k, v := range want {
		if got[k] != v {
			t.Errorf("%s: got %v, want %v (all: %v)", k, got[k], v, got)
		}
	}
	if len(got) != len(want) || errs["p.root;p.mid"] != 2 {
		t.Errorf("samples %v, errors %v", got, errs)
	}
	if p.DefaultSampleType != "self" {
		t.Errorf("default sample type %q", p.DefaultSampleType)
	}
	if goBin, err := exec.LookPath("go"); err == nil {
		top, err := exec.Command(goBin, "tool", "pprof", "-top", "-nodecount=3", out).CombinedOutput()
		if err != nil || !strings.Contains(string(top), "p.root") || !strings.Contains(string(top), "140ms") {
			t.Errorf("go tool pprof -top: %v\n%s", err, top)
		}
	}
}

// TestPprofLabels: with -by, a span's attribute value is a label of its
// sample, and spans of one path with different values are samples of
// their own: 3 spans of p.get with route=/a (10 ms each), 1 with /b
// (40 ms), 1 without (5 ms).
func TestPprofLabels(t *testing.T) {
	dir := t.TempDir()
	trace := filepath.Join(dir, "t.jsonl")
	var b strings.Builder
	spans := []struct {
		route string
		dur   int64
	}{{"/a", 10e6}, {"/a", 10e6}, {"/b", 40e6}, {"/a", 10e6}, {"", 5e6}}
	for i, s := range spans {
		attrs := `{}`
		if s.route != "" {
			attrs = `{"route":"` + s.route + `"}`
		}
		b.WriteString(`{"trace_id":"` + strings.Repeat(string(rune('a'+i)), 32) + `","span_id":"0000000000000001","name":"p.get","start_ns":` + itoa(1763856000000000000+int64(i)*1e9) + `,"dur_ns":` + itoa(s.dur) + `,"pid":1,"status":"ok","attrs":` + attrs + `}` + "\n")
	}
	p, out := pprofOf(t, trace, b.String(), "-by", "route")
	got := map[string][2]int64{}
	for _, s := range p.Sample {
		if len(s.Location) != 1 || s.Location[0].Line[0].Function.Name != "p.get" {
			t.Errorf("sample stack %v", s.Location)
			continue
		}
		got[strings.Join(s.Label["route"], ",")] = [2]int64{s.Value[0], s.Value[1]}
	}
	want := map[string][2]int64{"/a": {3, 30e6}, "/b": {1, 40e6}, "": {1, 5e6}}
	if len(got) != len(want) {
		t.Errorf("samples by route %v, want %v", got, want)
	}
	for k, v := range want {
		if got[k] != v {
			t.Errorf("route %q: got %v, want %v", k, got[k], v)
		}
	}
	if len(p.Function) != 1 {
		t.Errorf("%d functions, want 1 (p.get)", len(p.Function))
	}
	if goBin, err := exec.LookPath("go"); err == nil {
		tags, err := exec.Command(goBin, "tool", "pprof", "-tags", out).CombinedOutput()
		if err != nil || !strings.Contains(string(tags), "route") || !strings.Contains(string(tags), "/b") {
			t.Errorf("go tool pprof -tags: %v\n%s", err, tags)
		}
	}
}

// pprofOf writes content to the trace file path, runs report -format
// pprof (with args) on it, which must say nothing on stderr, and returns
// the profile and its file.
func pprofOf(t *testing.T, path, content string, args ...string) (*profile.Profile, string) {
	t.Helper()
	if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(filepath.Dir(path), "t.pb.gz")
	var stdout, stderr bytes.Buffer
	args = append(append([]string{"-format", "pprof", "-o", out}, args...), path)
	if code := Command(args, &stdout, &stderr); code != 0 || stderr.Len() > 0 {
		t.Fatalf("exit %d: %s", code, stderr.String())
	}
	f, err := os.Open(out)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	p, err := profile.Parse(f)
	if err != nil {
		t.Fatal(err)
	}
	return p, out
}
