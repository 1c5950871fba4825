package report

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"
)

// TestBinaryTraceReport: a binary trace and its JSON Lines view (both
// written by the runtime's encoders, see tracefile/testdata) give the same
// report, in every format.
func TestBinaryTraceReport(t *testing.T) {
	dir := t.TempDir()
	for _, f := range []struct{ from, to string }{
		{"../tracefile/testdata/sample.trace", "bin/trace"},
		{"../tracefile/testdata/sample.jsonl", "json/trace"},
	} {
		b, err := os.ReadFile(f.from)
		if err != nil {
			t.Fatal(err)
		}
		os.MkdirAll(filepath.Join(dir, filepath.Dir(f.to)), 0o755)
		if err := os.WriteFile(filepath.Join(dir, f.to), b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	for _, format := range []string{"table", "json", "folded", "chrome"} {
		var outs [2][]byte
		for i, sub := range []string{"bin", "json"} {
			path := filepath.Join(dir, sub, "trace")
			var stdout, stderr bytes.Buffer
			if code := Command([]string{"-format", format, path}, &stdout, &stderr); code != 0 {
				t.Fatalf("%s %s: exit %d: %s", format, sub, code, stderr.String())
			}
			if stderr.Len() > 0 {
				t.Errorf("%s %s: stderr %s", format, sub, stderr.String())
			}
			outs[i] = bytes.ReplaceAll(stdout.Bytes(), []byte(path), []byte("TRACE"))
		}
		if !bytes.Equal(outs[0], outs[1]) {
			t.Errorf("%s: the binary trace's report differs from its JSON view's:\n%s\n---\n%s", format, outs[0], outs[1])
		}
		if len(outs[0]) == 0 {
			t.Errorf("%s: empty report", format)
		}
	}
}
