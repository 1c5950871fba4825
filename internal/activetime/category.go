package activetime

import "strings"

// A Category is what a goroutine was doing.
type Category uint8

// The categories, in report order.
const (
	CPU      Category = iota // running on a P
	Runnable                 // ready, waiting for a P
	Channel                  // blocked on a channel send or receive
	Select                   // blocked in select
	Sync                     // blocked on sync.Mutex, RWMutex, WaitGroup, Cond…
	Network                  // blocked in the network poller (sockets, pipes)
	Syscall                  // in a system call
	Sleep                    // time.Sleep
	GC                       // GC assist, waiting for the GC, or parked for a GC stack scan
	Other                    // blocked for any other reason
	NumCategories
)

var categoryNames = [NumCategories]string{"cpu", "runnable", "channel", "select", "sync", "network", "syscall", "sleep", "gc", "other"}

// String returns the category's short name, as the report prints it.
func (c Category) String() string {
	if c < NumCategories {
		return categoryNames[c]
	}
	return "?"
}

// Categories returns every category's name, in order.
func Categories() []string { return categoryNames[:] }

// Blocked reports whether c is a kind of blocking (neither CPU nor runnable).
func (c Category) Blocked() bool { return c >= Channel && c < NumCategories }

// blockCategory maps the reason the runtime gives for a goroutine blocking
// (runtime/traceruntime.go's traceBlockReasonStrings) to a category.
func blockCategory(reason string) Category {
	switch reason {
	case "chan receive", "chan send":
		return Channel
	case "select":
		return Select
	case "sync", "sync.(*Cond).Wait":
		return Sync
	case "network":
		return Network
	case "sleep":
		return Sleep
	}
	// "preempted" as a reason to wait (not to be runnable) is a goroutine
	// parked by suspendG, which the GC does to scan its stack.
	if strings.HasPrefix(reason, "GC") || reason == "wait until GC ends" || reason == "preempted" {
		return GC
	}
	return Other
}

// A Breakdown is nanoseconds per category.
type Breakdown [NumCategories]int64

// Total is the sum over all categories.
func (b *Breakdown) Total() int64 {
	var t int64
	for _, v := range b {
		t += v
	}
	return t
}

// Blocked is the sum over the blocking categories.
func (b *Breakdown) Blocked() int64 {
	var t int64
	for c := Channel; c < NumCategories; c++ {
		t += b[c]
	}
	return t
}

// add adds o to b.
func (b *Breakdown) add(o *Breakdown) {
	for i := range b {
		b[i] += o[i]
	}
}
