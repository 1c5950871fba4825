package main

import (
	"io"

	"github.com/autotrace/autotrace/report"
)

func cmdReport(args []string, stdout, stderr io.Writer) int {
	return report.Command(args, stdout, stderr)
}
