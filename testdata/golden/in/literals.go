package shop

import (
	"sort"
	"sync"
)

func Fanout(n int) {
	var wg sync.WaitGroup
	for i := 0; i < n; i++ {
		wg.Add(1)
		//autotrace:span
		go func(i int) {
			defer wg.Done()
			_ = i
		}(i)
	}
	wg.Wait()

	//autotrace:span name=shop.work
	work := func() error {
		return nil
	}
	_ = work()

	xs := []int{3, 1, 2}
	//autotrace:span
	sort.Slice(xs, func(i, j int) bool { return xs[i] < xs[j] })

	//autotrace:span
	defer func() {
		// Nested literals are named after the literal they are in.
		//autotrace:span
		f := func() {}
		f()
	}()
}

//autotrace:span
var Hook = func(s string) string {
	return s
}
