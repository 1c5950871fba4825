//go:build !amd64 && !arm64

package autotrace

import "runtime"

// getg returns the current goroutine's id, parsed from runtime.Stack. It is
// slow (about a microsecond) but correct, and only used on architectures
// without the one-instruction assembly version. Goroutine ids are never
// reused, so unlike g addresses a stale key can never be inherited.
func getg() uintptr {
	var buf [64]byte
	n := runtime.Stack(buf[:], false)
	b := buf[:n]
	const prefix = "goroutine "
	if len(b) < len(prefix) {
		return 1
	}
	var id uintptr
	for _, c := range b[len(prefix):] {
		if c < '0' || c > '9' {
			break
		}
		id = id*10 + uintptr(c-'0')
	}
	if id == 0 {
		id = 1
	}
	return id
}
