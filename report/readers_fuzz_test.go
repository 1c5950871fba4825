package report_test

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"runtime/debug"
	"strings"
	"testing"
	"time"

	"github.com/autotrace/autotrace/compare"
	"github.com/autotrace/autotrace/otlp"
	"github.com/autotrace/autotrace/report"
	"github.com/autotrace/autotrace/tracefile"
)

// FuzzReaders feeds random bytes and mutated traces to every reader:
// report (two formats), cat, compare and export. None may panic; each
// exits 0 or 2 (compare also 1), and an exit 0 that found no span must
// say so on stderr: never a silent success on something that is not a
// trace (issue 24). The seeds are real traces in both formats and the
// kinds of garbage users feed them.
func FuzzReaders(f *testing.F) {
	for _, seed := range []string{
		"../tracefile/testdata/sample.trace",
		"../tracefile/testdata/sample.jsonl",
		"../testdata/report/shop.jsonl",
	} {
		b, err := os.ReadFile(seed)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
		f.Add(b[:len(b)/2])                      // cut short
		f.Add(append([]byte("garbage\n"), b...)) // a malformed line first
	}
	f.Add([]byte{})
	f.Add([]byte("\x1f\x8b\x08\x00"))
	f.Add([]byte(`{"name":"x"}`))
	f.Add([]byte("\x89ATR\x01\x00 not a chunk"))

	collector := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.WriteHeader(http.StatusOK)
	}))
	defer collector.Close()

	f.Fuzz(func(t *testing.T, data []byte) {
		dir := t.TempDir()
		path := filepath.Join(dir, "trace")
		if err := os.WriteFile(path, data, 0o644); err != nil {
			t.Fatal(err)
		}
		for _, args := range [][]string{
			{"report", path},
			{"report", "-format", "json", path},
			{"cat", path},
			{"compare", path, "--", path},
		} {
			var stdout, stderr bytes.Buffer
			code := -1
			done := make(chan struct{})
			go func() {
				defer close(done)
				code = runReader(args, &stdout, &stderr)
			}()
			select {
			case <-done:
			case <-time.After(20 * time.Second):
				t.Fatalf("%s: still running after 20 s: %s", args[0], debug.Stack())
			}
			switch {
			case code == 2:
				if stderr.Len() == 0 {
					t.Errorf("%s: exit 2 without a word on stderr", args[0])
				}
			case code == 0 || code == 1 && args[0] == "compare":
				noSpans := args[0] == "report" && strings.Contains(stdout.String(), "no spans") ||
					args[0] == "report" && strings.Contains(stdout.String(), `"spans": 0,`) ||
					args[0] == "cat" && stdout.Len() == 0
				if noSpans && stderr.Len() == 0 {
					t.Errorf("%v: exit %d with no spans and nothing on stderr", args, code)
				}
			default:
				t.Errorf("%v: exit %d; stderr: %s", args, code, stderr.String())
			}
		}
		ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
		defer cancel()
		res, err := otlp.Export(ctx, otlp.Options{Endpoint: collector.URL, Service: "fuzz"}, path)
		if ctx.Err() != nil {
			t.Fatalf("export: still running after 20 s")
		}
		if err == nil && res.Spans == 0 && res.Malformed == 0 && !bytes.Contains(data, []byte("process")) && !bytes.HasPrefix(data, []byte("\x89ATR")) {
			t.Errorf("export: no error, no span, nothing malformed, from input that has no process record")
		}
	})
}

// runReader runs one reader as the autotrace command does.
func runReader(args []string, stdout, stderr io.Writer) int {
	switch args[0] {
	case "report":
		return report.Command(args[1:], stdout, stderr)
	case "compare":
		return compare.Command(args[1:], stdout, stderr)
	case "cat": // as cmd/autotrace's cat
		f, err := os.Open(args[1])
		if err != nil {
			fmt.Fprintln(stderr, err)
			return 2
		}
		defer f.Close()
		st, err := tracefile.Cat(stdout, f)
		if err != nil {
			fmt.Fprintln(stderr, err)
			return 2
		}
		if st.Torn+st.Unreadable > 0 {
			fmt.Fprintf(stderr, "skipped %d torn chunks and %d unreadable records\n", st.Torn, st.Unreadable)
		}
		return 0
	}
	panic(args[0])
}
