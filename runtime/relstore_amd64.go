//go:build amd64 && !race

package autotrace

import (
	"sync/atomic"
	"unsafe"
)

// Release stores for words that one goroutine writes and others only read
// with atomic loads (the goroutine-local table, a shard's tail). On amd64
// every plain store already has release semantics (stores are not
// reordered with earlier stores, and the compiler keeps them in program
// order), exactly as the runtime's own atomic.StoreRel is a plain MOV
// there; sync/atomic's Store is an XCHG, a full fence that waits for the
// span's just-written cache lines and cost ~25 ns per store on the hot
// path. Race-detector builds and other architectures use sync/atomic
// (relstore_other.go), so the race detector sees the synchronisation.
// Each atomic type begins with its value word.

func storeRelUint32(p *atomic.Uint32, v uint32)    { *(*uint32)(unsafe.Pointer(p)) = v }
func storeRelUint64(p *atomic.Uint64, v uint64)    { *(*uint64)(unsafe.Pointer(p)) = v }
func storeRelUintptr(p *atomic.Uintptr, v uintptr) { *(*uintptr)(unsafe.Pointer(p)) = v }
func storeRelBool(p *atomic.Bool, v bool) {
	var u uint32
	if v {
		u = 1
	}
	*(*uint32)(unsafe.Pointer(p)) = u
}
