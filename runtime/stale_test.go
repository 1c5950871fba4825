package autotrace

import (
	"context"
	"sync"
	"testing"
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
