package report

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"
)

var exectraceBin struct {
	once sync.Once
	path string
	err  error
}

// buildExectrace builds testdata/exectrace once per test binary.
func buildExectrace(t *testing.T) string {
	b := &exectraceBin
	b.once.Do(func() {
		dir, err := os.MkdirTemp("", "exectrace-*")
		if err != nil {
			b.err = err
			return
		}
		b.path = filepath.Join(dir, "exectrace")
		build := exec.Command("go", "build", "-o", b.path, "./testdata/exectrace")
		build.Dir = ".."
		if out, err := build.CombinedOutput(); err != nil {
			b.err = fmt.Errorf("go build: %v\n%s", err, out)
		}
	})
	if b.err != nil {
		t.Fatal(b.err)
	}
	return b.path
}

// exectraceRun builds and runs testdata/exectrace with GOMAXPROCS=2 and
// returns its span trace and execution trace.
func exectraceRun(t *testing.T, extraEnv ...string) (jsonl, etrace string) {
	t.Helper()
	if testing.Short() {
		t.Skip("builds and runs a program")
	}
	bin := buildExectrace(t)
	dir := t.TempDir()
	jsonl, etrace = filepath.Join(dir, "spans.bin"), filepath.Join(dir, "exec.trace")
	cmd := exec.Command(bin)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "GOMAXPROCS=2", "AUTOTRACE_OUT="+jsonl, "AUTOTRACE_EXECTRACE="+etrace,
		"AUTOTRACE_SAMPLE=1", "AUTOTRACE_SUMMARY=0", "TRACEPARENT=")
	cmd.Env = append(cmd.Env, extraEnv...)
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("run: %v\n%s", err, out)
	}
	return jsonl, etrace
}

// TestActiveTimeKnownAnswers runs a program whose spans each spend 50ms
// in one way and checks that the report puts each within ±20% in the
// right category, and blames the right line.
func TestActiveTimeKnownAnswers(t *testing.T) {
	jsonl, etrace := exectraceRun(t)
	var out, errb bytes.Buffer
	if code := Command([]string{"-format", "json", "-exectrace", etrace, jsonl}, &out, &errb); code != 0 {
		t.Fatalf("exit %d: %s", code, errb.String())
	}
	var rep jsonReport
	if err := json.Unmarshal(out.Bytes(), &rep); err != nil {
		t.Fatal(err)
	}
	if rep.ActiveTime == nil {
		t.Fatal("no active_time in the report")
	}
	names := map[string]jsonActiveName{}
	for _, n := range rep.ActiveTime.Names {
		names[n.Name] = n
	}
	// Each span's wall time, as the span trace recorded it: about 50ms
	// (30ms for the fan-out), more when the loaded machine is slow to
	// wake a goroutine up; the categories must account for it.
	walls := map[string]int64{}
	for _, h := range rep.Hotspots {
		walls[h.Name] = h.TotalNs
	}
	tests := []struct {
		span       string
		categories []string // summed
		planned    time.Duration
		goroutines int64  // the wall time is spent this many times over
		line       string // where the span blocks most ("" for none)
	}{
		// On a loaded machine a computing goroutine may wait for a P.
		{"main.cpu", []string{"cpu", "runnable"}, 50 * time.Millisecond, 1, ""},
		{"main.sleep", []string{"sleep"}, 50 * time.Millisecond, 1, "main.go:52"},
		{"main.channel", []string{"channel"}, 50 * time.Millisecond, 1, "main.go:67"},
		{"main.mutex", []string{"sync"}, 50 * time.Millisecond, 1, "main.go:86"},
		{"main.sysc", []string{"syscall"}, 50 * time.Millisecond, 1, "main.go:95"},
		// Two adopted goroutines sleep 30ms each while the span waits.
		{"main.fanout", []string{"sleep"}, 30 * time.Millisecond, 2, "main.go:110"},
		{"main.fanout", []string{"sync"}, 30 * time.Millisecond, 1, ""},
	}
	for _, tt := range tests {
		n, ok := names[tt.span]
		wall := walls[tt.span]
		if !ok || wall == 0 {
			t.Errorf("%s: not in the report", tt.span)
			continue
		}
		if wall < int64(tt.planned)*9/10 {
			t.Errorf("%s: wall %v, shorter than planned (%v)", tt.span, time.Duration(wall), tt.planned)
		}
		var got int64
		for _, c := range tt.categories {
			got += n.Ns[c]
		}
		// Known by construction: the span spends at least its planned
		// time in its category, and the rest of its wall time is that or
		// waiting for a P (a loaded machine delays a wake-up).
		want := tt.goroutines * wall
		low := tt.goroutines * int64(tt.planned) * 8 / 10
		accounted := got
		if !slices.Contains(tt.categories, "runnable") && tt.goroutines == 1 {
			accounted += n.Ns["runnable"]
		}
		t.Logf("%-12s %-12s %8v of %8v (planned %v; with runnable %v)", tt.span, strings.Join(tt.categories, "+"), time.Duration(got), time.Duration(want), tt.planned, time.Duration(accounted))
		if got < low || got > want*12/10 {
			t.Errorf("%s: %s = %v, want at least %v (80%% of planned), at most %v (all: %v)", tt.span, strings.Join(tt.categories, "+"),
				time.Duration(got), time.Duration(low), time.Duration(want*12/10), n.Ns)
		}
		if tt.goroutines == 1 && (accounted < want*8/10 || accounted > want*12/10) {
			t.Errorf("%s: %s and runnable = %v, want its wall time %v ±20%% (all: %v)", tt.span, strings.Join(tt.categories, "+"),
				time.Duration(accounted), time.Duration(want), n.Ns)
		}
		if tt.line != "" {
			if len(n.Locations) == 0 || !strings.HasSuffix(n.Locations[0].File+":"+itoa(int64(n.Locations[0].Line)), "/"+tt.line) {
				t.Errorf("%s: blocks most at %+v, want %s", tt.span, n.Locations, tt.line)
			}
		}
	}
	// The slowest trace's critical path carries its steps' active time.
	if cp := rep.ActiveTime.CriticalPaths; len(cp) != 1 || len(cp[0].Steps) != 7 || cp[0].Root != "main.main" {
		t.Errorf("critical paths %+v, want main.main's, 7 steps", cp)
	} else {
		for _, st := range cp[0].Steps {
			if st.Name == "main.sysc" && st.Ns["syscall"] < st.DurNs*8/10 {
				t.Errorf("main.sysc on the critical path: %v in syscalls of %v", time.Duration(st.Ns["syscall"]), time.Duration(st.DurNs))
			}
		}
	}
	for _, s := range rep.ActiveTime.Spans {
		if s.Name == "main.fanout" {
			if s.Goroutines != 3 {
				t.Errorf("main.fanout: %d goroutines, want 3", s.Goroutines)
			}
			// The two helpers' time: their sleep, and a little more.
			if sleep := s.Ns["sleep"]; s.OthersNs < sleep || s.OthersNs > sleep*12/10 {
				t.Errorf("main.fanout: %v elsewhere, want its helpers' %v sleep and a little", time.Duration(s.OthersNs), time.Duration(sleep))
			}
		}
	}
}

// TestExecTraceDetected checks that an execution trace among the trace
// files is recognised by its content, in every format that shows it.
func TestExecTraceDetected(t *testing.T) {
	jsonl, etrace := exectraceRun(t)
	for _, tt := range []struct {
		format string
		want   string
	}{
		{"table", "Where spans block most"},
		{"table", "Critical paths of the slowest traces, with their active time"},
		{"json", `"active_time"`},
		{"html", `"active":`},
	} {
		var out, errb bytes.Buffer
		if code := Command([]string{"-format", tt.format, jsonl, etrace}, &out, &errb); code != 0 {
			t.Fatalf("%s: exit %d: %s", tt.format, code, errb.String())
		}
		if !strings.Contains(out.String(), tt.want) || !strings.Contains(out.String(), "main.sysc") {
			t.Errorf("%s: no active time in the output", tt.format)
		}
	}
}

// TestExecTraceBadInput checks that an unreadable execution trace is an
// error. (A trace cut short within its first generation has nothing
// readable; one cut later is analysed as far as it goes, with a warning.)
func TestExecTraceBadInput(t *testing.T) {
	jsonl, etrace := exectraceRun(t)
	b, err := os.ReadFile(etrace)
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	cut, bad := filepath.Join(dir, "cut.trace"), filepath.Join(dir, "bad.trace")
	os.WriteFile(cut, b[:len(b)*3/4], 0o644)
	os.WriteFile(bad, []byte("go 1.26 trace\x00\x00\x00garbage"), 0o644)
	for _, tt := range []struct {
		name   string
		args   []string
		code   int
		stderr string
	}{
		{"cut short", []string{"-exectrace", cut, jsonl}, 2, "cut.trace: not a Go execution trace"},
		{"garbage", []string{jsonl, bad}, 2, "bad.trace: not a Go execution trace"},
		{"missing", []string{"-exectrace", filepath.Join(dir, "nope"), jsonl}, 2, "no such file"},
		{"alone", []string{etrace}, 0, ""},
		{"folded", []string{"-format", "folded", jsonl, etrace}, 0, "does not show execution traces"},
	} {
		var out, errb bytes.Buffer
		code := Command(tt.args, &out, &errb)
		if code != tt.code || !strings.Contains(errb.String(), tt.stderr) {
			t.Errorf("%s: exit %d, stderr %q; want %d and %q", tt.name, code, errb.String(), tt.code, tt.stderr)
		}
	}
}

// TestSlowSnapshotReport runs the program with AUTOTRACE_SLOW below its
// spans' 50ms: the first slow span, main.cpu, leaves the one snapshot the
// rate limit allows, and the report reads it like an execution trace.
func TestSlowSnapshotReport(t *testing.T) {
	dir := t.TempDir()
	jsonl, _ := exectraceRun(t, "AUTOTRACE_SLOW=40ms", "AUTOTRACE_SLOW_DIR="+dir)
	snaps, _ := filepath.Glob(filepath.Join(dir, "*"))
	if len(snaps) != 1 || !strings.HasPrefix(filepath.Base(snaps[0]), "autotrace-slow-main.cpu-") {
		t.Fatalf("snapshots %q, want one of main.cpu", snaps)
	}
	var out, errb bytes.Buffer
	if code := Command([]string{"-format", "json", jsonl, snaps[0]}, &out, &errb); code != 0 {
		t.Fatalf("exit %d: %s", code, errb.String())
	}
	var rep jsonReport
	if err := json.Unmarshal(out.Bytes(), &rep); err != nil {
		t.Fatal(err)
	}
	if rep.ActiveTime == nil {
		t.Fatal("no active_time")
	}
	for _, n := range rep.ActiveTime.Names {
		if n.Name == "main.cpu" {
			if got := n.Ns["cpu"] + n.Ns["runnable"]; got < n.WallNs*8/10 || n.WallNs < 45*int64(time.Millisecond) {
				t.Errorf("main.cpu in the snapshot: cpu+runnable %v of %v", time.Duration(got), time.Duration(n.WallNs))
			}
			return
		}
	}
	t.Errorf("main.cpu not in the snapshot's report: %+v", rep.ActiveTime.Names)
}
