package driver

import (
	"runtime"
	"sync"
)

// parallel calls f(0) … f(n-1) on GOMAXPROCS goroutines and returns when
// all have returned. The calls must be independent.
func parallel(n int, f func(i int)) {
	parallelN(n, runtime.GOMAXPROCS(0), f)
}

// parallelN is parallel on as many as workers goroutines.
func parallelN(n, workers int, f func(i int)) {
	workers = min(workers, n)
	var (
		mu   sync.Mutex
		next int
		wg   sync.WaitGroup
	)
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				mu.Lock()
				i := next
				next++
				mu.Unlock()
				if i >= n {
					return
				}
				f(i)
			}
		}()
	}
	wg.Wait()
}
