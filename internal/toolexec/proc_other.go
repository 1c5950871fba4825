//go:build !linux

package toolexec

import "os"

// goProcess returns the process id of the go command running this tool,
// our parent (a wrapper between the two is only seen through on Linux).
func goProcess() int { return os.Getppid() }
