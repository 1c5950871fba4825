package toolexec

import (
	"bytes"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"
)

// TestCachedAnswer: a tool's identity answer is replayed from the cache
// (stdout and stderr) while its binary and the environment hash are
// unchanged, asked again when either changes, and never cached when the
// tool fails.
func TestCachedAnswer(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("a shell script stands in for the tool")
	}
	t.Setenv("XDG_CACHE_HOME", t.TempDir())
	dir := t.TempDir()
	tool, calls := filepath.Join(dir, "cc"), filepath.Join(dir, "calls")
	writeTool := func(body string) {
		t.Helper()
		script := "#!/bin/sh\necho x >> " + calls + "\n" + body
		if err := os.WriteFile(tool, []byte(script), 0o755); err != nil {
			t.Fatal(err)
		}
	}
	ran := func() int {
		data, _ := os.ReadFile(calls)
		return strings.Count(string(data), "x")
	}
	env := "one"
	ask := func() (code int, stdout, stderr string) {
		var o, e bytes.Buffer
		code = cachedAnswer(&o, &e, tool, []string{"-###", "-x", "c"}, func(h io.Writer) { io.WriteString(h, env) })
		return code, o.String(), e.String()
	}

	writeTool("echo out; echo 'gcc version 12' >&2\n")
	steps := []struct {
		name             string
		before           func()
		wantRuns         int
		wantCode         int
		wantOut, wantErr string
	}{
		{"first ask runs the tool", nil, 1, 0, "out\n", "gcc version 12\n"},
		{"second ask is answered from the cache", nil, 1, 0, "out\n", "gcc version 12\n"},
		{"another environment asks again", func() { env = "two" }, 2, 0, "out\n", "gcc version 12\n"},
		{"a changed binary is asked again", func() {
			writeTool("echo new; echo 'gcc version 13' >&2\n")
			os.Chtimes(tool, time.Now(), time.Now().Add(time.Second))
		}, 3, 0, "new\n", "gcc version 13\n"},
		{"and then cached", nil, 3, 0, "new\n", "gcc version 13\n"},
		{"a failure passes through", func() {
			writeTool("echo broken >&2; exit 4\n")
			os.Chtimes(tool, time.Now(), time.Now().Add(2*time.Second))
		}, 4, 4, "", "broken\n"},
		{"and is not cached", nil, 5, 4, "", "broken\n"},
	}
	for _, s := range steps {
		if s.before != nil {
			s.before()
		}
		code, out, errOut := ask()
		if code != s.wantCode || out != s.wantOut || errOut != s.wantErr || ran() != s.wantRuns {
			t.Errorf("%s: exit %d, stdout %q, stderr %q, tool ran %d times; want %d, %q, %q, %d",
				s.name, code, out, errOut, ran(), s.wantCode, s.wantOut, s.wantErr, s.wantRuns)
		}
	}
}
