package rewrite

import (
	"runtime"
	"sync"
)

// forEach calls f(0) … f(n-1) on GOMAXPROCS goroutines and returns when
// all have returned. The calls must be independent.
func forEach(n int, f func(i int)) {
	var (
		mu   sync.Mutex
		next int
		wg   sync.WaitGroup
	)
	for w := min(runtime.GOMAXPROCS(0), n); w > 0; w-- {
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
