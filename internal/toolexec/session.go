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
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/autotrace/autotrace/rewrite"
)

// A session is what one go command is building, as far as autotrace cares:
// the main modules, which select the packages to instrument by default,
// and the runtime package the module would link. The go command asks
// compile -V=full once, from its own working directory, before it
// compiles anything; autotrace computes the session then and leaves it
// where the compiles, which run in the packages' directories, find it: a
// file named after the go command's process id.
type session struct {
	Cwd     string
	Modules []module
	Runtime runtimeInfo
	Stamps  []stamp // files whose change makes a cached session stale

	ToolVersion string // the compiler's own -V=full answer
}

type module struct {
	Path, Dir, GoMod string
}

// runtimeInfo identifies the runtime package the main module resolves.
type runtimeInfo struct {
	Dir     string
	Version string // module version, or the directory it is replaced by
	Hash    string // of its source files
	Err     string // why it cannot be built, e.g. the module does not require autotrace
}

type stamp struct {
	Path string
	Size int64 // -1: missing
	Mod  int64
}

func stampOf(path string) stamp {
	fi, err := os.Stat(path)
	if err != nil {
		return stamp{Path: path, Size: -1}
	}
	return stamp{path, fi.Size(), fi.ModTime().UnixNano()}
}

func (s *session) fresh() bool {
	for _, st := range s.Stamps {
		if stampOf(st.Path) != st {
			return false
		}
	}
	return true
}

// key hashes everything about the session that changes what autotrace
// would write, for the build cache.
func (s *session) key() string {
	h := sha256.New()
	for _, m := range s.Modules {
		fmt.Fprintf(h, "module %s %s\n", m.Path, m.Dir)
	}
	fmt.Fprintf(h, "runtime %s %s %s\n", s.Runtime.Version, s.Runtime.Hash, s.Runtime.Err)
	return hex.EncodeToString(h.Sum(nil))
}

// stateDir holds autotrace's per-process session files.
func stateDir() string {
	return filepath.Join(os.TempDir(), "autotrace-toolexec-"+strconv.Itoa(os.Getuid()))
}

func sessionFile(pid int) string {
	return filepath.Join(stateDir(), "go-"+strconv.Itoa(pid)+".json")
}

// startSession computes (or reuses) the session for the go command that
// is our parent and publishes it for the compiles to come.
func startSession(tool string) (*session, error) {
	cwd, err := os.Getwd()
	if err != nil {
		return nil, err
	}
	goBin := goBinary(tool)
	cache := persistentFile(tool, cwd)
	var s *session
	if data, err := os.ReadFile(cache); err == nil {
		s = new(session)
		if json.Unmarshal(data, s) != nil || !s.fresh() {
			s = nil
		}
	}
	if s == nil {
		if s, err = computeSession(goBin, cwd); err != nil {
			return nil, err
		}
		if s.ToolVersion, err = toolVersion(tool); err != nil {
			return nil, err
		}
		s.Stamps = append(s.Stamps, stampOf(tool))
		writeJSON(cache, s)
	}
	os.MkdirAll(stateDir(), 0o700)
	cleanStale(stateDir())
	if err := writeJSON(sessionFile(goProcess()), s); err != nil {
		return nil, err
	}
	return s, nil
}

// loadSession returns the session our go command published, or nil.
func loadSession() *session {
	data, err := os.ReadFile(sessionFile(goProcess()))
	if err != nil {
		return nil
	}
	s := new(session)
	if json.Unmarshal(data, s) != nil {
		return nil
	}
	return s
}

// persistentFile is where the session for this directory and environment
// is cached across go commands, so a warm build costs a few stats.
func persistentFile(tool, cwd string) string {
	dir, err := os.UserCacheDir()
	if err != nil {
		dir = os.TempDir()
	}
	h := sha256.New()
	fmt.Fprintln(h, tool, cwd, exeIdentity())
	for _, k := range []string{"GOFLAGS", "GOWORK", "GO111MODULE", "GOOS", "GOARCH", "GOPATH", "GOMODCACHE", "GOTOOLCHAIN", "GOPROXY", "GONOSUMDB", "GOPRIVATE"} {
		fmt.Fprintf(h, "%s=%s\n", k, os.Getenv(k))
	}
	return filepath.Join(dir, "autotrace", "toolexec", hex.EncodeToString(h.Sum(nil))[:32]+".json")
}

func computeSession(goBin, cwd string) (*session, error) {
	s := &session{Cwd: cwd}
	var wg sync.WaitGroup
	var modErr error
	wg.Add(2)
	go func() {
		defer wg.Done()
		s.Modules, modErr = mainModules(goBin, cwd)
	}()
	go func() {
		defer wg.Done()
		s.Runtime = findRuntime(goBin, cwd)
	}()
	wg.Wait()
	if modErr != nil {
		return nil, modErr
	}
	for dir := cwd; ; dir = filepath.Dir(dir) {
		s.Stamps = append(s.Stamps, stampOf(filepath.Join(dir, "go.mod")), stampOf(filepath.Join(dir, "go.work")))
		if filepath.Dir(dir) == dir {
			break
		}
	}
	for _, m := range s.Modules {
		if m.GoMod != "" {
			s.Stamps = append(s.Stamps, stampOf(m.GoMod), stampOf(filepath.Join(filepath.Dir(m.GoMod), "go.sum")))
		}
	}
	if s.Runtime.Dir != "" {
		s.Stamps = append(s.Stamps, stampOf(s.Runtime.Dir))
		entries, _ := os.ReadDir(s.Runtime.Dir)
		for _, e := range entries {
			s.Stamps = append(s.Stamps, stampOf(filepath.Join(s.Runtime.Dir, e.Name())))
		}
	}
	return s, nil
}

// mainModules lists the main modules (several in a workspace, none
// outside a module).
func mainModules(goBin, cwd string) ([]module, error) {
	cmd := exec.Command(goBin, "list", "-m", "-json")
	cmd.Dir, cmd.Env = cwd, nestedEnv()
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		// Outside a module (GOPATH mode, a go.mod-less directory) nothing
		// is selected by default.
		return nil, nil
	}
	var mods []module
	dec := json.NewDecoder(bytes.NewReader(out))
	for {
		var m struct {
			Path, Dir, GoMod string
			Main             bool
		}
		if err := dec.Decode(&m); err == io.EOF {
			break
		} else if err != nil {
			return nil, fmt.Errorf("autotrace: go list -m: %v", err)
		}
		if m.Main && m.Dir != "" {
			mods = append(mods, module{m.Path, m.Dir, m.GoMod})
		}
	}
	return mods, nil
}

// findRuntime locates the runtime package without building anything.
func findRuntime(goBin, cwd string) runtimeInfo {
	cmd := exec.Command(goBin, "list", "-e", "-find", "-json=Dir,GoFiles,SFiles,Module,Error", rewrite.RuntimePath)
	cmd.Dir, cmd.Env = cwd, nestedEnv()
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		return runtimeInfo{Err: firstLine(stderr.String(), err)}
	}
	var p struct {
		Dir             string
		GoFiles, SFiles []string
		Module          *struct {
			Version string
			Replace *struct{ Path, Version string }
		}
		Error *struct{ Err string }
	}
	if err := json.Unmarshal(out, &p); err != nil {
		return runtimeInfo{Err: err.Error()}
	}
	if p.Error != nil {
		return runtimeInfo{Err: p.Error.Err}
	}
	info := runtimeInfo{Dir: p.Dir}
	if m := p.Module; m != nil {
		info.Version = m.Version
		if m.Replace != nil {
			info.Version += " => " + m.Replace.Path + " " + m.Replace.Version
		}
	}
	h := sha256.New()
	for _, f := range append(p.GoFiles, p.SFiles...) {
		data, err := os.ReadFile(filepath.Join(p.Dir, f))
		if err != nil {
			return runtimeInfo{Err: err.Error()}
		}
		fmt.Fprintf(h, "%s %d\n", f, len(data))
		h.Write(data)
	}
	info.Hash = hex.EncodeToString(h.Sum(nil))
	return info
}

func firstLine(s string, err error) string {
	if i := bytes.IndexByte([]byte(s), '\n'); i >= 0 {
		s = s[:i]
	}
	if s == "" {
		return err.Error()
	}
	return s
}

// exeIdentity names this autotrace binary: a rebuilt one is another
// rewriter and must not reuse what the last one compiled.
func exeIdentity() string {
	exe, err := os.Executable()
	if err != nil {
		return "?"
	}
	fi, err := os.Stat(exe)
	if err != nil {
		return exe
	}
	return fmt.Sprintf("%s %d %d", exe, fi.Size(), fi.ModTime().UnixNano())
}

// writeJSON writes v to path atomically, creating the directory.
func writeJSON(path string, v any) error {
	data, err := json.Marshal(v)
	if err != nil {
		return err
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return err
	}
	tmp, err := os.CreateTemp(filepath.Dir(path), ".tmp-*")
	if err != nil {
		return err
	}
	_, err = tmp.Write(data)
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(tmp.Name(), path)
	}
	if err != nil {
		os.Remove(tmp.Name())
	}
	return err
}

// cleanStale removes session files of go commands long gone.
func cleanStale(dir string) {
	entries, err := os.ReadDir(dir)
	if err != nil || len(entries) < 64 {
		return
	}
	for _, e := range entries {
		if fi, err := e.Info(); err == nil && time.Since(fi.ModTime()) > 24*time.Hour {
			os.Remove(filepath.Join(dir, e.Name()))
		}
	}
}

// inMainModule reports whether an import path is one of the main modules'.
func (s *session) inMainModule(path string) bool {
	if s == nil {
		return false
	}
	for _, m := range s.Modules {
		if path == m.Path || strings.HasPrefix(path, m.Path+"/") {
			return true
		}
	}
	return false
}
