package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"runtime"

	"github.com/autotrace/autotrace/internal/toolexec"
)

// exporterPkg is the program behind autotrace export. It is a command of
// its own because it needs net/http: linked in here, net makes this binary
// dynamically linked (cgo's resolver) and its start twice as slow, and the
// go command starts autotrace four times per -toolexec build, warm or not
// (see B1 in docs/performance.md).
const exporterPkg = "github.com/autotrace/autotrace/cmd/autotrace-export"

// cmdExport runs autotrace-export with args: the one installed next to
// this binary or on PATH, else one the go command builds (and caches) at
// this binary's module version.
func cmdExport(args []string, stdout, stderr io.Writer) int {
	// Usage errors are found here, before the exporter runs (and maybe
	// is built), and answered with the help table's text.
	fs := exportFlagSet()
	fs.SetOutput(stderr)
	fs.Usage = func() { printUsage(stderr, lookup("export")) }
	if err := fs.Parse(args); err != nil {
		return exitUsage
	}
	if fs.NArg() == 0 {
		fmt.Fprintln(stderr, "autotrace export: no trace files")
		fs.Usage()
		return exitUsage
	}
	prog, cleanup, err := exporterProgram(stderr)
	if err != nil {
		fmt.Fprintf(stderr, "autotrace export: %v\n", err)
		return exitFailed
	}
	defer cleanup()
	cmd := exec.Command(prog, args...)
	cmd.Stdin, cmd.Stdout, cmd.Stderr = os.Stdin, stdout, stderr
	// An interrupt reaches the exporter too (same process group); it
	// reports what it sent and exits, and so do we after it.
	signal.Ignore(os.Interrupt)
	err = cmd.Run()
	var exit *exec.ExitError
	switch {
	case err == nil:
		return exitOK
	case errors.As(err, &exit) && exit.ExitCode() > 0:
		return exit.ExitCode()
	default:
		fmt.Fprintf(stderr, "autotrace export: %v\n", err)
		return exitFailed
	}
}

// exportFlagSet has the flags of autotrace-export (cmd/autotrace-export),
// for checking and for help.
func exportFlagSet() *flag.FlagSet {
	fs := flag.NewFlagSet("export", flag.ContinueOnError)
	fs.String("endpoint", "", "collector base `URL` (default: OTEL_EXPORTER_OTLP_TRACES_ENDPOINT,\nOTEL_EXPORTER_OTLP_ENDPOINT, else http://127.0.0.1:4318)")
	fs.String("service", "", "service.name of every process, `NAME` (default: OTEL_SERVICE_NAME,\nelse the program named in each process record)")
	return fs
}

// exitFailed is export's status when the endpoint did not take the spans.
const exitFailed = 1

// exporterProgram returns the path of the exporter and what to do once
// it has run; the go command's messages, when it builds one, go to stderr.
func exporterProgram(stderr io.Writer) (string, func(), error) {
	name := "autotrace-export"
	if runtime.GOOS == "windows" {
		name += ".exe"
	}
	if exe, err := os.Executable(); err == nil {
		if p := filepath.Join(filepath.Dir(exe), name); isFile(p) {
			return p, func() {}, nil
		}
	}
	if p, err := exec.LookPath(name); err == nil {
		return p, func() {}, nil
	}
	dir, err := os.MkdirTemp("", "autotrace-export")
	if err != nil {
		return "", nil, err
	}
	cleanup := func() { os.RemoveAll(dir) }
	prog := filepath.Join(dir, name)
	pkg := exporterPkg
	// A released autotrace installs its own version's exporter, inside a
	// module or not; a development build builds the one the current
	// module requires.
	build := exec.Command("go", "build", "-o", prog, pkg)
	build.Env = toolexec.NestedEnv() // a GOFLAGS=-toolexec=autotrace build of its own would be pointless
	if v := toolexec.Version(); v != "devel" {
		pkg += "@" + v
		build = exec.Command("go", "install", pkg)
		build.Env = append(toolexec.NestedEnv(), "GOBIN="+dir)
	}
	build.Stderr = stderr
	if err := build.Run(); err != nil {
		cleanup()
		return "", nil, fmt.Errorf("building %s: %v (install it with: go install %s)", pkg, err, pkg)
	}
	return prog, cleanup, nil
}

func isFile(p string) bool {
	fi, err := os.Stat(p)
	return err == nil && fi.Mode().IsRegular()
}
