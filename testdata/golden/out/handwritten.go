package main

import (
	"context"
	"os"

	autotrace "github.com/autotrace/autotrace/runtime"
)

// manual is instrumented by hand: gen leaves it alone, and strip must too,
// though it starts the way gen's code does.
func manual(ctx context.Context) {
	ctx, span := autotrace.Start(ctx, "manual")
	defer span.End()
	span.SetInt("n", 3)
	_ = ctx
}

// here is instrumented by hand without a context.
func here() {
	s := autotrace.StartHere("main.here")
	defer s.End()
}

// work has a directive: gen instruments it, and manual's hand-written
// span becomes a child of gen's.
//
//autotrace:span
func work(ctx context.Context) (__err error) {
	ctx, __span := autotrace.Start(ctx, "main.work")
	defer __span.EndErr(&__err)
	manual(ctx)
	return nil
}

// main shuts the runtime down by hand, as gen's note says to: gen adds
// no GenEndMain of its own, and the hand-wrapped exit stays as it is while
// the bare one is wrapped.
func main() {
	defer autotrace.EndMain()
	here()
	if err := work(context.Background()); err != nil {
		autotrace.ShutdownThen(os.Exit)(3)
	}
	autotrace.GenShutdownThen(os.Exit)(0)
}
