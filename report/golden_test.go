package report

import (
	"bytes"
	"flag"
	"os"
	"path/filepath"
	"testing"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/report/golden")

// TestGolden runs the command on the checked-in traces and compares each
// format, and what it says on stderr, with testdata/report/golden.
// Run `go test ./report -update` after an intended change.
func TestGolden(t *testing.T) {
	golden, err := filepath.Abs("../testdata/report/golden")
	if err != nil {
		t.Fatal(err)
	}
	t.Chdir("../testdata/report") // so that file names in the output are short
	tests := []struct {
		name string
		args []string
	}{
		{"table.txt", []string{"shop.jsonl", "worker.jsonl"}},
		{"table-top1.txt", []string{"-top", "1", "worker.jsonl", "shop.jsonl"}},
		{"report.json", []string{"-format", "json", "shop.jsonl", "worker.jsonl"}},
		{"folded.txt", []string{"-format=folded", "shop.jsonl", "worker.jsonl"}},
		{"chrome.json", []string{"shop.jsonl", "worker.jsonl", "-format", "chrome"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var out, errb bytes.Buffer
			if code := Command(tt.args, &out, &errb); code != 0 {
				t.Fatalf("exit %d: %s", code, errb.String())
			}
			compareGolden(t, filepath.Join(golden, tt.name), out.Bytes())
			compareGolden(t, filepath.Join(golden, tt.name+".stderr"), errb.Bytes())
		})
	}
}

func compareGolden(t *testing.T, path string, got []byte) {
	t.Helper()
	if *update {
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test -update)", err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("%s differs from the golden file (go test -update to accept):\n--- got\n%s\n--- want\n%s", filepath.Base(path), got, want)
	}
}

// TestFileOrder: the figures do not depend on the order of the inputs, even
// though children then arrive after their parents.
func TestFileOrder(t *testing.T) {
	t.Chdir("../testdata/report")
	var a, b, e bytes.Buffer
	Command([]string{"-format", "folded", "shop.jsonl", "worker.jsonl"}, &a, &e)
	Command([]string{"-format", "folded", "worker.jsonl", "shop.jsonl"}, &b, &e)
	if a.String() != b.String() {
		t.Errorf("folded output depends on file order:\n%s\n---\n%s", a.String(), b.String())
	}
}
