//go:build unix

package toolexec

import (
	"os"
	"os/exec"
	"path/filepath"
	"syscall"
)

// execve replaces autotrace with tool, which then answers the go command
// directly: same stdin, stdout, stderr and exit status, and no process
// left waiting. It returns only on failure.
// A tool named without a directory (the C compiler) is looked up in PATH.
func execve(tool string, args []string) error {
	path := tool
	if !filepath.IsAbs(tool) {
		p, err := exec.LookPath(tool)
		if err != nil {
			return err
		}
		path = p
	}
	return syscall.Exec(path, append([]string{tool}, args...), os.Environ())
}
