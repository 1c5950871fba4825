// Command autotrace instruments Go functions with timing spans at the
// source level and reports on what they record.
//
//	autotrace gen    [-all] [-tags T] [-l] [packages]  rewrite in place
//	autotrace check  [-all] [-tags T] [packages]       list what gen would change (exit 1)
//	autotrace report [-format F] [-o FILE] TRACE...    analyse recorded traces
//	go build -toolexec='autotrace [-all] [-pkgs PATTERNS]' ./...
//
// `autotrace help` lists every command (the table in commands.go) and
// `autotrace help COMMAND` describes one. Run with no arguments by go
// generate, it instruments the package of $GOFILE. The rewriting itself
// lives in package rewrite; this command only parses flags and prints.
package main

import (
	"fmt"
	"io"
	"os"

	"github.com/autotrace/autotrace/internal/toolexec"
)

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
			printCommandList(stderr)
			return exitUsage
		}
		return cmdGen(args, stdout, stderr)
	}
	if name := args[0]; name == "help" || name == "-h" || name == "-help" || name == "--help" {
		return cmdHelp(args[1:], stdout, stderr)
	}
	c := lookup(args[0])
	if c == nil || c.run == nil {
		fmt.Fprintf(stderr, "autotrace: unknown command %q\nRun 'autotrace help' for usage.\n", args[0])
		return exitUsage
	}
	helpArgs := args[1:]
	if c.name == "go" {
		// -h after the go command is the go command's.
		helpArgs = helpArgs[:min(1, len(helpArgs))]
	}
	if wantsHelp(helpArgs) {
		printHelp(stdout, c)
		return exitOK
	}
	defer startCPUProfile(stderr)()
	return c.run(args[1:], stdout, stderr)
}
