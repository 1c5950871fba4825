// Command autotrace instruments Go functions with timing spans at the
// source level and reports on what they record.
//
//	autotrace gen    [-all] [-tags T] [-l] [packages]  rewrite in place
//	autotrace check  [-all] [-tags T] [packages]       list what gen would change (exit 1)
//	autotrace diff   [-all] [-tags T] [packages]       show what gen would change (exit 1)
//	autotrace strip  [-tags T] [packages]              remove what gen added
//	autotrace report [-format F] [-o FILE] [-exectrace F] TRACE…  analyse recorded traces
//	autotrace compare [flags] BASE… -- HEAD…  which spans got slower (exit 1 on a regression)
//	autotrace export [-endpoint URL] [-service NAME] TRACE…  send traces to an OTLP endpoint
//	autotrace version
//	go build -toolexec='autotrace [-all] [-pkgs PATTERNS]' ./...
//
// Run with no arguments by go generate, it instruments the package of
// $GOFILE. The rewriting itself lives in package rewrite; this command only
// parses flags and prints.
package main

import (
	"fmt"
	"io"
	"os"

	"github.com/autotrace/autotrace/internal/toolexec"
)

const usage = `usage:
	autotrace gen    [-all] [-tags T] [-l] [packages]   rewrite in place
	autotrace check  [-all] [-tags T] [packages]        list what gen would change
	autotrace diff   [-all] [-tags T] [packages]        unified diff of what gen would write
	autotrace strip  [-tags T] [packages]               remove what gen added
	autotrace report [-format F] [-o FILE] [-exectrace F] TRACE...  analyse recorded traces (and execution traces)
	autotrace compare [-threshold 10%] [-alpha 0.05] [-metric self|total] [-format table|json|markdown]
	                  [-only RE] [-skip RE] [-min-count N] [-calls=false] BASE... -- HEAD...
	                                                    which spans got slower or are called more; exit 1 on a regression
	autotrace export [-endpoint URL] [-service NAME] TRACE...
	                                                    send recorded traces to an OTLP/HTTP endpoint
	autotrace version
	autotrace [-all]                                    under go generate: gen the package of $GOFILE
`

// Exit codes.
const (
	exitOK    = 0
	exitDiff  = 1 // check or diff found differences
	exitUsage = 2 // bad usage or unreadable input
)

func main() {
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
}

func run(args []string, stdout, stderr io.Writer) int {
	// go build -toolexec='autotrace [-all] [-pkgs P]': a tool's absolute
	// path follows autotrace's own flags.
	if opts, tool, toolArgs, ok := toolexec.Parse(args); ok {
		return toolexec.Main(opts, tool, toolArgs)
	}
	if len(args) == 0 || (args[0] != "" && args[0][0] == '-' && os.Getenv("GOFILE") != "") {
		if os.Getenv("GOFILE") == "" {
			fmt.Fprint(stderr, usage)
			return exitUsage
		}
		return cmdGen(args, stdout, stderr)
	}
	switch args[0] {
	case "gen":
		return cmdGen(args[1:], stdout, stderr)
	case "check":
		return cmdCheck(args[1:], stdout, stderr)
	case "diff":
		return cmdDiff(args[1:], stdout, stderr)
	case "strip":
		return cmdStrip(args[1:], stdout, stderr)
	case "report":
		return cmdReport(args[1:], stdout, stderr)
	case "compare":
		return cmdCompare(args[1:], stdout, stderr)
	case "export":
		return cmdExport(args[1:], stdout, stderr)
	case "version":
		fmt.Fprintln(stdout, versionString())
		return exitOK
	case "help", "-h", "-help", "--help":
		fmt.Fprint(stdout, usage)
		return exitOK
	}
	fmt.Fprintf(stderr, "autotrace: unknown command %q\n%s", args[0], usage)
	return exitUsage
}
