// Command reportcmd runs report.Command as a program, for the browser test
// and the benchmark script while the autotrace CLI is wired separately:
//
//	go run ./report/internal/reportcmd [-format F] [-o FILE] [-top N] TRACE…
package main

import (
	"os"

	"github.com/autotrace/autotrace/report"
)

func main() {
	os.Exit(report.Command(os.Args[1:], os.Stdout, os.Stderr))
}
