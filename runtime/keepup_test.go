package autotrace

import (
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"testing"
	"time"

	"github.com/autotrace/autotrace/tracefile"
)

// runBurst is the child of TestKeepUpBurst: recording from AUTOTRACE_OUT
// with default settings, one goroutine ends CHILD_SPANS spans as fast as
// it can (children of one root, or roots of their own traces when
// CHILD_SHAPE=root), then shuts down.
func runBurst() {
	n, _ := strconv.Atoi(os.Getenv("CHILD_SPANS"))
	roots := os.Getenv("CHILD_SHAPE") == "root"
	ctx, root := Start(context.Background(), "burst.root")
	if r := active.Load(); r != nil {
		r.flushOnRoot.Store(false) // a program, not a test binary: no write per root span
	}
	if roots {
		root.End() // no open span on the goroutine: each span is a new trace
		ctx = context.Background()
	}
	t0 := time.Now()
	for range n {
		_, sp := Start(ctx, "burst.span")
		sp.End()
	}
	el := time.Since(t0)
	if !roots {
		root.End()
	}
	Shutdown(context.Background())
	fmt.Printf("%.1f ns/span\n", float64(el.Nanoseconds())/float64(n))
}

// TestKeepUpBurst (K1): at default settings, a burst of 1,000,000 spans
// ended as fast as one goroutine can is written whole: none dropped
// (folding off: K1 is about writing every span). K1
// is the binary format's (the default): JSON Lines, eleven times the
// bytes, can outrun the disk, and then drops and counts.
func TestKeepUpBurst(t *testing.T) {
	if testing.Short() {
		t.Skip("starts a child process that ends a million spans")
	}
	const n = 1_000_000
	for _, shape := range []string{"child", "root"} {
		t.Run(shape, func(t *testing.T) {
			out := filepath.Join(t.TempDir(), "burst.trace")
			b, err := childCmd(t, "burst", "AUTOTRACE_FOLD=off", "AUTOTRACE_FORMAT=binary", "AUTOTRACE_OUT="+out, "CHILD_SPANS="+strconv.Itoa(n), "CHILD_SHAPE="+shape).CombinedOutput()
			if err != nil {
				t.Fatalf("child: %v\n%s", err, b)
			}
			fi, _ := os.Stat(out)
			spans, procs := readTraceProcs(t, out)
			if len(procs) != 1 {
				t.Fatalf("%d process records, want 1", len(procs))
			}
			p := procs[0]
			t.Logf("%s: spans %d, dropped %d, %.1f bytes/span, ended at %s", shape, p.Spans, p.Dropped, float64(fi.Size())/float64(n+1), b)
			if p.Dropped != 0 || p.Spans != n+1 || spans != n+1 {
				t.Errorf("process record: spans %d, dropped %d; %d in the file; want %d and 0", p.Spans, p.Dropped, spans, n+1)
			}
		})
	}
}

// readTraceProcs decodes a binary trace with no JSON: its span count and
// process records, leaving out the recorder's stall spans (autotrace.flush:
// time a goroutine spent draining a full buffer) from both.
func readTraceProcs(t *testing.T, path string) (spans int, procs []tracefile.Process) {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rd := tracefile.NewReader(f)
	stalls := map[int]uint64{}
	defer func() {
		for i := range procs {
			procs[i].Spans -= stalls[procs[i].Pid]
		}
	}()
	for {
		sp, p, err := rd.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		if sp != nil && sp.Name == stallName {
			stalls[sp.Pid]++
		} else if sp != nil {
			spans++
		} else {
			procs = append(procs, *p)
		}
	}
	if rd.Torn > 0 || rd.Unreadable > 0 {
		t.Fatalf("%s: %d torn chunks, %d unreadable records", path, rd.Torn, rd.Unreadable)
	}
	return spans, procs
}

// TestKeepUpBurstProcesses (K1): eight processes, each ending 1,000,000
// spans as fast as it can at default settings, append to one file on two
// cores: none drops a span, and every chunk is whole.
func TestKeepUpBurstProcesses(t *testing.T) {
	if testing.Short() {
		t.Skip("starts eight child processes")
	}
	const procs, n = 8, 1_000_000
	out := filepath.Join(t.TempDir(), "bursts.trace")
	errs := make(chan error, procs)
	for range procs {
		go func() {
			b, err := childCmd(t, "burst", "AUTOTRACE_FOLD=off", "AUTOTRACE_FORMAT=binary", "AUTOTRACE_OUT="+out, "CHILD_SPANS="+strconv.Itoa(n), "CHILD_SHAPE=child").CombinedOutput()
			if err != nil {
				err = fmt.Errorf("child: %v\n%s", err, b)
			}
			errs <- err
		}()
	}
	for range procs {
		if err := <-errs; err != nil {
			t.Fatal(err)
		}
	}
	spans, records := readTraceProcs(t, out)
	if len(records) != procs || spans != procs*(n+1) {
		t.Errorf("%d spans, %d process records; want %d and %d", spans, len(records), procs*(n+1), procs)
	}
	for _, p := range records {
		if p.Dropped != 0 || p.Spans != n+1 {
			t.Errorf("pid %d: spans %d, dropped %d; want %d and 0", p.Pid, p.Spans, p.Dropped, n+1)
		}
	}
}
