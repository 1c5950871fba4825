package report

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestCommandErrors(t *testing.T) {
	dir := t.TempDir()
	tests := []struct {
		name   string
		args   []string
		code   int
		stderr string
	}{
		{"no files", nil, 2, "no trace files"},
		{"unknown format", []string{"-format", "svg", "x"}, 2, `unknown format "svg"`},
		{"bad flag", []string{"-frobnicate", "x"}, 2, "flag provided but not defined"},
		{"negative top", []string{"-top", "-1", "x"}, 2, "must not be negative"},
		{"missing file", []string{filepath.Join(dir, "nope.jsonl")}, 2, "no such file"},
		{"directory", []string{dir}, 2, "is a directory"},
		{"help", []string{"-h"}, 0, "usage: autotrace report"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var out, errb bytes.Buffer
			code := Command(tt.args, &out, &errb)
			if code != tt.code || !strings.Contains(errb.String(), tt.stderr) {
				t.Errorf("exit %d, stderr %q; want %d and %q", code, errb.String(), tt.code, tt.stderr)
			}
		})
	}
}

func TestOutputFile(t *testing.T) {
	dir := t.TempDir()
	out := filepath.Join(dir, "out.folded")
	var stdout, stderr bytes.Buffer
	if code := Command([]string{"-format", "folded", "-o", out, "../testdata/report/worker.jsonl"}, &stdout, &stderr); code != 0 {
		t.Fatalf("exit %d: %s", code, stderr.String())
	}
	got, err := os.ReadFile(out)
	if err != nil || !strings.Contains(string(got), "worker.(*Server).HandleCharge;worker.verifyCard 7000000\n") {
		t.Errorf("output file: %q, %v", got, err)
	}
	if stdout.Len() != 0 {
		t.Errorf("stdout not empty with -o: %q", stdout.String())
	}
	entries, _ := os.ReadDir(dir)
	if len(entries) != 1 {
		t.Errorf("temporary files left: %v", entries)
	}
}

func TestMalformedNotFatal(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "t.jsonl")
	var b strings.Builder
	for i := range 15 {
		b.WriteString("garbage\n")
		_ = i
	}
	b.WriteString(`{"trace_id":"0102030405060708090a0b0c0d0e0f10","span_id":"0102030405060708","name":"x","start_ns":1,"dur_ns":5}` + "\n")
	b.WriteString(strings.Repeat("x", maxLine+10) + "\n")
	b.WriteString(`{"trace_id":"0102030405060708090a0b0c0d0e0f10","span_id":"0102030405060709","name":"y","start_ns":1,"dur_ns":5}`)
	os.WriteFile(path, []byte(b.String()), 0o644)
	var out, errb bytes.Buffer
	if code := Command([]string{"-format", "json", path}, &out, &errb); code != 0 {
		t.Fatalf("exit %d", code)
	}
	for _, want := range []string{`"spans": 2`, `"malformed": 16`, `t.jsonl:1"`} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("json lacks %s:\n%s", want, out.String())
		}
	}
	for _, want := range []string{"t.jsonl:1: not a JSON object", "t.jsonl:10: not a JSON object", "16 malformed lines in all"} {
		if !strings.Contains(errb.String(), want) {
			t.Errorf("stderr lacks %q:\n%s", want, errb.String())
		}
	}
	if strings.Contains(errb.String(), "t.jsonl:11:") {
		t.Errorf("more than 10 malformed lines named:\n%s", errb.String())
	}
}
