package main

import "os"

//autotrace:span
func run() int { return 0 }

func main() { os.Exit(run()) }
