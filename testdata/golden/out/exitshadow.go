package main

import "os"
import autotrace "github.com/autotrace/autotrace/runtime"

//autotrace:span
func run(os []string) int {
	__span := autotrace.StartHere("main.run")
	defer __span.End() // autotrace: one-line body
	return len(os)
}

// A file that declares the name it imports os as keeps its os.Exit
// calls as they are: without object resolution gen cannot tell which
// is the package.
//
//autotrace:skip keeps the runtime out of main
func main() { os.Exit(run(os.Args)) }
