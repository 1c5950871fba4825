//go:build !linux

package toolexec

import "os"

// goProcess returns the process id of the go command running this tool,
// our parent (a wrapper between the two is only seen through on Linux).
func goProcess() int { return os.Getppid() }

// processArgs returns nil: other systems do not show another process's
// command line as simply (the nested runtime build then sees GOFLAGS and
// the compile's own flags only).
func processArgs(pid int) []string { return nil }
