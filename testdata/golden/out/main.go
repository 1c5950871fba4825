package main

import "fmt"
import autotrace "github.com/autotrace/autotrace/runtime"

//autotrace:span
func main() {
	__span := autotrace.StartHere("main.main")
	defer __span.EndMain()
	fmt.Println(run())
}

//autotrace:span
func run() int {
	__span := autotrace.StartHere("main.run")
	defer __span.End()
	return 42
}

//autotrace:span
func init() {
	__span := autotrace.StartHere("main.init.0")
	defer __span.End()
}
