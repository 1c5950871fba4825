package autotrace

import (
	"bytes"
	"context"
	"io"
	"os"
	"path/filepath"
	"runtime/trace"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
)

// TestExecTraceFile checks that AUTOTRACE_EXECTRACE's file is a complete
// execution trace naming the spans, and that tracing stops at Shutdown.
func TestExecTraceFile(t *testing.T) {
	if trace.IsEnabled() {
		t.Skip("an execution trace is already running (go test -trace)")
	}
	path := filepath.Join(t.TempDir(), "exec.trace")
	record(t, Config{ExecTrace: path})
	if !execOn.Load() {
		t.Fatal("execution tracing is off")
	}
	ctx, s := Start(context.Background(), "exectest.parent")
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		defer Adopt(s).Release()
		c := StartHere("exectest.child")
		time.Sleep(time.Millisecond)
		c.End()
	}()
	wg.Wait()
	_, s2 := Start(ctx, "exectest.sibling")
	s2.End()
	s.End()
	if err := Shutdown(context.Background()); err != nil {
		t.Fatal(err)
	}
	if execOn.Load() || trace.IsEnabled() {
		t.Fatal("execution tracing still on after Shutdown")
	}
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.HasPrefix(b, []byte("go 1.")) {
		t.Fatalf("not an execution trace: %q", b[:min(len(b), 16)])
	}
	for _, want := range []string{"exectest.parent", "exectest.child", "exectest.sibling", execLogKey} {
		if !bytes.Contains(b, []byte(want)) {
			t.Errorf("trace does not mention %q", want)
		}
	}
}

// TestExecTraceParent checks the parent lookup that links tasks: a local
// parent still open gives its task, a remote, ended or absent one none.
func TestExecTraceParent(t *testing.T) {
	record(t, Config{Writer: io.Discard})
	ctx, p := Start(context.Background(), "exec.parent")
	task := &execSpan{ctx: context.Background()}
	extFor(p.r.idx()).exec = task
	open, _ := spanOf(ctx)
	remote, _ := spanOf(WithTraceContext(context.Background(), testParent, ""))
	for _, tc := range []struct {
		name string
		p    parent
		want *execSpan
	}{
		{"root", parent{}, nil},
		{"open", open, task},
		{"remote", remote, nil},
	} {
		if got := execOf(tc.p.span.r); got != tc.want {
			t.Errorf("%s: task %p, want %p", tc.name, got, tc.want)
		}
	}
	extFor(p.r.idx()).exec = nil
	p.End()
	if got := execOf(open.span.r); got != nil {
		t.Errorf("ended parent: task %p, want none", got)
	}
}

// TestSlowSnapshot checks that a span over AUTOTRACE_SLOW leaves one
// flight-recorder snapshot named after it, and a fast one none.
func TestSlowSnapshot(t *testing.T) {
	dir := t.TempDir()
	record(t, Config{Slow: 20 * time.Millisecond, SlowDir: dir})
	_, fast := Start(context.Background(), "exectest.fast")
	fast.End()
	_, s := Start(context.Background(), "exectest.(*T).slow")
	time.Sleep(30 * time.Millisecond)
	s.End()
	if err := Shutdown(context.Background()); err != nil {
		t.Fatal(err)
	}
	files, _ := filepath.Glob(filepath.Join(dir, "*"))
	if len(files) != 1 {
		t.Fatalf("snapshots %q, want one", files)
	}
	base := filepath.Base(files[0])
	if !strings.HasPrefix(base, "autotrace-slow-exectest.__T_.slow-") || !strings.HasSuffix(base, ".trace") {
		t.Errorf("snapshot named %q", base)
	}
	b, _ := os.ReadFile(files[0])
	if !bytes.HasPrefix(b, []byte("go 1.")) || !bytes.Contains(b, []byte("exectest.(*T).slow")) {
		t.Errorf("snapshot is not a trace of the slow span (%d bytes)", len(b))
	}
}

// TestExecTracePath checks that processes sharing an environment write
// execution traces of their own.
func TestExecTracePath(t *testing.T) {
	defer func(ok bool) { envParent.ok = ok }(envParent.ok)
	pid := strconv.Itoa(os.Getpid())
	for _, tt := range []struct {
		name  string
		child bool
		want  string
	}{
		{"exec.trace", false, "exec.trace"},
		{"exec.trace", true, "exec.trace." + pid},
		{"exec-%p.trace", false, "exec-" + pid + ".trace"},
		{"exec-%p.trace", true, "exec-" + pid + ".trace"},
	} {
		envParent.ok = tt.child
		if got := execTracePath(tt.name); got != tt.want {
			t.Errorf("execTracePath(%q), child %v = %q, want %q", tt.name, tt.child, got, tt.want)
		}
	}
}

// TestSlowSnapshotWhileRunning checks that a span stuck past the threshold
// is snapshotted while it still runs, and only once.
func TestSlowSnapshotWhileRunning(t *testing.T) {
	dir := t.TempDir()
	record(t, Config{Slow: 30 * time.Millisecond, SlowDir: dir, FlushInterval: 10 * time.Millisecond})
	_, s := Start(context.Background(), "exectest.stuck")
	var snaps []string
	for deadline := time.Now().Add(5 * time.Second); len(snaps) == 0 && time.Now().Before(deadline); {
		time.Sleep(10 * time.Millisecond)
		snaps, _ = filepath.Glob(filepath.Join(dir, "autotrace-slow-exectest.stuck-*"))
	}
	if len(snaps) != 1 {
		t.Fatalf("no snapshot while the span runs")
	}
	time.Sleep(1100 * time.Millisecond) // past the rate limit
	s.End()
	if err := Shutdown(context.Background()); err != nil {
		t.Fatal(err)
	}
	if snaps, _ = filepath.Glob(filepath.Join(dir, "*")); len(snaps) != 1 {
		t.Errorf("snapshots %q, want the one", snaps)
	}
}

// TestSnapshotName checks that names are safe file names.
func TestSnapshotName(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"main.main", "autotrace-slow-main.main-000000000000000a000000000000000b.trace"},
		{"a/b.(*C).D", "autotrace-slow-a_b.__C_.D-000000000000000a000000000000000b.trace"},
		{strings.Repeat("x", 100) + "/../y", "autotrace-slow-" + strings.Repeat("x", 59) + "_.._y-000000000000000a000000000000000b.trace"},
	} {
		if got := snapshotName(&slowReq{name: tc.in, trace: traceID{10, 11}}); got != tc.want {
			t.Errorf("snapshotName(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

// BenchmarkOnExec is BenchmarkOn with AUTOTRACE_EXECTRACE: each span is
// also a task, a log entry and a region in the execution trace.
func BenchmarkOnExec(b *testing.B) {
	if trace.IsEnabled() {
		b.Skip("an execution trace is already running")
	}
	record(b, Config{FlushInterval: 100 * time.Millisecond, ExecTrace: filepath.Join(b.TempDir(), "exec.trace")})
	ctx := context.Background()
	b.ReportAllocs()
	for i := 0; b.Loop(); i++ {
		_ = instrumentedFunc(ctx, i)
	}
	b.StopTimer()
	reportDrops(b)
}

// BenchmarkOnSlow is BenchmarkOn with AUTOTRACE_SLOW: the flight recorder
// runs and each span is a task, but no span is slow enough to snapshot.
func BenchmarkOnSlow(b *testing.B) {
	record(b, Config{FlushInterval: 100 * time.Millisecond, Slow: time.Hour, SlowDir: b.TempDir()})
	ctx := context.Background()
	b.ReportAllocs()
	for i := 0; b.Loop(); i++ {
		_ = instrumentedFunc(ctx, i)
	}
	b.StopTimer()
	reportDrops(b)
}

// TestExecTraceConcurrent starts and ends spans on many goroutines, some
// adopted, while the execution trace and the flight recorder run and slow
// spans ask for snapshots (run with -race).
func TestExecTraceConcurrent(t *testing.T) {
	if trace.IsEnabled() {
		t.Skip("an execution trace is already running")
	}
	dir := t.TempDir()
	record(t, Config{ExecTrace: filepath.Join(dir, "exec.trace"), Slow: time.Nanosecond, SlowDir: dir})
	ctx, root := Start(context.Background(), "exectest.root")
	var wg sync.WaitGroup
	for range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			defer Adopt(root).Release()
			for range 200 {
				s := StartHere("exectest.work")
				_, c := Start(ctx, "exectest.ctx")
				c.End()
				s.End()
			}
		}()
	}
	wg.Wait()
	root.End()
	if err := Shutdown(context.Background()); err != nil {
		t.Fatal(err)
	}
	snaps, _ := filepath.Glob(filepath.Join(dir, "autotrace-slow-*"))
	if len(snaps) < 1 || len(snaps) > slowMaxFiles {
		t.Errorf("%d snapshots, want between 1 and %d (one a second at most)", len(snaps), slowMaxFiles)
	}
}
