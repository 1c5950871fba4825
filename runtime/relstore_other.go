//go:build !amd64 || race

package autotrace

import "sync/atomic"

// Release stores (see relstore_amd64.go): sync/atomic where a plain store
// is not one, and under the race detector.

func storeRelUint32(p *atomic.Uint32, v uint32)    { p.Store(v) }
func storeRelUint64(p *atomic.Uint64, v uint64)    { p.Store(v) }
func storeRelUintptr(p *atomic.Uintptr, v uintptr) { p.Store(v) }
func storeRelBool(p *atomic.Bool, v bool)          { p.Store(v) }
