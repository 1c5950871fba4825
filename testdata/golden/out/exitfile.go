package main

import (
	"fmt"
	"os"

	autotrace "github.com/autotrace/autotrace/runtime"
)

// A file of package main with nothing else to instrument: its exits
// still shut the runtime down.
func fatal(err error) {
	fmt.Fprintln(os.Stderr, err)
	autotrace.GenShutdownThen(os.Exit)(1)
}

