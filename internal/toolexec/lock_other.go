//go:build !unix

package toolexec

// lockFile does nothing here: concurrent compiles may both run go list,
// which is wasteful but correct.
func lockFile(path string) (unlock func()) { return func() {} }
