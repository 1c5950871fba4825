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
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/autotrace/autotrace/rewrite"
)

// A session is what one go command is building, as far as autotrace cares:
// where dependencies live (GOROOT, GOMODCACHE), which the packages it
// instruments by default are not, and the runtime package the main module
// would link. The go command asks compile -V=full once, from its own
// working directory, before it compiles anything; autotrace computes the
// session then and leaves it where the compiles, which run in the
// packages' directories, find it: a file named after the go command's
// process id.
type session struct {
	Cwd        string
	GOROOT     string
	GOMODCACHE string
	// Replaced are the directories of modules replaced by local
	// directories (see localReplacements): not instrumented by default.
	Replaced []string `json:",omitempty"`
	Runtime  runtimeInfo
	// Rules are those written in the main modules (see moduleRules).
	Rules  []rewrite.Rule `json:",omitempty"`
	Stamps []stamp        // files whose change makes a cached session stale

	ToolVersion string // the compiler's own -V=full answer
	// CompilerID is autotrace's -V=full answer in this go command: the
	// compiler's identity in its cache keys (see versionFull). It is not
	// part of the persistent cache: it depends on autotrace's options.
	CompilerID string `json:",omitempty"`
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
// would write, for the build cache: the runtime the instrumented code is
// compiled against, and the directories of locally replaced modules,
// which it leaves alone. (Otherwise which packages are instrumented
// depends only on their directories, which the go command's cache keys
// already hold; see selected.)
func (s *session) key() string {
	h := sha256.New()
	fmt.Fprintf(h, "runtime %s %s %s\n", s.Runtime.Version, s.Runtime.Hash, s.Runtime.Err)
	fmt.Fprintf(h, "replaced %q\n", s.Replaced)
	fmt.Fprintf(h, "rules %q\n", rulesKey(s.Rules))
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
// is our parent and publishes it, with the compiler identity autotrace
// gives that command for opts, for the compiles to come.
func startSession(opts Options, tool string) (*session, error) {
	if err := checkRuleSets(opts); err != nil {
		return nil, err
	}
	cwd, err := os.Getwd()
	if err != nil {
		return nil, err
	}
	goBin := goBinary(tool)
	pid := goProcess()
	mod := moduleFlags(processArgs(pid))
	cache := persistentFile(tool, cwd, mod)
	var s *session
	if data, err := os.ReadFile(cache); err == nil {
		s = new(session)
		if json.Unmarshal(data, s) != nil || !s.fresh() {
			s = nil
		}
	}
	if s == nil {
		if s, err = computeSession(goBin, cwd, mod); err != nil {
			return nil, err
		}
		if s.ToolVersion, err = toolVersion(tool); err != nil {
			return nil, err
		}
		s.Stamps = append(s.Stamps, stampOf(tool))
		writeJSON(cache, s)
	}
	s.CompilerID = string(tagVersion([]byte(s.ToolVersion), buildTag(opts, s)))
	os.MkdirAll(stateDir(), 0o700)
	cleanStale(stateDir())
	if err := writeJSON(sessionFile(pid), s); err != nil {
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
func persistentFile(tool, cwd string, mod []string) string {
	h := sha256.New()
	fmt.Fprintln(h, tool, cwd, exeIdentity())
	fmt.Fprintf(h, "%q\n", mod)
	hashGoEnv(h)
	return filepath.Join(cacheDir(), "session-"+hex.EncodeToString(h.Sum(nil))[:32]+".json")
}

func computeSession(goBin, cwd string, mod []string) (*session, error) {
	s := &session{Cwd: cwd}
	var wg sync.WaitGroup
	var env goEnvVars
	var envErr error
	wg.Add(2)
	go func() {
		defer wg.Done()
		env, envErr = goEnv(goBin, cwd)
	}()
	go func() {
		defer wg.Done()
		s.Runtime = findRuntime(goBin, cwd, mod)
	}()
	wg.Wait()
	if envErr != nil {
		return nil, envErr
	}
	s.GOROOT, s.GOMODCACHE = env.GOROOT, env.GOMODCACHE
	var mains, read []string
	s.Replaced, mains, read = modules(env.GOMOD, env.GOWORK)
	for _, f := range read {
		s.Stamps = append(s.Stamps, stampOf(f))
	}
	var ruleStamps []stamp
	s.Rules, ruleStamps = moduleRules(mains, cwd)
	s.Stamps = append(s.Stamps, ruleStamps...)
	for dir := cwd; ; dir = filepath.Dir(dir) {
		s.Stamps = append(s.Stamps, stampOf(filepath.Join(dir, "go.mod")), stampOf(filepath.Join(dir, "go.work")))
		if filepath.Dir(dir) == dir {
			break
		}
	}
	if mod := nearestGoMod(cwd); mod != "" {
		s.Stamps = append(s.Stamps, stampOf(filepath.Join(filepath.Dir(mod), "go.sum")))
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

// goEnvVars is what autotrace asks go env.
type goEnvVars struct{ GOROOT, GOMODCACHE, GOMOD, GOWORK string }

// goEnv returns the go command's GOROOT and GOMODCACHE, and the go.mod
// and go.work files it uses in cwd.
func goEnv(goBin, cwd string) (goEnvVars, error) {
	var env goEnvVars
	cmd := exec.Command(goBin, "env", "-json", "GOROOT", "GOMODCACHE", "GOMOD", "GOWORK")
	cmd.Dir, cmd.Env = cwd, NestedEnv()
	cmd.Stderr = os.Stderr
	out, err := cmd.Output()
	if err != nil {
		return env, fmt.Errorf("autotrace: go env: %v", err)
	}
	if err := json.Unmarshal(out, &env); err != nil {
		return env, fmt.Errorf("autotrace: go env: %v", err)
	}
	return env, nil
}

// findRuntime locates the runtime package without building anything.
// mod are the go command's -mod and -modfile flags (see moduleFlags).
func findRuntime(goBin, cwd string, mod []string) runtimeInfo {
	args := append([]string{"list", "-e", "-find", "-json=Dir,GoFiles,SFiles,Module,Error"}, mod...)
	cmd := exec.Command(goBin, append(args, rewrite.RuntimePath)...)
	cmd.Dir, cmd.Env = cwd, NestedEnv()
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

// cleanStale removes session files of go commands long gone, now and
// then: reading the directory on every build would cost more than the
// files.
func cleanStale(dir string) {
	if os.Getpid()%64 != 0 {
		return
	}
	entries, err := os.ReadDir(dir)
	if err != nil {
		return
	}
	for _, e := range entries {
		if fi, err := e.Info(); err == nil && time.Since(fi.ModTime()) > 24*time.Hour {
			os.Remove(filepath.Join(dir, e.Name()))
		}
	}
}

// cacheDir is where autotrace keeps what outlives one go command.
func cacheDir() string {
	dir, err := os.UserCacheDir()
	if err != nil {
		dir = os.TempDir()
	}
	return filepath.Join(dir, "autotrace", "toolexec")
}

// hashGoEnv adds the GO* and CGO_* variables of the environment to h:
// they decide what go list answers and what a tool's -V=full prints
// (GOEXPERIMENT adds X:... to it).
func hashGoEnv(h io.Writer) {
	hashEnv(h, func(kv string) bool { return strings.HasPrefix(kv, "GO") || strings.HasPrefix(kv, "CGO_") })
}

// hashEnv adds the variables of the environment that keep selects to h,
// in order; autotrace's own guard variable never counts.
func hashEnv(h io.Writer, keep func(kv string) bool) {
	env := os.Environ()
	sort.Strings(env)
	for _, kv := range env {
		if keep(kv) && !strings.HasPrefix(kv, depthEnv+"=") {
			fmt.Fprintln(h, kv)
		}
	}
}

// moduleFlags returns the flags of the go command line args that decide
// where packages come from, -mod and -modfile: the runtime is looked for
// as the build will link it (say with -mod=mod where vendor/ lacks it).
func moduleFlags(args []string) []string {
	var out []string
	for _, f := range goBuildFlags(args) {
		if name, _, _ := strings.Cut(strings.TrimLeft(f, "-"), "="); name == "mod" || name == "modfile" {
			out = append(out, f)
		}
	}
	return out
}
