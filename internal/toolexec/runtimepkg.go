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
	"strings"

	"github.com/autotrace/autotrace/rewrite"
)

// exportList is the runtime package and everything it imports, with the
// export data files go list -export built for them.
type exportList struct {
	Packages []exportPkg
	Err      string
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

// runtimeExports builds the runtime with a nested go list -export -deps,
// once per build (the answer is kept in $WORK) and per set of flags that
// change object files (-race, -msan, -asan, -trimpath). The nested go
// command runs without -toolexec and with the guard set, so it never runs
// autotrace, and the runtime is compiled as written, as a plain build
// would: its objects and those of the standard library it needs are
// shared with plain builds through the build cache, and compiled once
// whatever autotrace's options.
func runtimeExports(goBin string, s *session, work string, flags []string) (*exportList, error) {
	if s != nil && s.Runtime.Err != "" {
		return nil, runtimeMissing(s.Runtime.Err)
	}
	h := sha256.Sum256([]byte(strings.Join(flags, " ")))
	cache := filepath.Join(work, "autotrace-runtime-"+hex.EncodeToString(h[:8])+".json")
	if l, ok := readExports(cache); ok {
		return l, listErr(l)
	}
	unlock := lockFile(cache + ".lock")
	defer unlock()
	if l, ok := readExports(cache); ok {
		return l, listErr(l)
	}
	l := listExports(goBin, s, flags)
	if err := writeJSON(cache, l); err != nil {
		return nil, err
	}
	return l, listErr(l)
}

func readExports(path string) (*exportList, bool) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, false
	}
	l := new(exportList)
	if json.Unmarshal(data, l) != nil {
		return nil, false
	}
	return l, true
}

func listErr(l *exportList) error {
	if l.Err != "" {
		return errors.New(l.Err)
	}
	return nil
}

func runtimeMissing(msg string) error {
	if strings.Contains(msg, "no required module provides") || strings.Contains(msg, "but not required") || strings.Contains(msg, "cannot find module") {
		return fmt.Errorf("the main module does not require github.com/autotrace/autotrace, whose runtime the instrumented code calls; run `go get github.com/autotrace/autotrace` in it (go mod tidy drops the requirement unless a file imports the runtime, e.g. a //go:build tools file)")
	}
	msg, _, _ = strings.Cut(strings.TrimSpace(msg), "\n")
	return fmt.Errorf("cannot build %s, which the instrumented code calls (%s); `go get github.com/autotrace/autotrace` in the main module may fix it", rewrite.RuntimePath, msg)
}

func listExports(goBin string, s *session, flags []string) *exportList {
	args := append([]string{"list", "-export", "-deps", "-json=ImportPath,Export,Error,DepsErrors"}, flags...)
	cmd := exec.Command(goBin, append(args, rewrite.RuntimePath)...)
	if s != nil {
		cmd.Dir = s.Cwd
	}
	cmd.Env = nestedEnv()
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		msg := strings.TrimSpace(stderr.String())
		if msg == "" {
			msg = err.Error()
		}
		return &exportList{Err: runtimeMissing(msg).Error()}
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
			return &exportList{Err: "go list -export: " + err.Error()}
		}
		if p.Error != nil {
			return &exportList{Err: p.ImportPath + ": " + p.Error.Err}
		}
		if p.Export == "" && p.ImportPath != "unsafe" {
			return &exportList{Err: "go list -export: no export data for " + p.ImportPath}
		}
		l.Packages = append(l.Packages, exportPkg{p.ImportPath, p.Export})
	}
	if !l.has(rewrite.RuntimePath) {
		return &exportList{Err: "go list -export: no export data for " + rewrite.RuntimePath}
	}
	return l
}
