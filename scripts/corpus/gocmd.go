package main

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"os/exec"
	"strings"
	"syscall"
	"time"
)

// cmdTimeout bounds every command but go test, which has its own.
var cmdTimeout = 5 * time.Minute

// goCmd runs go with args in dir, with the runner's clean environment plus
// env, and returns its combined output.
func goCmd(dir string, env []string, args ...string) (string, error) {
	return run(dir, env, cmdTimeout, "go", args...)
}

// run runs name in its own process group, killed as a whole on timeout.
func run(dir string, env []string, timeout time.Duration, name string, args ...string) (string, error) {
	ctx, cancel := context.WithTimeout(context.Background(), timeout)
	defer cancel()
	cmd := exec.CommandContext(ctx, name, args...)
	cmd.Dir = dir
	cmd.Env = append(baseEnv(), env...)
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	cmd.Cancel = func() error { return syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL) }
	cmd.WaitDelay = 10 * time.Second
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	err := cmd.Run()
	if ctx.Err() != nil {
		err = fmt.Errorf("%s %s: timed out after %v", name, strings.Join(args, " "), timeout)
	}
	return out.String(), err
}

// baseEnv is the environment without anything that would change how the
// modules build: no workspace, no inherited GOFLAGS or trace output.
func baseEnv() []string {
	var env []string
	for _, kv := range os.Environ() {
		k, _, _ := strings.Cut(kv, "=")
		switch {
		case k == "GOFLAGS", k == "GOWORK", strings.HasPrefix(k, "AUTOTRACE_"), k == "TRACEPARENT":
			continue
		}
		env = append(env, kv)
	}
	return append(env, "GOWORK=off", "GOFLAGS=-buildvcs=false", "GOTOOLCHAIN=local")
}
