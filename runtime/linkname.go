package autotrace

import _ "unsafe" // for go:linkname

// procPin disables preemption and returns the current P's id, procUnpin
// undoes it. Pinned, a goroutine cannot move to another P or be preempted,
// so the span buffer it picks by P id is effectively its own: no contended
// atomic on the hot path. Both are on the runtime's list of linknames that
// must keep working (go.dev/issue/67401), as used by sync.Pool.
//
//go:linkname procPin runtime.procPin
func procPin() int

//go:linkname procUnpin runtime.procUnpin
func procUnpin()
