package shop

import (
	"context"
	"fmt"
	"sync"
)

type Job struct{ ID int }

//autotrace:span
func Fanout(ctx context.Context, jobs []Job) {
	var wg sync.WaitGroup
	results := make(chan string, len(jobs))
	for _, j := range jobs {
		wg.Add(1)
		go func(j Job) {
			defer wg.Done()
			results <- process(j)
		}(j)
	}
	// A worker started from a function value, with arguments evaluated here.
	queue := make(chan Job)
	go worker(ctx, queue, &wg)
	go fmt.Println("started", len(jobs))
	go logf("%d jobs", len(jobs))
	//autotrace:span
	go func() { wg.Wait(); close(results) }()
	go close(queue)
}

//autotrace:span
func process(j Job) string { return fmt.Sprint(j.ID) }

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
