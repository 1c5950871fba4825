package main

import (
	"fmt"
	"os"
)

// A file of package main with nothing else to instrument: its exits
// still shut the runtime down.
func fatal(err error) {
	fmt.Fprintln(os.Stderr, err)
	os.Exit(1)
}

