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
// go command runs without -toolexec and with the guard set, so it never
// runs autotrace: the runtime and the standard library it imports are
// compiled as a plain build would, and shared through the build cache
// with plain builds and with instrumented builds of any options. (Giving
// the nested build the outer build's compiler identity instead would
// share the standard library with the outer build, a gain only in a cold
// cache, at the price of recompiling the runtime's dependencies for every
// set of options.)
//
// The answer is kept in autotrace's cache directory, keyed by everything
// that decides it, and reused while the files it names are in the build
// cache: a warm build runs no nested go command.
func runtimeExports(goBin string, s *session, flags []string) (*exportList, error) {
	if s == nil {
		return listExports(goBin, nil, flags)
	}
	if s.Runtime.Err != "" {
		return nil, runtimeMissing(s.Runtime.Err)
	}
	h := sha256.New()
	fmt.Fprintf(h, "%s\n%s\n%q\n%s\n", s.key(), s.ToolVersion, flags, goBin)
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

func runtimeMissing(msg string) error {
	if strings.Contains(msg, "no required module provides") || strings.Contains(msg, "but not required") || strings.Contains(msg, "cannot find module") {
		return fmt.Errorf("the main module does not require github.com/autotrace/autotrace, whose runtime the instrumented code calls; run `go get github.com/autotrace/autotrace` in it (go mod tidy drops the requirement unless a file imports the runtime, e.g. a //go:build tools file)")
	}
	msg, _, _ = strings.Cut(strings.TrimSpace(msg), "\n")
	return fmt.Errorf("cannot build %s, which the instrumented code calls (%s); `go get github.com/autotrace/autotrace` in the main module may fix it", rewrite.RuntimePath, msg)
}

func listExports(goBin string, s *session, flags []string) (*exportList, error) {
	args := append([]string{"list", "-export", "-deps", "-json=ImportPath,Export,Error,DepsErrors"}, flags...)
	cmd := exec.Command(goBin, append(args, rewrite.RuntimePath)...)
	if s != nil {
		cmd.Dir = s.Cwd
	}
	cmd.Env = NestedEnv()
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		msg := strings.TrimSpace(stderr.String())
		if msg == "" {
			msg = err.Error()
		}
		return nil, runtimeMissing(msg)
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
			return nil, runtimeMissing(p.ImportPath + ": " + p.Error.Err)
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
