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
	if err := os.WriteFile(trace, []byte(b.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(dir, "t.pb.gz")
	var stdout, stderr bytes.Buffer
	if code := Command([]string{"-format", "pprof", "-o", out, trace}, &stdout, &stderr); code != 0 {
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
