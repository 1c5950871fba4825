package main

import (
	"context"
	"fmt"
	"log"
	xos "os"
)

//autotrace:span
func work(ctx context.Context, n int) int { return n * 2 }

// main has no span of its own: gen defers autotrace.EndMain at its top,
// and every os.Exit of the file shuts the runtime down first.
func main() {
	s := 0
	for i := 0; i < 5; i++ {
		s += work(context.Background(), i)
	}
	fmt.Println(s)
	if s < 0 {
		log.Fatalf("negative: %d", s)
	}
	if s > 100 {
		xos.Exit(4)
	}
	exit := xos.Exit
	defer exit(0)
	fail(func() { xos.Exit(3) })
}

func fail(f func()) { f() }
