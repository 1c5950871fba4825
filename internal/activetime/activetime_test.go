package activetime

import (
	"bytes"
	"context"
	"runtime/trace"
	"strings"
	"sync"
	"testing"
	"time"
)

func TestBlockCategory(t *testing.T) {
	for _, tt := range []struct {
		reason string
		want   Category
	}{
		{"chan receive", Channel},
		{"chan send", Channel},
		{"select", Select},
		{"sync", Sync},
		{"sync.(*Cond).Wait", Sync},
		{"network", Network},
		{"sleep", Sleep},
		{"GC mark assist wait for work", GC},
		{"wait until GC ends", GC},
		{"preempted", GC},
		{"forever", Other},
		{"", Other},
	} {
		if got := blockCategory(tt.reason); got != tt.want {
			t.Errorf("blockCategory(%q) = %v, want %v", tt.reason, got, tt.want)
		}
	}
}

func TestIsProgram(t *testing.T) {
	for _, tt := range []struct {
		fn   string
		want bool
	}{
		{"main.main", true},
		{"main.(*T).M.func1", true},
		{"example.com/shop.(*Cart).Add", true},
		{"github.com/a/b/v2.F", true},
		{"runtime.gopark", false},
		{"sync.(*Mutex).Lock", false},
		{"internal/poll.(*FD).Read", false},
		{"net/http.(*conn).serve", false},
		{"github.com/autotrace/autotrace/runtime.(*Span).End", false},
		{"", false},
	} {
		if got := isProgram(tt.fn); got != tt.want {
			t.Errorf("isProgram(%q) = %v, want %v", tt.fn, got, tt.want)
		}
	}
}

func TestBreakdown(t *testing.T) {
	b := Breakdown{CPU: 1, Runnable: 2, Channel: 4, Sleep: 8, Other: 16}
	if b.Total() != 31 || b.Blocked() != 28 {
		t.Errorf("total %d blocked %d", b.Total(), b.Blocked())
	}
	if len(Categories()) != int(NumCategories) || Sleep.String() != "sleep" || !Syscall.Blocked() || Runnable.Blocked() {
		t.Error("category names")
	}
}

func TestNotATrace(t *testing.T) {
	for _, in := range []string{"", `{"trace_id":"x"}`, "go 1.26 trace\x00\x00\x00garbage"} {
		if _, err := Analyze(strings.NewReader(in)); err == nil {
			t.Errorf("Analyze(%q): no error", in)
		}
	}
}

// TestAnalyzeInProcess records a trace with tasks and regions as the
// autotrace runtime makes them: a parent span whose goroutine sleeps, and
// a child on another goroutine blocked on a channel.
func TestAnalyzeInProcess(t *testing.T) {
	if trace.IsEnabled() {
		t.Skip("an execution trace is already running")
	}
	var buf bytes.Buffer
	if err := trace.Start(&buf); err != nil {
		t.Fatal(err)
	}
	span := func(pctx context.Context, name, id string) (context.Context, func()) {
		ctx, task := trace.NewTask(pctx, name)
		trace.Log(ctx, SpanLogCategory, id)
		r := trace.StartRegion(ctx, name)
		return ctx, func() { r.End(); task.End() }
	}
	// The bounds below are the sleeps as the test measured them: on a
	// loaded machine a 20 ms sleep may take twice as long.
	ctx, endParent := span(context.Background(), "parent", "00000000000000aa")
	t0 := time.Now()
	time.Sleep(20 * time.Millisecond)
	slept1 := time.Since(t0)
	ch := make(chan int)
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		_, end := span(ctx, "child", "00000000000000bb")
		<-ch
		end()
	}()
	t1 := time.Now()
	time.Sleep(20 * time.Millisecond)
	slept2 := time.Since(t1)
	ch <- 1
	wg.Wait()
	endParent()
	trace.Stop()

	res, err := Analyze(&buf)
	if err != nil {
		t.Fatal(err)
	}
	names := map[string]Name{}
	for _, n := range res.Names {
		names[n.Name] = n
	}
	const ms = int64(time.Millisecond)
	child, parent := names["child"], names["parent"]
	if child.Count != 1 || parent.Count != 1 || len(res.Spans) != 2 {
		t.Fatalf("names %+v", res.Names)
	}
	const slack = 5 * ms
	if c := child.Time[Channel]; c < 15*ms || c > int64(slept2)+slack {
		t.Errorf("child blocked on the channel %v", time.Duration(c))
	}
	if c := parent.Time[Channel]; c != child.Time[Channel] {
		t.Errorf("the parent does not include its child's channel time: %v", time.Duration(c))
	}
	if s := parent.Time[Sleep]; s < 35*ms || s > int64(slept1+slept2)+slack {
		t.Errorf("parent slept %v", time.Duration(s))
	}
	if len(child.Locations) == 0 || child.Locations[0].Category != Channel || !strings.HasSuffix(child.Locations[0].File, "activetime_test.go") {
		t.Errorf("child's locations %+v", child.Locations)
	}
	for _, s := range res.Spans {
		if s.Name == "parent" && (s.ID != "00000000000000aa" || s.Goroutines != 2 || s.Others != child.Time.Total()) {
			t.Errorf("parent span %+v", s)
		}
	}
	if m := Merge(res, res); m.Names[0].Count != 2 || len(m.Spans) != 4 || m.Names[0].Locations[0].Count != 2*res.Names[0].Locations[0].Count {
		t.Errorf("merge %+v", m.Names)
	}
}
