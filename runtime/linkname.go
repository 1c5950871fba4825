package autotrace

import _ "unsafe" // for go:linkname

// Runtime internals used on the hot path. All are on the runtime's list of
// linknames that must keep working (go.dev/issue/67401); `go vet` and the
// linker's linkname check accept them.

// procPin disables preemption and returns the current P's id; procUnpin
// undoes it. Pinned, a goroutine can neither move to another P nor be
// preempted, so the span buffer it picks by P id is in practice its own:
// no contended atomic on the hot path (sync.Pool does the same).
//
//go:linkname procPin runtime.procPin
func procPin() int

//go:linkname procUnpin runtime.procUnpin
func procUnpin()

// cheaprand64 returns 63 random bits from the runtime's per-M wyrand
// state: no lock, no syscall, a third of the cost of math/rand/v2's
// ChaCha8. Span and trace ids need uniqueness, not unpredictability.
//
//go:linkname cheaprand64 runtime.cheaprand64
func cheaprand64() int64
