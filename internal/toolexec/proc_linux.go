package toolexec

import (
	"os"
	"strconv"
	"strings"
)

// goProcess returns the process id of the go command running this tool:
// our parent, or when -toolexec names a wrapper that runs autotrace (say
// -toolexec='time autotrace'), the nearest ancestor that is a go command.
func goProcess() int {
	ppid := os.Getppid()
	for pid, i := ppid, 0; pid > 1 && i < 4; i++ {
		if comm, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/comm"); err == nil && strings.TrimSpace(string(comm)) == "go" {
			return pid
		}
		stat, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/stat")
		if err != nil {
			break
		}
		// pid (comm) state ppid ...: comm may contain spaces and parentheses.
		s := string(stat)
		f := strings.Fields(s[strings.LastIndexByte(s, ')')+1:])
		if len(f) < 2 {
			break
		}
		if pid, err = strconv.Atoi(f[1]); err != nil {
			break
		}
	}
	return ppid
}

// processArgs returns the command line of process pid, without the
// program name; nil when it cannot be read.
func processArgs(pid int) []string {
	b, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/cmdline")
	if err != nil || len(b) == 0 {
		return nil
	}
	args := strings.Split(strings.TrimSuffix(string(b), "\x00"), "\x00")
	return args[1:]
}
