package main

import "fmt"

//autotrace:span
func main() {
	fmt.Println(run())
}

//autotrace:span
func run() int {
	return 42
}

//autotrace:span
func init() {
}
