package autotrace

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"
)

// childCmd returns a command running this test binary as a child process in
// the given mode (see runChild), with a clean autotrace environment.
func childCmd(t *testing.T, mode string, env ...string) *exec.Cmd {
	t.Helper()
	cmd := exec.Command(os.Args[0], "-test.run=^$")
	for _, kv := range os.Environ() {
		if inheritable(kv) {
			cmd.Env = append(cmd.Env, kv)
		}
	}
	// The race detector sleeps a second at exit unless told not to.
	cmd.Env = append(cmd.Env, childEnv+"="+mode, "GORACE=atexit_sleep_ms=0")
	cmd.Env = append(cmd.Env, env...)
	return cmd
}

// inheritable reports whether a child process keeps the variable kv of
// this test's environment: not autotrace's settings, which each test
// gives its children, except AUTOTRACE_FORMAT, with which scripts/test.sh
// runs these tests a second time.
func inheritable(kv string) bool {
	switch {
	case strings.HasPrefix(kv, "AUTOTRACE_FORMAT="):
		return true
	case strings.HasPrefix(kv, "AUTOTRACE_"), strings.HasPrefix(kv, "TRACEPARENT="), strings.HasPrefix(kv, "CHILD_"):
		return false
	}
	return true
}

// traceNames are the two formats the runtime writes, chosen by the file
// name (unless AUTOTRACE_FORMAT is set): the binary default and JSON Lines.
var traceNames = []string{"trace.bin", "trace.jsonl"}

func TestKill9LeavesWholeLines(t *testing.T) {
	if testing.Short() {
		t.Skip("starts a child process")
	}
	for _, name := range traceNames {
		t.Run(name, func(t *testing.T) { kill9LeavesWholeLines(t, name) })
	}
}

func kill9LeavesWholeLines(t *testing.T, name string) {
	out := filepath.Join(t.TempDir(), name)
	cmd := childCmd(t, "forever", "AUTOTRACE_OUT="+out)
	stdout, _ := cmd.StdoutPipe()
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	if _, err := bufio.NewReader(stdout).ReadString('\n'); err != nil { // "ready"
		t.Fatal(err)
	}
	// Let it flush a few times, then kill it in the middle of its work.
	deadline := time.Now().Add(5 * time.Second)
	for time.Now().Before(deadline) {
		if fi, err := os.Stat(out); err == nil && fi.Size() > 256<<10 {
			break
		}
		time.Sleep(5 * time.Millisecond)
	}
	cmd.Process.Signal(syscall.SIGKILL)
	cmd.Wait()

	// Linux may cut short the one write(2) in progress when SIGKILL
	// arrives: the last chunk (binary: detected, counted as torn and
	// skipped, TestBinaryTornChunk) or the last line (JSON Lines) may be
	// partial. Everything before it must be whole.
	b, st := readView(t, out)
	data, torn := string(b), st.Torn
	if !st.Binary && !strings.HasSuffix(data, "\n") {
		data, torn = data[:strings.LastIndexByte(data, '\n')+1], 1
	}
	if torn > 1 || st.Unreadable > 0 || data == "" {
		t.Fatalf("%s: %d torn chunks, %d unreadable records, %d bytes of whole lines", out, torn, st.Unreadable, len(data))
	}
	lines := strings.Split(strings.TrimSuffix(data, "\n"), "\n")
	for i, l := range lines {
		var s line
		if err := json.Unmarshal([]byte(l), &s); err == nil && (s.Cost != nil || s.Name == stallName) {
			continue // the child's cost record, or a stall of its recorder
		}
		if err := json.Unmarshal([]byte(l), &s); err != nil || s.Name != "child.forever \"quoted\"\n" {
			t.Fatalf("line %d of %d is not a whole span: %v: %.200q", i+1, len(lines), err, l)
		}
	}
	t.Logf("%d whole lines after SIGKILL, %d torn write", len(lines), torn)
}

func TestProcessesShareOneFile(t *testing.T) {
	if testing.Short() {
		t.Skip("starts child processes")
	}
	for _, name := range traceNames {
		t.Run(name, func(t *testing.T) { processesShareOneFile(t, name) })
	}
}

func processesShareOneFile(t *testing.T, name string) {
	const procs, perProc = 8, 50_000
	out := filepath.Join(t.TempDir(), name)
	var wg sync.WaitGroup
	errs := make(chan error, procs)
	start := time.Now()
	for i := 0; i < procs; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			cmd := childCmd(t, "spans", "AUTOTRACE_OUT="+out, "CHILD_SPANS="+strconv.Itoa(perProc))
			if b, err := cmd.CombinedOutput(); err != nil {
				errs <- fmt.Errorf("child: %v: %s", err, b)
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Fatal(err)
	}
	t0 := time.Now()
	perPid, records := countLines(t, out)
	t.Logf("children ran %v, checking took %v", t0.Sub(start), time.Since(t0))
	if len(records) != procs || len(perPid) != procs {
		t.Fatalf("%d process records, %d pids; want %d", len(records), len(perPid), procs)
	}
	for _, r := range records {
		if perPid[r.Pid] != perProc || r.Spans != perProc || r.Dropped != 0 || r.PendingCount != 0 {
			t.Errorf("pid %d: %d lines, record %+v; want %d spans", r.Pid, perPid[r.Pid], r, perProc)
		}
	}
}

func TestTraceparentEnvironmentRoots(t *testing.T) {
	const tp = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01"
	out := filepath.Join(t.TempDir(), "tp.trace")
	if b, err := childCmd(t, "root", "AUTOTRACE_OUT="+out, "TRACEPARENT="+tp).CombinedOutput(); err != nil {
		t.Fatalf("child: %v: %s", err, b)
	}
	spans, _ := readTrace(t, out)
	if len(spans) != 1 || spans[0].TraceID != "4bf92f3577b34da6a3ce929d0e0e4736" || spans[0].ParentID != "00f067aa0ba902b7" {
		t.Errorf("spans %+v, want one root in the TRACEPARENT trace", spans)
	}
	// An unsampled caller: the child records nothing.
	out2 := filepath.Join(t.TempDir(), "tp0.trace")
	if b, err := childCmd(t, "root", "AUTOTRACE_OUT="+out2, "TRACEPARENT="+tp[:53]+"00").CombinedOutput(); err != nil {
		t.Fatalf("child: %v: %s", err, b)
	}
	if spans, _ := readTrace(t, out2); len(spans) != 0 {
		t.Errorf("unsampled TRACEPARENT: %d spans recorded", len(spans))
	}
}

func TestCommandSetsTraceparent(t *testing.T) {
	record(t, Config{})
	t.Setenv("TRACEPARENT", "00-11111111111111111111111111111111-2222222222222222-01") // replaced, not duplicated
	ctx, sp := Start(context.Background(), "parent")
	defer sp.End()
	cmd := Command(ctx, os.Args[0], "-test.run=^$")
	cmd.Env = append(cmd.Env, childEnv+"=printenv", "GORACE=atexit_sleep_ms=0")
	b, err := cmd.Output()
	if err != nil {
		t.Fatal(err)
	}
	want := formatTraceparent(sp.tid(), sp.sid(), true)
	if string(b) != want {
		t.Errorf("child saw TRACEPARENT %q, want %q", b, want)
	}
	n := 0
	for _, kv := range cmd.Env {
		if strings.HasPrefix(kv, "TRACEPARENT=") {
			n++
		}
	}
	if n != 1 {
		t.Errorf("%d TRACEPARENT entries in the child's environment", n)
	}
	// Without a span the environment is inherited untouched.
	if c := Command(context.Background(), "true"); c.Env != nil {
		t.Error("Command without a span set an environment")
	}
}

func TestCrashOutputKeepsPanicSite(t *testing.T) {
	if testing.Short() {
		t.Skip("starts a child process")
	}
	out := filepath.Join(t.TempDir(), "crash.trace")
	cmd := childCmd(t, "panic", "AUTOTRACE_OUT="+out)
	b, err := cmd.CombinedOutput()
	if err == nil {
		t.Fatal("panicking child exited 0")
	}
	s := string(b)
	for _, want := range []string{"assignment to entry in nil map", "[recovered, repanicked]", "main_test.go:"} {
		if !strings.Contains(s, want) {
			t.Errorf("crash output lacks %q:\n%s", want, s)
		}
	}
	// The spans leading to the crash were flushed before it.
	spans, procs := readTrace(t, out)
	m := byName(t, spans)
	if m["child.panicking"].Status != "panic" || m["main.main"].Status != "panic" || len(procs) != 1 {
		t.Errorf("trace after crash: %+v %+v", spans, procs)
	}
}

// countLines checks that every line of a trace is valid JSON and counts
// span lines per pid. It avoids decoding 400,000 lines with reflection
// (half a minute under the race detector) and validates in parallel.
func countLines(t *testing.T, path string) (perPid map[int]int, procs []processLine) {
	t.Helper()
	data := traceView(t, path)
	lines := bytes.Split(bytes.TrimSuffix(data, []byte("\n")), []byte("\n"))
	workers := runtime.GOMAXPROCS(0)
	pids := make([]map[int]int, workers)
	bad := make([]error, workers)
	var wg sync.WaitGroup
	for w := range workers {
		pids[w] = map[int]int{}
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := w; i < len(lines); i += workers {
				l := lines[i]
				if !json.Valid(l) {
					bad[w] = fmt.Errorf("line %d is not JSON: %q", i+1, l)
					return
				}
				if bytes.HasPrefix(l, []byte(`{"process":`)) || bytes.HasPrefix(l, []byte(`{"cost":`)) {
					continue
				}
				k := bytes.Index(l, []byte(`,"pid":`))
				if k < 0 {
					bad[w] = fmt.Errorf("line %d has no pid: %q", i+1, l)
					return
				}
				rest := l[k+len(`,"pid":`):]
				pid, _ := strconv.Atoi(string(rest[:max(bytes.IndexByte(rest, ','), 0)]))
				pids[w][pid]++
			}
		}()
	}
	wg.Wait()
	perPid = map[int]int{}
	for w := range workers {
		if bad[w] != nil {
			t.Fatal(bad[w])
		}
		for pid, n := range pids[w] {
			perPid[pid] += n
		}
	}
	for _, l := range lines {
		if bytes.HasPrefix(l, []byte(`{"process":`)) {
			var p struct{ Process processLine }
			if err := json.Unmarshal(l, &p); err != nil {
				t.Fatal(err)
			}
			procs = append(procs, p.Process)
		}
	}
	return perPid, procs
}

// TestExitShutsDown: a program leaving through Exit writes every span and
// its process record, as the end of main would, and exits with the code.
func TestExitShutsDown(t *testing.T) {
	if testing.Short() {
		t.Skip("starts a child process")
	}
	out := filepath.Join(t.TempDir(), "exit.trace")
	err := childCmd(t, "exit", "AUTOTRACE_OUT="+out).Run()
	var exit *exec.ExitError
	if !errors.As(err, &exit) || exit.ExitCode() != 3 {
		t.Fatalf("child: %v, want exit status 3", err)
	}
	spans, procs := readTrace(t, out)
	if len(spans) != 3 || spans[0].Name != "child.exit" {
		t.Errorf("recorded %d spans (%v), want 3 child.exit", len(spans), spans)
	}
	if len(procs) != 1 || procs[0].Spans != 3 || len(procs[0].Pending) != 1 || procs[0].Pending[0] != "child.open" {
		t.Errorf("process records %+v, want one with 3 spans and child.open pending", procs)
	}
}
