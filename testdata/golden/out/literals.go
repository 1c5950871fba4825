package shop

import (
	"sort"
	"sync"

	autotrace "github.com/autotrace/autotrace/runtime"
)

func Fanout(n int) {
	var wg sync.WaitGroup
	for i := 0; i < n; i++ {
		wg.Add(1)
		//autotrace:span
		go func(i int) {
			__span := autotrace.StartHere("shop.Fanout.func1")
			defer __span.End()
			defer wg.Done()
			_ = i
		}(i)
	}
	wg.Wait()

	//autotrace:span name=shop.work
	work := func() (__err error) {
		__span := autotrace.StartHere("shop.work")
		defer __span.EndErr(&__err)
		return nil
	}
	_ = work()

	xs := []int{3, 1, 2}
	//autotrace:span
	sort.Slice(xs, func(i, j int) bool {
		__span := autotrace.StartHere("shop.Fanout.func3")
		defer __span.End() // autotrace: one-line body
		return xs[i] < xs[j]
	})

	//autotrace:span
	defer func() {
		__span := autotrace.StartHere("shop.Fanout.func4")
		defer __span.End()
		// Nested literals are named after the literal they are in.
		//autotrace:span
		f := func() {
			__span := autotrace.StartHere("shop.Fanout.func4.1")
			defer __span.End() // autotrace: one-line body
		}
		f()
	}()
}

//autotrace:span
var Hook = func(s string) string {
	__span := autotrace.StartHere("shop.init.func1")
	defer __span.End()
	return s
}
