package main

import (
	"fmt"
	"io"
)

func cmdReport(args []string, stdout, stderr io.Writer) int {
	fmt.Fprintln(stderr, "autotrace report: not built yet")
	return exitUsage
}
