package autotrace

import (
	"bytes"
	"context"
	"errors"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestConfigureOnce(t *testing.T) {
	out := record(t, Config{})
	second := filepath.Join(t.TempDir(), "second.trace")
	for i := 0; i < 3; i++ {
		if err := Configure(Config{Out: second}); !errors.Is(err, ErrConfigured) {
			t.Fatalf("second Configure: %v, want ErrConfigured", err)
		}
	}
	StartHere("kept").End()
	Flush()
	if n := len(mustSpans(t, out)); n != 1 {
		t.Errorf("first file has %d spans, want 1", n)
	}
	if _, err := os.Stat(second); !os.IsNotExist(err) {
		t.Errorf("second Configure created its file: %v", err)
	}
}

func TestConfigureRejectsInvalid(t *testing.T) {
	clearEnv(t)
	reset(t)
	t.Cleanup(func() { reset(t) })
	for _, c := range []Config{
		{Out: "x", Sample: 1.5},
		{Out: "x", Sample: -0.1},
		{Out: "x", BufferSize: -1},
		{Out: filepath.Join(t.TempDir(), "no", "such", "dir", "f")},
	} {
		if err := Configure(c); err == nil {
			t.Errorf("Configure(%+v) succeeded", c)
		}
	}
	// Failed attempts do not count: a valid one still works.
	if err := Configure(Config{Out: filepath.Join(t.TempDir(), "ok")}); err != nil {
		t.Errorf("valid Configure after failures: %v", err)
	}
}

func TestEnvironmentAtFirstUse(t *testing.T) {
	clearEnv(t)
	reset(t)
	t.Cleanup(func() { reset(t) })
	out := filepath.Join(t.TempDir(), "env.trace")
	t.Setenv("AUTOTRACE_OUT", out)
	StartHere("from env").End()
	// Recording already runs from the environment: Configure must not
	// silently switch it.
	if err := Configure(Config{Out: out + ".2"}); !errors.Is(err, ErrConfigured) {
		t.Errorf("Configure after the environment started recording: %v", err)
	}
	if err := Shutdown(context.Background()); err != nil {
		t.Fatal(err)
	}
	spans, procs := readTrace(t, out)
	if len(spans) != 1 || len(procs) != 1 {
		t.Errorf("%d spans, %d process records; want 1, 1", len(spans), len(procs))
	}
	// After Shutdown, spans cost nothing and Configure is refused.
	if sp := StartHere("late"); !sp.isZero() {
		t.Error("span recorded after Shutdown")
	}
	if err := Configure(Config{Out: out}); err == nil {
		t.Error("Configure after Shutdown succeeded")
	}
}

func TestConfigureAfterUnrecordedSpans(t *testing.T) {
	clearEnv(t)
	reset(t)
	t.Cleanup(func() { reset(t) })
	// An instrumented main starts its span before calling Configure.
	if sp := StartHere("main.main"); !sp.isZero() {
		t.Fatal("recording on with an empty environment")
	}
	out := filepath.Join(t.TempDir(), "late.trace")
	if err := Configure(Config{Out: out}); err != nil {
		t.Fatalf("Configure after spans with recording off: %v", err)
	}
	StartHere("after").End()
	Flush()
	if n := len(mustSpans(t, out)); n != 1 {
		t.Errorf("%d spans, want 1", n)
	}
}

func TestSummary(t *testing.T) {
	var buf bytes.Buffer
	record(t, Config{Summary: &buf})
	for i := 0; i < 3; i++ {
		_ = failing(context.Background())
	}
	_ = succeeding(context.Background())
	if err := Shutdown(context.Background()); err != nil {
		t.Fatal(err)
	}
	s := buf.String()
	for _, want := range []string{"COUNT", "SELF", "P99", "t.failing", "t.succeeding"} {
		if !strings.Contains(s, want) {
			t.Errorf("summary lacks %q:\n%s", want, s)
		}
	}
	found := false
	for _, l := range strings.Split(s, "\n") {
		if f := strings.Fields(l); len(f) > 3 && f[0] == "t.failing" {
			found = true
			if f[1] != "3" || f[2] != "3" {
				t.Errorf("t.failing row %q, want count 3 and errors 3", l)
			}
		}
	}
	if !found {
		t.Errorf("no t.failing row:\n%s", s)
	}
}

func TestSummaryFromEnvironmentOnly(t *testing.T) {
	clearEnv(t)
	reset(t)
	t.Cleanup(func() { reset(t) })
	t.Setenv("AUTOTRACE_SUMMARY", "1")
	r := current()
	if r == nil {
		t.Fatal("AUTOTRACE_SUMMARY=1 alone does not switch recording on")
	}
	r.exp.sumOut = io.Discard // keep the test output clean
}

func TestFormatFor(t *testing.T) {
	for _, tc := range []struct {
		env, out string
		writer   bool
		want     string
	}{
		{"", "trace.out", false, FormatBinary},
		{"", "trace.jsonl", false, FormatJSONLines},
		{"", "trace.jsonl", true, FormatBinary}, // a Writer: Out is not the trace
		{"jsonl", "trace.out", false, FormatJSONLines},
		{"jsonl", "", true, FormatJSONLines},
		{"binary", "trace.jsonl", false, FormatBinary},
		{"json", "trace.out", false, FormatBinary}, // ignored, with a warning
		{"json", "trace.jsonl", false, FormatJSONLines},
	} {
		t.Setenv("AUTOTRACE_FORMAT", tc.env)
		c := Config{Out: tc.out}
		if tc.writer {
			c.Writer = io.Discard
		}
		if got := formatFor(c); got != tc.want {
			t.Errorf("AUTOTRACE_FORMAT=%q, Out %q, Writer %v: %q, want %q", tc.env, tc.out, tc.writer, got, tc.want)
		}
	}
}
