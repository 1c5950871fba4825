// Command exectrace is a program with known answers for the active-time
// analysis: each span spends about 50ms in one way (on CPU, asleep,
// blocked on a channel, on a mutex, in a system call), and a fan-out span
// waits for two adopted goroutines that each sleep 30ms. It is
// instrumented by hand as autotrace would generate it. Run it with
// AUTOTRACE_OUT and AUTOTRACE_EXECTRACE set; report/exectrace_test.go
// checks what `autotrace report` says about it.
package main

import (
	"context"
	"sync"
	"syscall"
	"time"

	autotrace "github.com/autotrace/autotrace/runtime"
)

// d is each span's planned time.
const d = 50 * time.Millisecond

func main() {
	ctx, span := autotrace.Start(context.Background(), "main.main")
	defer span.EndMain()
	cpu(ctx)
	sleep(ctx)
	channel(ctx)
	mutex(ctx)
	sysc(ctx)
	fanout(ctx)
}

var sink uint64

// cpu computes for d of wall time.
func cpu(ctx context.Context) {
	_, span := autotrace.Start(ctx, "main.cpu")
	defer span.End()
	x := uint64(1)
	for t0 := time.Now(); time.Since(t0) < d; {
		for range 1000 {
			x = x*6364136223846793005 + 1442695040888963407
		}
	}
	sink = x
}

// sleep sleeps for d.
func sleep(ctx context.Context) {
	_, span := autotrace.Start(ctx, "main.sleep")
	defer span.End()
	time.Sleep(d)
}

// channel waits for a value that another goroutine sends d after the
// span starts.
func channel(ctx context.Context) {
	ch, start := make(chan int), make(chan struct{})
	go func() {
		<-start
		time.Sleep(d)
		ch <- 1
	}()
	_, span := autotrace.Start(ctx, "main.channel")
	defer span.End()
	close(start)
	<-ch
}

// mutex waits for a mutex that another goroutine holds for d after the
// span starts.
func mutex(ctx context.Context) {
	var mu sync.Mutex
	held, start := make(chan struct{}), make(chan struct{})
	go func() {
		mu.Lock()
		close(held)
		<-start
		time.Sleep(d)
		mu.Unlock()
	}()
	<-held
	_, span := autotrace.Start(ctx, "main.mutex")
	defer span.End()
	close(start)
	mu.Lock()
	mu.Unlock()
}

// sysc spends d in one blocking system call.
func sysc(ctx context.Context) {
	_, span := autotrace.Start(ctx, "main.sysc")
	defer span.End()
	ts := syscall.NsecToTimespec(int64(d))
	for syscall.Nanosleep(&ts, &ts) == syscall.EINTR {
	}
}

// fanout starts two goroutines, adopted by its span, that sleep 30ms each,
// and waits for them.
func fanout(ctx context.Context) {
	_, span := autotrace.Start(ctx, "main.fanout")
	defer span.End()
	var wg sync.WaitGroup
	for range 2 {
		wg.Add(1)
		go func() {
			defer autotrace.Adopt(span).Release()
			defer wg.Done()
			time.Sleep(30 * time.Millisecond)
		}()
	}
	wg.Wait()
}
