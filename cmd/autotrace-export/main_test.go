package main

import (
	"bytes"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestExportCommand(t *testing.T) {
	var got int
	ok := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/v1/traces" {
			got++
		}
	}))
	defer ok.Close()
	bad := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		http.Error(w, "no", http.StatusBadRequest)
	}))
	defer bad.Close()
	trace := filepath.Join(t.TempDir(), "t.jsonl")
	line := `{"trace_id":"0af7651916cd43dd8448eb211c80319c","span_id":"00f067aa0ba902b7","name":"f","start_ns":1,"dur_ns":2,"pid":1,"status":"ok"}` + "\n"
	if err := os.WriteFile(trace, []byte(line+"junk\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name       string
		args       []string
		wantCode   int
		wantOut    string
		wantStderr string
	}{
		{"no files", []string{}, exitUsage, "", "usage: autotrace export"},
		{"bad flag", []string{"-nope", trace}, exitUsage, "", "flag provided but not defined"},
		{"missing file", []string{"-endpoint", ok.URL, trace + ".missing"}, exitUsage, "exported 0 spans", "no such file"},
		{"sent", []string{"-endpoint", ok.URL, "-service", "svc", trace}, exitOK, "exported 1 spans from 1 files to " + ok.URL + "/v1/traces in 1 requests", "t.jsonl:2:"},
		{"refused", []string{"-endpoint", bad.URL, trace}, exitFailed, "exported 0 spans", "400 Bad Request: no"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var stdout, stderr bytes.Buffer
			code := run(tt.args, &stdout, &stderr)
			if code != tt.wantCode || !strings.Contains(stdout.String(), tt.wantOut) || !strings.Contains(stderr.String(), tt.wantStderr) {
				t.Errorf("exit %d, stdout %q, stderr %q; want %d, %q, %q", code, stdout.String(), stderr.String(), tt.wantCode, tt.wantOut, tt.wantStderr)
			}
		})
	}
	if got != 1 {
		t.Errorf("endpoint got %d requests, want 1", got)
	}
}
