//go:build amd64 || arm64

package autotrace

// getg returns the address of the current goroutine's runtime g struct: a
// key that is unique among live goroutines and costs one instruction. The
// runtime reuses g structs of exited goroutines, which is why the table in
// gls.go frees a goroutine's slot as soon as its last open span ends.
func getg() uintptr
