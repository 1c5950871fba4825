package autotrace

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"
)

// TestStaleHandleIgnored: a span's handle kept past End names a record
// that the next span reuses; End and the setters through the old handle
// must do nothing, and the new span must be recorded as if the old handle
// did not exist. Without the generation check, the stale End would end
// the new span and the stale SetInt would land on it.
func TestStaleHandleIgnored(t *testing.T) {
	out := record(t, Config{})
	var old, cur Span
	for try := 0; ; try++ {
		old = StartHere("stale.old")
		old.End()
		cur = StartHere("stale.cur")
		if cur.r.idx() == old.r.idx() {
			break // the record was reused: the case under test
		}
		cur.End()
		if try == 100 {
			t.Fatal("the record of an ended span is never reused")
		}
	}
	old.SetInt("stale", 1)
	old.SetError(errBoom)
	old.End()
	if !cur.Recording() {
		t.Fatal("a stale End ended the span that reuses its record")
	}
	if old.Recording() || FromContext(context.Background()) != (Span{}) {
		t.Error("a stale handle says it records")
	}
	cur.SetInt("fresh", 2)
	cur.End()
	cur.End() // twice: the second is stale too
	Shutdown(context.Background())
	spans := mustSpans(t, out)
	got := byName(t, spans)
	c, ok := got["stale.cur"]
	if !ok || len(spans) < 2 {
		t.Fatalf("spans %v: want stale.old and stale.cur", spans)
	}
	if _, bad := c.Attrs["stale"]; bad || c.Status != "ok" || c.Attrs["fresh"] != float64(2) {
		t.Errorf("stale.cur = %+v: the stale handle wrote into it", c)
	}
	n := 0
	for _, s := range spans {
		if s.Name == "stale.cur" {
			n++
		}
	}
	if n != 1 {
		t.Errorf("stale.cur written %d times, want once", n)
	}
}

// TestForeignHandleIgnored: a handle used from another goroutine than the
// span's own is ignored: it neither ends the span nor writes into it.
func TestForeignHandleIgnored(t *testing.T) {
	out := record(t, Config{})
	ctx, s := Start(context.Background(), "foreign.owner")
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		s.SetInt("foreign", 1)
		FromContext(ctx).SetString("foreign2", "x")
		s.End()
		if s.Recording() {
			t.Error("another goroutine sees the span as recording")
		}
	}()
	wg.Wait()
	if !s.Recording() {
		t.Fatal("an End from another goroutine ended the span")
	}
	FromContext(ctx).SetInt("own", 3)
	s.End()
	Shutdown(context.Background())
	got := byName(t, mustSpans(t, out))["foreign.owner"]
	if _, bad := got.Attrs["foreign"]; bad || got.Attrs["foreign2"] != nil || got.Attrs["own"] != float64(3) {
		t.Errorf("foreign.owner = %+v: want only own=3", got)
	}
}

// TestStartHereAllocatesNothing: a ctx-less span, recorded, allocates
// nothing (DESIGN §5); Start allocates only its child context.
func TestStartHereAllocatesNothing(t *testing.T) {
	record(t, Config{Writer: discardWriter{}})
	for range 1000 { // warm the record chunks and caches
		StartHere("alloc.warm").End()
	}
	if n := testing.AllocsPerRun(1000, func() { StartHere("alloc.here").End() }); n != 0 {
		t.Errorf("StartHere/End: %v allocations, want 0", n)
	}
	ctx := context.Background()
	if n := testing.AllocsPerRun(1000, func() {
		_, s := Start(ctx, "alloc.ctx")
		s.End()
	}); n != 1 {
		t.Errorf("Start/End: %v allocations, want 1 (the child context)", n)
	}
}

type discardWriter struct{}

func (discardWriter) Write(p []byte) (int, error) { return len(p), nil }

// TestCalibration: the background goroutine measures a span's cost when
// recording starts and writes it as a cost record; its own spans are not
// written. The figures are bounded by construction: a span's inner cost
// lies within its outer one, and an empty span costs more than nothing.
func TestCalibration(t *testing.T) {
	clearEnv(t)
	reset(t)
	calibrateOff.Store(false)
	out := filepath.Join(t.TempDir(), "trace.jsonl")
	if err := Configure(Config{Out: out, Format: FormatJSONLines}); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { reset(t) })
	StartHere("calibrated.span").End()
	r := active.Load()
	for deadline := time.Now().Add(5 * time.Second); time.Now().Before(deadline); time.Sleep(time.Millisecond) {
		r.mu.Lock()
		done := r.exp.cost != (cost{})
		r.mu.Unlock()
		if done {
			break
		}
	}
	if err := Shutdown(context.Background()); err != nil {
		t.Fatal(err)
	}
	var costs int
	for _, l := range strings.Split(strings.TrimSpace(string(traceView(t, out))), "\n") {
		var v line
		if err := json.Unmarshal([]byte(l), &v); err != nil {
			t.Fatalf("%q: %v", l, err)
		}
		if strings.HasPrefix(v.Name, "autotrace.calibrate") {
			t.Errorf("calibration span written: %s", l)
		}
		if c := v.Cost; c != nil {
			costs++
			// inner may be 0: the processor may run a span's recording
			// alongside the work the span measures.
			if c.InnerNs < 0 || c.OuterNs <= 0 || c.OuterNs < c.InnerNs || c.OuterNs > int64(time.Millisecond) {
				t.Errorf("cost inner %d ns, outer %d ns: want 0 ≤ inner ≤ outer, 0 < outer < 1 ms", c.InnerNs, c.OuterNs)
			}
		}
	}
	if costs != 1 {
		t.Errorf("%d cost records, want 1", costs)
	}
	if spans := byName(t, mustSpans(t, out)); len(spans) != 1 {
		t.Errorf("spans %v, want calibrated.span alone", spans)
	}
}

// TestStallIsTheRecorders: a goroutine whose span's end finds the buffer
// full drains it itself; the time that takes (here a write that sleeps
// 30 ms, by construction) is recorded as an autotrace.flush span under the
// interrupted parent, so the parent's self time does not hold it.
func TestStallIsTheRecorders(t *testing.T) {
	out := filepath.Join(t.TempDir(), "stall.trace")
	f, err := os.Create(out)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	record(t, Config{Writer: slowFile{f}, BufferSize: 256, FlushInterval: time.Hour})
	ctx, root := Start(context.Background(), "stall.root")
	for range 1000 {
		_, sp := Start(ctx, "stall.child")
		sp.End()
	}
	root.End()
	if err := Shutdown(context.Background()); err != nil {
		t.Fatal(err)
	}
	spans := mustSpans(t, out)
	var r line
	for _, s := range spans {
		if s.Name == "stall.root" {
			r = s
		}
	}
	if r.SpanID == "" {
		t.Fatal("no root span")
	}
	var kids, stalls int64
	for _, s := range spans {
		if s.ParentID != r.SpanID {
			continue
		}
		kids += s.DurNs
		if s.Name == stallName {
			stalls += s.DurNs
		}
	}
	if stalls < int64(25*time.Millisecond) {
		t.Fatalf("stall spans under the root: %v, want at least the 30 ms write", time.Duration(stalls))
	}
	if self := r.DurNs - kids; self > int64(20*time.Millisecond) {
		t.Errorf("root self time %v holds the recorder's stall (%v)", time.Duration(self), time.Duration(stalls))
	}
}
