package main

import (
	"context"
	"fmt"
	"log"
	xos "os"

	autotrace "github.com/autotrace/autotrace/runtime"
)

//autotrace:span
func work(ctx context.Context, n int) int {
	ctx, __span := autotrace.Start(ctx, "main.work")
	defer __span.End() // autotrace: one-line body
	return n * 2
}

// main has no span of its own: gen defers autotrace.EndMain at its top,
// and every os.Exit of the file shuts the runtime down first.
func main() {
	defer autotrace.GenEndMain()
	s := 0
	for i := 0; i < 5; i++ {
		s += work(context.Background(), i)
	}
	fmt.Println(s)
	if s < 0 {
		autotrace.GenShutdownThen(log.Fatalf)("negative: %d", s)
	}
	if s > 100 {
		autotrace.GenShutdownThen(xos.Exit)(4)
	}
	exit := autotrace.GenShutdownThen(xos.Exit)
	defer exit(0)
	fail(func() { autotrace.GenShutdownThen(xos.Exit)(3) })
}

func fail(f func()) { f() }
