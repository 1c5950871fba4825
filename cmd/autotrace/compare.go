package main

import (
	"io"

	"github.com/autotrace/autotrace/compare"
)

func cmdCompare(args []string, stdout, stderr io.Writer) int {
	return compare.Command(args, stdout, stderr)
}
