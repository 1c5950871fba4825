//go:build unix

package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"

	"github.com/rogpeppe/go-internal/testscript"
)

// cmdAsNobody runs a command as an unprivileged user, for the checks root
// cannot make (root may write any file):
//
//	as-nobody autotrace ARGS...
//
// Run by root, it runs a copy of this test binary (which is autotrace
// under that name) as user nobody (65534), with the work directory and
// its parents made reachable and a build cache of its own; run by anyone
// else, it runs the command as that user. Its output is the script's
// stdout and stderr, and ! expects it to fail.
func cmdAsNobody(ts *testscript.TestScript, neg bool, args []string) {
	if len(args) < 1 || args[0] != "autotrace" {
		ts.Fatalf("usage: as-nobody autotrace ARGS...")
	}
	self, err := os.Executable()
	ts.Check(err)
	bin := self
	var cred *syscall.Credential
	if os.Geteuid() == 0 {
		dir, err := os.MkdirTemp("", "as-nobody-")
		ts.Check(err)
		ts.Defer(func() { os.RemoveAll(dir) })
		ts.Check(os.Chmod(dir, 0o755))
		bin = filepath.Join(dir, "autotrace")
		copyFile(ts, self, bin)
		work := ts.Getenv("WORK")
		for d := work; strings.HasPrefix(d, os.TempDir()) && d != os.TempDir(); d = filepath.Dir(d) {
			fi, err := os.Stat(d)
			ts.Check(err)
			ts.Check(os.Chmod(d, fi.Mode().Perm()|0o005)) // others may enter and list
		}
		cred = &syscall.Credential{Uid: 65534, Gid: 65534}
	}
	cache := ts.MkAbs(".nobody-cache")
	ts.Check(os.MkdirAll(cache, 0o777))
	ts.Check(os.Chmod(cache, 0o777))
	cmd := exec.Command(bin, args[1:]...)
	cmd.Dir = ts.MkAbs(".")
	cmd.Env = append(os.Environ(), "PWD="+cmd.Dir, "HOME="+cache, "GOCACHE="+filepath.Join(cache, "go-build"), "GOFLAGS=-mod=mod")
	for _, k := range []string{"PATH", "GOROOT", "GOMODCACHE", "GOPROXY", "GONOSUMDB", "GOTOOLCHAIN", "AUTOTRACE_ROOT"} {
		cmd.Env = append(cmd.Env, k+"="+ts.Getenv(k))
	}
	cmd.SysProcAttr = &syscall.SysProcAttr{Credential: cred}
	var stdout, stderr strings.Builder
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	err = cmd.Run()
	ts.Stdout().Write([]byte(stdout.String()))
	ts.Stderr().Write([]byte(stderr.String()))
	ts.Logf("as-nobody: %v", err)
	if err != nil && !neg {
		ts.Fatalf("as-nobody %s: %v\n%s", strings.Join(args, " "), err, stderr.String())
	}
	if err == nil && neg {
		ts.Fatalf("as-nobody %s: unexpected success", strings.Join(args, " "))
	}
}

func copyFile(ts *testscript.TestScript, from, to string) {
	data, err := os.ReadFile(from)
	ts.Check(err)
	ts.Check(os.WriteFile(to, data, 0o755))
}
