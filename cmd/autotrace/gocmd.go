package main

import (
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"

	"github.com/autotrace/autotrace/internal/toolexec"
)

// cmdGo runs `go SUBCOMMAND -toolexec=SELF ARGS...`, passing the
// terminal through, and exits as the go command does.
func cmdGo(args []string, stdout, stderr io.Writer) int {
	self, err := os.Executable()
	if err != nil {
		fmt.Fprintln(stderr, "autotrace go: cannot find autotrace's own path:", err)
		return exitUsage
	}
	goArgs, err := toolexec.GoCommand(self, args)
	if err != nil {
		fmt.Fprintln(stderr, "autotrace go:", err)
		printUsage(stderr, lookup("go"))
		return exitUsage
	}
	cmd := exec.Command("go", goArgs...)
	cmd.Stdin, cmd.Stdout, cmd.Stderr = os.Stdin, stdout, stderr
	err = cmd.Run()
	var exit *exec.ExitError
	switch {
	case errors.As(err, &exit):
		return exit.ExitCode()
	case err != nil:
		fmt.Fprintln(stderr, "autotrace go:", err)
		return exitUsage
	}
	return exitOK
}
