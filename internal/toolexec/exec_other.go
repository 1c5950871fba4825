//go:build !unix

package toolexec

// execve is unavailable: run starts the tool as a child instead.
func execve(tool string, args []string) error { return nil }
