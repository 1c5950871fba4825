package autotrace

import (
	"context"
	"fmt"
	"os"
	"strconv"
	"testing"
	"time"
)

// childEnv selects what the test binary does when a test runs it as a
// child process.
const childEnv = "AUTOTRACE_TEST_CHILD"

func TestMain(m *testing.M) {
	if mode := os.Getenv(childEnv); mode != "" {
		os.Exit(runChild(mode))
	}
	os.Exit(m.Run())
}

// runChild is the body of a child process; the recording configuration
// comes from the environment the parent set.
func runChild(mode string) int {
	switch mode {
	case "spans": // CHILD_SPANS spans, nested two deep, then shut down
		n, _ := strconv.Atoi(os.Getenv("CHILD_SPANS"))
		if err := Configure(Config{BufferSize: 1 << 17}); err != nil {
			fmt.Fprintln(os.Stderr, err)
			return 1
		}
		ctx := context.Background()
		for i := 0; i < n; i += 2 {
			c, parent := Start(ctx, "child.parent")
			_, sp := Start(c, "child.leaf")
			sp.End()
			parent.End()
		}
		if err := Shutdown(context.Background()); err != nil {
			fmt.Fprintln(os.Stderr, err)
			return 1
		}
	case "forever": // spans until killed, flushed often
		if err := Configure(Config{FlushInterval: 2 * time.Millisecond, BufferSize: 1 << 12}); err != nil {
			return 1
		}
		fmt.Println("ready")
		for i := 0; ; i++ {
			sp := StartHere("child.forever \"quoted\"\n")
			sp.SetAttr("i", strconv.Itoa(i))
			sp.End()
			if i%64 == 0 {
				time.Sleep(50 * time.Microsecond)
			}
		}
	case "root": // one root span under TRACEPARENT, via StartHere
		sp := StartHere("child.root")
		sp.End()
		Shutdown(context.Background())
	case "exit": // spans, one still open, then Exit(3)
		StartHere("child.open")
		for i := 0; i < 3; i++ {
			StartHere("child.exit").End()
		}
		Exit(3)
	case "testexit": // as a test binary run by go test: three tests, then exit at once
		for i := 0; i < 3; i++ {
			time.Sleep(2 * time.Millisecond) // a test's work (see flushHereEvery)
			ctx, root := Start(context.Background(), "child.test")
			_, sp := Start(ctx, "child.step")
			sp.End()
			root.End()
		}
		os.Exit(0)
	case "burst": // K1: CHILD_SPANS spans ended as fast as one goroutine can, default settings
		runBurst()
	case "printenv":
		fmt.Print(os.Getenv("TRACEPARENT"))
	case "panic": // an instrumented main that panics
		defer StartHere("main.main").EndMain()
		panicking()
	default:
		fmt.Fprintln(os.Stderr, "unknown child mode", mode)
		return 2
	}
	return 0
}

//go:noinline
func panicking() {
	defer StartHere("child.panicking").End()
	var m map[string]int
	m["x"] = 1 // the panic site
}
