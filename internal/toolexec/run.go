package toolexec

import (
	"errors"
	"fmt"
	"os"
	"os/exec"
	"strings"
)

// depthEnv marks the environment of go commands autotrace runs itself:
// an autotrace started under one passes every tool through unchanged, so
// the wrapper never recurses.
const depthEnv = "AUTOTRACE_TOOLEXEC_DEPTH"

// compilerIDEnv, in the nested go command that builds the runtime (see
// runtimeExports), is the compiler identity of the build that started it.
// autotrace answers that build's compile -V=full with it and passes every
// other tool invocation through: the packages both builds compile (most
// of the standard library) then have the same cache keys and are compiled
// once, not once per build.
const compilerIDEnv = "AUTOTRACE_TOOLEXEC_COMPILER_ID"

// Main runs one tool invocation of a go build -toolexec=autotrace.
func Main(opts Options, tool string, args []string) int {
	if os.Getenv(depthEnv) != "" {
		if id := os.Getenv(compilerIDEnv); id != "" && toolName(tool) == "compile" && len(args) == 1 && args[0] == "-V=full" {
			os.Stdout.WriteString(id)
			return 0
		}
		return run(tool, args)
	}
	if len(args) == 1 && args[0] == "-V=full" {
		// The go command asks every tool it uses for its identity on
		// every build, warm or not: answer without starting the tool.
		if toolName(tool) == "compile" {
			return versionFull(opts, tool)
		}
		// Other tools keep their own identity, the linker's too: the
		// entries linkArgs adds are never read by a program without
		// instrumented packages, and one with them has other inputs.
		return cachedVersion(tool)
	}
	if len(args) > 0 && args[0] == "-###" {
		return cachedCCIdentity(tool, args)
	}
	var err error
	switch toolName(tool) {
	case "compile":
		args, err = compileArgs(opts, tool, args)
	case "link":
		args, err = linkArgs(tool, args)
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	return run(tool, args)
}

// run runs tool with args, stdin, stdout and stderr, and returns its exit
// status; where it can, it becomes the tool (see exec_unix.go).
func run(tool string, args []string) int {
	if err := execve(tool, args); err != nil {
		fmt.Fprintf(os.Stderr, "autotrace: %v\n", err)
		return 1
	}
	cmd := exec.Command(tool, args...)
	cmd.Stdin, cmd.Stdout, cmd.Stderr = os.Stdin, os.Stdout, os.Stderr
	err := cmd.Run()
	var exit *exec.ExitError
	switch {
	case err == nil:
		return 0
	case errors.As(err, &exit):
		return exit.ExitCode()
	default:
		fmt.Fprintf(os.Stderr, "autotrace: %v\n", err)
		return 1
	}
}

// NestedEnv is the environment for a go command autotrace runs (here, and
// go/packages in gen mode): no -toolexec in GOFLAGS, and the guard set, so
// the nested command can never re-enter autotrace.
func NestedEnv() []string {
	var out []string
	for _, kv := range os.Environ() {
		if v, ok := strings.CutPrefix(kv, "GOFLAGS="); ok {
			var keep []string
			for _, f := range strings.Fields(v) {
				if !strings.HasPrefix(f, "-toolexec") && !strings.HasPrefix(f, "--toolexec") {
					keep = append(keep, f)
				}
			}
			kv = "GOFLAGS=" + strings.Join(keep, " ")
		}
		if strings.HasPrefix(kv, depthEnv+"=") || strings.HasPrefix(kv, compilerIDEnv+"=") || strings.HasPrefix(kv, "TOOLEXEC_IMPORTPATH=") {
			continue
		}
		out = append(out, kv)
	}
	return append(out, depthEnv+"=1")
}

func fileExists(p string) bool {
	_, err := os.Stat(p)
	return err == nil
}
