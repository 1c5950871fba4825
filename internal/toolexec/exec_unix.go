//go:build unix

package toolexec

import (
	"os"
	"syscall"
)

// execve replaces autotrace with tool, which then answers the go command
// directly: same stdin, stdout, stderr and exit status, and no process
// left waiting. It returns only on failure.
func execve(tool string, args []string) error {
	return syscall.Exec(tool, append([]string{tool}, args...), os.Environ())
}
