package toolexec

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"

	"github.com/autotrace/autotrace/rewrite"
)

// exportList is the runtime package and everything it imports, with the
// export data files go list -export built for them.
type exportList struct {
	Packages []exportPkg
}

type exportPkg struct {
	ImportPath string
	Export     string
}

func (l *exportList) has(path string) bool { return l.export(path) != "" }

func (l *exportList) export(path string) string {
	for _, p := range l.Packages {
		if p.ImportPath == path {
			return p.Export
		}
	}
	return ""
}

// runtimeExports builds the runtime with a nested go list -export -deps
// and returns the export data of it and everything it imports. The nested
// go command runs with the guard set, so autotrace passes every tool
// through and never recurses, but under the outer build's compiler
// identity (compilerIDEnv): the standard library packages both builds
// need, which the outer build has mostly compiled by the time its first
// instrumented package asks for the runtime, are compiled once. (A plain
// identity would share them with plain builds instead, and make a cold
// instrumented build compile the runtime's whole closure twice.)
//
// The answer is kept in autotrace's cache directory, keyed by everything
// that decides it, and reused while the files it names are in the build
// cache: a warm build runs no nested go command.
func runtimeExports(goBin string, s *session, flags []string) (*exportList, error) {
	flags = append(goBuildFlags(processArgs(goProcess())), flags...)
	if s == nil {
		return listExports(goBin, nil, flags)
	}
	if s.Runtime.Err != "" {
		return nil, RuntimeMissing(s.Runtime.Err)
	}
	h := sha256.New()
	fmt.Fprintf(h, "%s\n%s\n%q\n%s\n%s\n", s.key(), s.ToolVersion, flags, goBin, s.CompilerID)
	hashGoEnv(h)
	fmt.Fprintf(h, "CC=%s\n", os.Getenv("CC"))
	cache := filepath.Join(cacheDir(), "runtime-"+hex.EncodeToString(h.Sum(nil))[:32]+".json")
	if l, ok := readExports(cache); ok {
		return l, nil
	}
	unlock := lockFile(cache + ".lock")
	defer unlock()
	if l, ok := readExports(cache); ok {
		return l, nil
	}
	l, err := listExports(goBin, s, flags)
	if err != nil {
		return nil, err
	}
	writeJSON(cache, l)
	return l, nil
}

// readExports returns a cached list whose files all still exist.
func readExports(path string) (*exportList, bool) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, false
	}
	l := new(exportList)
	if json.Unmarshal(data, l) != nil || !l.has(rewrite.RuntimePath) {
		return nil, false
	}
	for _, p := range l.Packages {
		if _, err := os.Stat(p.Export); err != nil && p.Export != "" {
			return nil, false
		}
	}
	return l, true
}

// RuntimeMissing turns the go command's complaint about building the
// runtime package into an error that says how to fix it. Toolexec and gen
// both give it.
func RuntimeMissing(msg string) error {
	if strings.Contains(msg, "-mod=vendor") || strings.Contains(msg, "vendor/modules.txt") {
		return fmt.Errorf("%s, which the instrumented code calls, is not in vendor/ (the build uses -mod=vendor): require github.com/autotrace/autotrace, import its runtime from a file (e.g. a //go:build tools file with import _ %q) and run `go mod vendor`", rewrite.RuntimePath, rewrite.RuntimePath)
	}
	if strings.Contains(msg, "no required module provides") || strings.Contains(msg, "but not required") || strings.Contains(msg, "cannot find module") {
		return fmt.Errorf("the main module does not require github.com/autotrace/autotrace, whose runtime the instrumented code calls; run `go get github.com/autotrace/autotrace` in it (go mod tidy drops the requirement unless a file imports the runtime, e.g. a //go:build tools file)")
	}
	msg, _, _ = strings.Cut(strings.TrimSpace(msg), "\n")
	return fmt.Errorf("cannot build %s, which the instrumented code calls (%s); `go get github.com/autotrace/autotrace` in the main module may fix it", rewrite.RuntimePath, msg)
}

func listExports(goBin string, s *session, flags []string) (*exportList, error) {
	args := append([]string{"list", "-export", "-deps", "-json=ImportPath,Export,Error,DepsErrors"}, flags...)
	env := NestedEnv()
	if s != nil && s.CompilerID != "" {
		if self, err := os.Executable(); err == nil {
			args = append(args, "-toolexec="+quoteArg(self))
			env = append(env, compilerIDEnv+"="+s.CompilerID)
		}
	}
	cmd := exec.Command(goBin, append(args, rewrite.RuntimePath)...)
	if s != nil {
		cmd.Dir = s.Cwd
	}
	cmd.Env = env
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		msg := strings.TrimSpace(stderr.String())
		if msg == "" {
			msg = err.Error()
		}
		return nil, RuntimeMissing(msg)
	}
	l := &exportList{}
	dec := json.NewDecoder(bytes.NewReader(out))
	for {
		var p struct {
			ImportPath, Export string
			Error              *struct{ Err string }
		}
		if err := dec.Decode(&p); err == io.EOF {
			break
		} else if err != nil {
			return nil, fmt.Errorf("go list -export: %v", err)
		}
		if p.Error != nil {
			return nil, RuntimeMissing(p.ImportPath + ": " + p.Error.Err)
		}
		if p.Export == "" && p.ImportPath != "unsafe" {
			return nil, fmt.Errorf("go list -export: no export data for %s", p.ImportPath)
		}
		l.Packages = append(l.Packages, exportPkg{p.ImportPath, p.Export})
	}
	if !l.has(rewrite.RuntimePath) {
		return nil, fmt.Errorf("go list -export: no export data for %s", rewrite.RuntimePath)
	}
	return l, nil
}

// quoteArg quotes a path for a go command flag whose value is split at
// spaces, with quotes around a field and no escapes.
func quoteArg(s string) string {
	switch {
	case !strings.ContainsAny(s, " \t\n'\""):
		return s
	case !strings.Contains(s, "'"):
		return "'" + s + "'"
	}
	return `"` + s + `"`
}

// withRuntimeImport returns args with an import configuration that also
// lists the runtime, written into genDir, unless c's (cfg, read from
// cfgData) already does.
func withRuntimeImport(c *compileCmd, args []string, cfg *importcfg, cfgData []byte, goBin string, s *session, genDir string) ([]string, error) {
	if _, ok := cfg.packages[rewrite.RuntimePath]; ok {
		return args, nil
	}
	ex, err := runtimeExports(goBin, s, c.flags)
	if err != nil {
		return nil, err
	}
	newCfg := filepath.Join(genDir, "importcfg")
	data := append(append([]byte(nil), cfgData...), "\npackagefile "+rewrite.RuntimePath+"="+ex.export(rewrite.RuntimePath)+"\n"...)
	if err := os.WriteFile(newCfg, data, 0o644); err != nil {
		return nil, err
	}
	if args[c.cfgIdx] == "-importcfg" {
		args[c.cfgIdx+1] = newCfg
	} else {
		args[c.cfgIdx] = "-importcfg=" + newCfg
	}
	return args, nil
}
