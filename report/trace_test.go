package report

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/autotrace/autotrace/internal/hotspot"
)

func TestReadTrace(t *testing.T) {
	lines := []string{
		`{"trace_id":"0000000000000000000000000000000a","span_id":"0000000000000001","parent_id":"","name":"main.main","start_ns":100,"dur_ns":50,"pid":7,"status":"ok"}`,
		`not json`,
		``,
		`{"trace_id":"0000000000000000000000000000000a","span_id":"0000000000000002","parent_id":"0000000000000001","name":"main.work","start_ns":110,"dur_ns":20,"pid":7,"status":"error","error":"boom"}`,
		`{"process":{"pid":7,"cmd":"prog","start_ns":90,"spans":2,"dropped":3,"pending":[]}}`,
		`{"trace_id":"0000000000000000000000000000000a","name":"no span id","start_ns":1,"dur_ns":1}`,
	}
	path := filepath.Join(t.TempDir(), "t.jsonl")
	if err := os.WriteFile(path, []byte(strings.Join(lines, "\n")+"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	var names []string
	var procs []hotspot.Process
	var badLines []int
	err := ReadTrace(path, Visitor{
		Span:      func(s *hotspot.Span) { names = append(names, s.Name) },
		Process:   func(p hotspot.Process) { procs = append(procs, p) },
		Malformed: func(line int, _ error) { badLines = append(badLines, line) },
	})
	if err != nil {
		t.Fatal(err)
	}
	if got := strings.Join(names, ","); got != "main.main,main.work" {
		t.Errorf("spans %s, want main.main,main.work", got)
	}
	if len(procs) != 1 || procs[0].Pid != 7 || procs[0].Dropped != 3 {
		t.Errorf("processes %+v, want pid 7 with 3 dropped", procs)
	}
	if len(badLines) != 2 || badLines[0] != 2 || badLines[1] != 6 {
		t.Errorf("malformed lines %v, want [2 6]", badLines)
	}
	if err := ReadTrace(filepath.Join(t.TempDir(), "missing"), Visitor{}); err == nil {
		t.Error("a missing file read without error")
	}
}
