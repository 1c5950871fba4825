package main

import "os"

//autotrace:span
func run(os []string) int { return len(os) }

// A file that declares the name it imports os as keeps its os.Exit
// calls as they are: without object resolution gen cannot tell which
// is the package.
//
//autotrace:skip keeps the runtime out of main
func main() { os.Exit(run(os.Args)) }
