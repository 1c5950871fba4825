package autotrace

import (
	"context"
	"os"
	"runtime"
	"strconv"
	"sync"
	"testing"
)

// spawn runs f on a new goroutine the way generated code starts one from
// an instrumented function, and waits for it.
func spawn(parent Span, f func()) {
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		defer Adopt(parent).Release()
		f()
	}()
	wg.Wait()
}

func TestAdoptParentsGoroutineSpans(t *testing.T) {
	out := record(t, Config{})
	ctx, parent := Start(context.Background(), "parent")
	spawn(parent, func() {
		here := StartHere("here") // no context: the adopted parent
		_, ctxless := Start(context.Background(), "ctxless")
		ctxless.End()
		here.End()
		_, own := Start(ctx, "own") // a context's span wins
		own.End()
		if slot := gls.lookup(getg()); slot < 0 {
			t.Error("adopting goroutine holds no slot")
		}
	})
	parent.End()
	Flush()
	m := byName(t, mustSpans(t, out))
	for child, want := range map[string]string{"here": "parent", "ctxless": "here", "own": "parent"} {
		if m[child].ParentID != m[want].SpanID || m[child].TraceID != m[want].TraceID {
			t.Errorf("%s: parent %s, want %s (%s)", child, m[child].ParentID, want, m[want].SpanID)
		}
	}
}

// A worker that outlives the span that started it must not attach later
// work to it.
func TestAdoptStaleParent(t *testing.T) {
	out := record(t, Config{})
	_, parent := Start(context.Background(), "request")
	started, ended, done := make(chan struct{}), make(chan struct{}), make(chan struct{})
	go func() {
		defer close(done)
		defer Adopt(parent).Release()
		StartHere("early").End()
		close(started)
		<-ended
		StartHere("late").End()
	}()
	<-started
	parent.End()
	close(ended)
	<-done
	Flush()
	m := byName(t, mustSpans(t, out))
	if m["early"].ParentID != m["request"].SpanID {
		t.Errorf("early: parent %q, want the request", m["early"].ParentID)
	}
	if m["late"].ParentID != "" || m["late"].TraceID == m["request"].TraceID {
		t.Errorf("late: parent %q trace %s: attached to the ended request", m["late"].ParentID, m["late"].TraceID)
	}
}

func TestAdoptReleasesSlotAndIsFreeWhenOff(t *testing.T) {
	clearEnv(t)
	reset(t)
	t.Cleanup(func() { reset(t) })
	Configure(Config{}) // nothing to record to: recording off
	_, parent := Start(context.Background(), "off")
	if !parent.isZero() {
		t.Fatal("recording is on")
	}
	if n := testing.AllocsPerRun(100, func() { Adopt(parent).Release() }); n != 0 {
		t.Errorf("Adopt with recording off: %v allocations", n)
	}
}

// TestAdoptSoak starts many goroutines, each adopting its parent and
// starting nested spans, in waves; the heap and the goroutine-local table
// must come back to where they were.
func TestAdoptSoak(t *testing.T) {
	waves, perWave := 20, 5000
	if testing.Short() {
		waves = 4
	}
	if n, err := strconv.Atoi(os.Getenv("AUTOTRACE_SOAK_WAVES")); err == nil {
		waves = n // 200 waves: a million goroutines
	}
	record(t, Config{BufferSize: 1 << 12})
	heap := func() uint64 {
		runtime.GC()
		var ms runtime.MemStats
		runtime.ReadMemStats(&ms)
		return ms.HeapInuse
	}
	var base uint64
	for w := 0; w < waves; w++ {
		_, parent := Start(context.Background(), "wave")
		var wg sync.WaitGroup
		for i := 0; i < perWave; i++ {
			wg.Add(1)
			go func() {
				defer wg.Done()
				defer Adopt(parent).Release()
				a := StartHere("a")
				b := StartHere("b")
				b.End()
				a.End()
			}()
		}
		wg.Wait()
		parent.End()
		Flush()
		if w == 1 {
			base = heap()
		}
	}
	final := heap()
	t.Logf("%d goroutines: heap in use %d KiB after wave 2, %d KiB at the end", waves*perWave, base>>10, final>>10)
	if grown := int64(final) - int64(base); grown > 4<<20 {
		t.Errorf("heap grew by %d bytes over %d waves of %d goroutines", grown, waves-2, perWave)
	}
	for j := range gls.keys {
		if k := gls.keys[j].Load(); k != 0 && k != glsFree {
			t.Fatalf("slot %d still claimed after every goroutine released its adoption", j)
		}
	}
}
