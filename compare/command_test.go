package compare

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestCommandStatus checks the exit statuses: 2 for usage errors and
// unreadable input, 0 without regressions, 1 with.
func TestCommandStatus(t *testing.T) {
	t.Chdir("../testdata/compare")
	empty := filepath.Join(t.TempDir(), "empty.jsonl")
	if err := os.WriteFile(empty, []byte(`{"process":{"pid":1,"cmd":"x","start_ns":1,"spans":0,"dropped":0}}`+"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name   string
		args   []string
		status int
		stderr string
	}{
		{"no separator", []string{"base.jsonl", "head.jsonl"}, 2, "want BASE… -- HEAD…"},
		{"no head", []string{"base.jsonl", "--"}, 2, "at least one trace file on each side"},
		{"no base", []string{"--", "head.jsonl"}, 2, "at least one trace file on each side"},
		{"bad metric", []string{"-metric", "wall", "base.jsonl", "--", "head.jsonl"}, 2, `unknown -metric "wall"`},
		{"bad format", []string{"-format", "html", "base.jsonl", "--", "head.jsonl"}, 2, `unknown -format "html"`},
		{"bad threshold", []string{"-threshold", "ten", "base.jsonl", "--", "head.jsonl"}, 2, "want a percentage"},
		{"bad alpha", []string{"-alpha", "2", "base.jsonl", "--", "head.jsonl"}, 2, "-alpha 2 is not between 0 and 1"},
		{"bad regexp", []string{"-only", "(", "base.jsonl", "--", "head.jsonl"}, 2, "-only: error parsing regexp"},
		{"missing file", []string{"base.jsonl", "--", "nonexistent.jsonl"}, 2, "nonexistent.jsonl"},
		{"no spans", []string{"base.jsonl", "--", empty}, 2, "no spans in the head traces"},
		{"not a trace", []string{"base.jsonl", "--", "../../compare/command_test.go"}, 2, `command_test.go: not an autotrace trace (text starting "package compare")`},
		{"same traces", []string{"base.jsonl", "--", "base.jsonl"}, 0, ""},
		{"regressions", []string{"base.jsonl", "--", "head.jsonl"}, 1, ""},
		{"threshold above them", []string{"-threshold", "300%", "base.jsonl", "--", "head.jsonl"}, 0, ""},
		{"calls not judged", []string{"-calls=false", "-only", "query", "base.jsonl", "--", "head.jsonl"}, 0, ""},
		{"calls judged", []string{"-only", "query", "base.jsonl", "--", "head.jsonl"}, 1, ""},
		{"flags after files", []string{"base.jsonl", "-skip", "load|query", "--", "head.jsonl", "-format", "json"}, 0, ""},
		{"help", []string{"-h"}, 0, "usage: autotrace compare"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var out, errb bytes.Buffer
			if got := Command(tt.args, &out, &errb); got != tt.status {
				t.Errorf("exit %d, want %d; stderr: %s", got, tt.status, errb.String())
			}
			if !strings.Contains(errb.String(), tt.stderr) {
				t.Errorf("stderr %q does not say %q", errb.String(), tt.stderr)
			}
		})
	}
}
