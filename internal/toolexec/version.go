package toolexec

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"runtime/debug"
	"strings"
)

// Version is autotrace's module version, "devel" in a development build.
func Version() string {
	if bi, ok := debug.ReadBuildInfo(); ok && bi.Main.Version != "" && bi.Main.Version != "(devel)" {
		return bi.Main.Version
	}
	return "devel"
}

// versionFull answers compile -V=full, which the go command uses as the
// compiler's identity in its cache keys: the compiler's own line with
// autotrace's version and a hash of everything that changes what it
// writes (its options and binary, the main modules, the runtime).
func versionFull(opts Options, tool string) int {
	s, err := startSession(opts, tool)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	os.Stdout.WriteString(s.CompilerID)
	return 0
}

// cachedVersion answers -V=full for another tool (asm, cgo, link) from
// autotrace's cache while the tool's binary is unchanged: the go command
// asks on every build, and a warm build should cost little more than a
// plain one.
func cachedVersion(tool string) int {
	return cachedAnswer(os.Stdout, os.Stderr, tool, []string{"-V=full"}, hashGoEnv)
}

// cachedCCIdentity answers the C compiler's "CC -### -x LANG -c -", which
// the go command asks on every build with cgo in it, from autotrace's
// cache while the compiler's binary and the whole environment (locale and
// GCC_* variables change what it prints) are unchanged. The go command
// hashes the compiler proper (cc1) named in the answer itself.
func cachedCCIdentity(tool string, args []string) int {
	return cachedAnswer(os.Stdout, os.Stderr, tool, args, func(h io.Writer) {
		hashEnv(h, func(kv string) bool { return !strings.HasPrefix(kv, "TOOLEXEC_IMPORTPATH=") })
		wd, _ := os.Getwd()
		fmt.Fprintln(h, wd)
	})
}

// cachedAnswer prints to stdout and stderr what tool printed for args the
// last time it was asked with the same environment (as hashEnv writes it)
// and the same binary, or runs it and remembers what it printed when it
// succeeds. It returns the exit status.
func cachedAnswer(stdout, stderr io.Writer, tool string, args []string, hashEnv func(io.Writer)) int {
	type entry struct {
		Tool           stamp
		Stdout, Stderr string
	}
	path := tool
	if !filepath.IsAbs(path) {
		if p, err := exec.LookPath(tool); err == nil {
			path = p
		}
	}
	if p, err := filepath.EvalSymlinks(path); err == nil {
		path = p
	}
	h := sha256.New()
	fmt.Fprintf(h, "%s\n%q\n", tool, args)
	hashEnv(h)
	file := filepath.Join(cacheDir(), "answer-"+hex.EncodeToString(h.Sum(nil))[:24]+".json")
	st := stampOf(path)
	var e entry
	if data, err := os.ReadFile(file); err == nil && json.Unmarshal(data, &e) == nil && e.Tool == st && st.Size >= 0 {
		io.WriteString(stdout, e.Stdout)
		io.WriteString(stderr, e.Stderr)
		return 0
	}
	var out, errOut bytes.Buffer
	cmd := exec.Command(tool, args...)
	cmd.Stdin, cmd.Stdout, cmd.Stderr = os.Stdin, &out, &errOut
	err := cmd.Run()
	stdout.Write(out.Bytes())
	stderr.Write(errOut.Bytes())
	if err != nil {
		var exit *exec.ExitError
		if errors.As(err, &exit) && exit.ExitCode() > 0 {
			return exit.ExitCode()
		}
		fmt.Fprintf(stderr, "autotrace: %s: %v\n", tool, err)
		return 1
	}
	writeJSON(file, entry{st, out.String(), errOut.String()})
	return 0
}

func toolVersion(tool string) (string, error) {
	cmd := exec.Command(tool, "-V=full")
	cmd.Stderr = os.Stderr
	out, err := cmd.Output()
	if err != nil {
		return "", fmt.Errorf("autotrace: %s -V=full: %v", tool, err)
	}
	return string(out), nil
}

// buildTag is what versionFull adds to the compiler's identity.
func buildTag(opts Options, s *session) string {
	return Version() + ":" + optionsHash(opts, s)
}

// optionsHash identifies what autotrace would write: its own binary, its
// options, the main modules (which packages it selects by default) and the
// runtime. The working directory counts only when a -pkgs pattern is
// relative to it.
func optionsHash(opts Options, s *session) string {
	h := sha256.New()
	fmt.Fprintf(h, "toolexec 1\n%s\n%s\nall=%v\npkgs=%q\nrules=%q\n%s\n", Version(), exeIdentity(), opts.All, opts.Pkgs, opts.Rules, s.key())
	for _, p := range opts.Pkgs {
		if strings.HasPrefix(p, ".") {
			fmt.Fprintf(h, "cwd=%s\n", s.Cwd)
			break
		}
	}
	return hex.EncodeToString(h.Sum(nil))[:16]
}

// tagVersion adds "autotrace=TAG" to a tool's -V=full line in a way the
// go command keys on. For a release toolchain the key is the whole line,
// so the tag goes at its end. For a development toolchain the key is the
// content part of the final buildID=, so the tag goes before that field
// and into it.
func tagVersion(line []byte, tag string) []byte {
	s := strings.TrimRight(string(line), "\r\n")
	f := strings.Fields(s)
	if len(f) >= 3 && strings.Contains(f[2], "devel") && strings.HasPrefix(f[len(f)-1], "buildID=") {
		last := f[len(f)-1]
		i := strings.LastIndex(s, last)
		return []byte(s[:i] + "autotrace=" + tag + " " + last + ".autotrace-" + strings.ReplaceAll(tag, ":", "-") + "\n")
	}
	var b bytes.Buffer
	b.WriteString(s)
	b.WriteString(" autotrace=" + tag + "\n")
	return b.Bytes()
}
