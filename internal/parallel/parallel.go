// Package parallel runs independent calls on several goroutines: the
// driver's per-package and per-file work (the rewriter's through
// rewrite.Prepare.ForEach) and its file writes.
package parallel

import (
	"runtime"
	"sync"
)

// For calls f(0) … f(n-1) on at most workers goroutines (GOMAXPROCS when
// workers is 0) and returns when all have returned. The calls must be
// independent.
func For(n, workers int, f func(i int)) {
	if workers <= 0 {
		workers = runtime.GOMAXPROCS(0)
	}
	var (
		mu   sync.Mutex
		next int
		wg   sync.WaitGroup
	)
	for w := min(workers, n); w > 0; w-- {
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
