// Command accuracy is a program whose true split of time is known by
// construction, for checking what autotrace reports under -all (issue 26,
// budgets A1–A4): every function does a fixed number of units of its own
// work, the same loop everywhere, and calls its children a fixed number
// of times, so each function's true share of self time is its units over
// all units. The leaves take 20–200 ns a call.
//
//	accuracy [-rounds N] [-shape deep|wide]
//
// It prints, as JSON on stdout, the work's wall time (work_ns), the cost
// of one unit measured in the same run (unit_ns), and per function its
// calls and own units (true shares follow from them); scripts/accuracy.sh
// compares that with the report of an instrumented build of it.
package main

import (
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"time"
)

var sink uint64

// work does n units of the program's own work: the same loop in every
// function, so a unit costs the same wherever it runs.
//
//autotrace:skip the unit of work itself: its time is its caller's
func work(n int) {
	x := sink
	for i := 0; i < n*unitIters; i++ {
		x = x*6364136223846793005 + 1442695040888963407
	}
	sink = x
}

const unitIters = 4 // a unit is ~5 ns on this machine

// The call tree: root -> mid x4 -> (leafA x5, leafB x3); root -> tail.
const (
	rootUnits  = 40
	midUnits   = 30
	leafAUnits = 6  // ~30 ns
	leafBUnits = 30 // ~150–200 ns
	tailUnits  = 200
)

func root() {
	work(rootUnits)
	for range 4 {
		mid()
	}
	tail()
}

func mid() {
	work(midUnits)
	for range 5 {
		leafA()
	}
	for range 3 {
		leafB()
	}
}

func leafA() { work(leafAUnits) }

func leafB() { work(leafBUnits) }

func tail() { work(tailUnits) }

type function struct {
	Name  string `json:"name"`
	Calls int    `json:"calls"` // per root call
	Units int    `json:"units"` // own units per call
}

//autotrace:skip its span would hold the calibration and the output
func main() {
	rounds := flag.Int("rounds", 200000, "calls of root")
	shape := flag.String("shape", "deep", "call tree: deep (root, mid of 8 children of 2 sites) or wide (wide.go)")
	flag.Parse()
	top, functions := root, []function{
		{"main.root", 1, rootUnits},
		{"main.mid", 4, midUnits},
		{"main.leafA", 20, leafAUnits},
		{"main.leafB", 12, leafBUnits},
		{"main.tail", 1, tailUnits},
	}
	switch *shape {
	case "deep":
	case "wide":
		top, functions = rootW, wideFunctions()
	default:
		fmt.Fprintf(os.Stderr, "accuracy: -shape %q: want deep or wide\n", *shape)
		os.Exit(2)
	}
	// The cost of a unit, measured here, in a loop of the same shape.
	const calib = 2_000_000
	t0 := time.Now()
	work(calib)
	unitNs := float64(time.Since(t0).Nanoseconds()) / calib

	t0 = time.Now()
	for range *rounds {
		top()
	}
	workNs := time.Since(t0).Nanoseconds()
	// main has no span, so nothing waits for the recorder at exit: the
	// last root's end wakes the exporter, and this gives it time to write,
	// so that a recorded run's calls can be counted exactly. Not timed.
	time.Sleep(100 * time.Millisecond)
	json.NewEncoder(os.Stdout).Encode(struct {
		Rounds    int        `json:"rounds"`
		WorkNs    int64      `json:"work_ns"`
		UnitNs    float64    `json:"unit_ns"`
		Functions []function `json:"functions"` // the first is the root
	}{*rounds, workNs, unitNs, functions})
}
