package main

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"testing"
)

// TestExportRunsExporter: autotrace export hands its arguments, output and
// exit status through to the autotrace-export it finds on PATH.
func TestExportRunsExporter(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("a shell script stands in for the exporter")
	}
	dir := t.TempDir()
	fake := "#!/bin/sh\necho \"exporter got: $*\"\necho oops >&2\nexit 3\n"
	if err := os.WriteFile(filepath.Join(dir, "autotrace-export"), []byte(fake), 0o755); err != nil {
		t.Fatal(err)
	}
	t.Setenv("PATH", dir+string(os.PathListSeparator)+os.Getenv("PATH"))
	var stdout, stderr bytes.Buffer
	code := run([]string{"export", "-endpoint", "http://x", "a b.jsonl"}, &stdout, &stderr)
	if code != 3 || stdout.String() != "exporter got: -endpoint http://x a b.jsonl\n" || stderr.String() != "oops\n" {
		t.Errorf("exit %d, stdout %q, stderr %q; want 3, the exporter's output", code, stdout.String(), stderr.String())
	}
}

// TestNoNetworkPackages keeps net out of the autotrace binary: with it,
// the binary is dynamically linked (cgo's resolver) and starts about twice
// as slowly, and the go command starts it four times in every -toolexec
// build (B1). What needs the network lives in autotrace-export.
func TestNoNetworkPackages(t *testing.T) {
	if testing.Short() {
		t.Skip("runs go list")
	}
	out, err := exec.Command("go", "list", "-deps", ".").Output()
	if err != nil {
		t.Fatalf("go list: %v", err)
	}
	deps := strings.Fields(string(out))
	for _, banned := range []string{"net", "net/http", "os/user", "runtime/cgo", "crypto/tls"} {
		if slices.Contains(deps, banned) {
			t.Errorf("cmd/autotrace depends on %s", banned)
		}
	}
}
