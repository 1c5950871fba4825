package shop

import (
	"context"
	"fmt"
	"sync"

	autotrace "github.com/autotrace/autotrace/runtime"
)

type Job struct{ ID int }

//autotrace:span
func Fanout(ctx context.Context, jobs []Job) {
	ctx, __span := autotrace.Start(ctx, "shop.Fanout")
	defer __span.End()
	var wg sync.WaitGroup
	results := make(chan string, len(jobs))
	for _, j := range jobs {
		wg.Add(1)
		go func(j Job) {
			defer autotrace.Adopt(__span).Release()
			defer wg.Done()
			results <- process(j)
		}(j)
	}
	// A worker started from a function value, with arguments evaluated here.
	queue := make(chan Job)
	go func(__f func(context.Context, <-chan Job, *sync.WaitGroup), __a0 context.Context, __a1 <-chan Job, __a2 *sync.WaitGroup) {
		defer autotrace.Adopt(__span).Release()
		__f(__a0, __a1, __a2)
	}(worker, ctx, queue, &wg)
	go func(__f func(...any) (int, error), __a0 any, __a1 any) {
		defer autotrace.Adopt(__span).Release()
		__f(__a0, __a1)
	}(fmt.Println, "started", len(jobs))
	go func(__f func(string, ...any), __a0 string, __a1 any) {
		defer autotrace.Adopt(__span).Release()
		__f(__a0, __a1)
	}(logf, "%d jobs", len(jobs))
	//autotrace:span
	go func() {
		defer autotrace.Adopt(__span).Release()
		__span := autotrace.StartHere("shop.Fanout.func2")
		defer __span.End() // autotrace: one-line body
		wg.Wait()
		close(results)
	}()
	go close(queue)
}

//autotrace:span
func process(j Job) string {
	__span := autotrace.StartHere("shop.process")
	defer __span.End() // autotrace: one-line body
	return fmt.Sprint(j.ID)
}

func worker(ctx context.Context, jobs <-chan Job, wg *sync.WaitGroup) {
	for j := range jobs {
		process(j)
	}
}

func logf(format string, args ...any) {}

// Not instrumented: its go statements are left alone.
func Plain() {
	go worker(context.Background(), nil, nil)
}
