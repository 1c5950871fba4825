package main

import "os"
import autotrace "github.com/autotrace/autotrace/runtime"

//autotrace:span
func run() int {
	__span := autotrace.StartHere("main.run")
	defer __span.End() // autotrace: one-line body
	return 0
}

func main() { defer autotrace.GenEndMain(); autotrace.GenShutdownThen(os.Exit)(run()) }
