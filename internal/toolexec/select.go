package toolexec

import (
	"path/filepath"
	"regexp"
	"strings"
)

// selected reports whether autotrace instruments the package with import
// path path in directory dir: one named by -pkgs, or without -pkgs, one of
// the main modules' (all of a workspace's), that is, one not in GOROOT,
// the module cache, a vendor directory or a module replaced by a local
// directory. The standard library and dependencies are instrumented only
// when -pkgs names them.
//
// The choice depends on the directory and on the session's locally
// replaced directories, never on which module is the main one, because
// the go command's cache keys hold the package's directory (with
// -trimpath, its module and version, and always its sources) but not the
// main module, and autotrace's compiler identity holds the replaced
// directories (session.key): a package compiled instrumented in one build
// is then not taken from the cache into a build where it should not be (a
// module built as the main module, then as a replaced dependency of
// another), and the standard library compiled for one module serves every
// module without local replacements.
func selected(opts Options, s *session, path, dir string, std bool) bool {
	if len(opts.Pkgs) > 0 {
		for _, p := range opts.Pkgs {
			if matchPattern(p, path, dir, s) {
				return true
			}
		}
		return false
	}
	if s == nil || std {
		return false
	}
	if s.GOROOT != "" && within(dir, s.GOROOT) || s.GOMODCACHE != "" && within(dir, s.GOMODCACHE) {
		return false
	}
	for _, r := range s.Replaced {
		if within(dir, r) {
			return false
		}
	}
	for _, elem := range strings.Split(filepath.ToSlash(dir), "/") {
		if elem == "vendor" {
			return false
		}
	}
	return true
}

func nearestGoMod(dir string) string {
	for d := dir; ; d = filepath.Dir(d) {
		if p := filepath.Join(d, "go.mod"); fileExists(p) {
			return p
		}
		if filepath.Dir(d) == d {
			return ""
		}
	}
}

// matchPattern matches a go list style pattern: an import path in which
// ... matches anything (and x/... matches x), or a relative directory
// (./..., ./cmd/x), taken from the directory of the go command.
func matchPattern(pattern, path, dir string, s *session) bool {
	if strings.HasPrefix(pattern, "./") || strings.HasPrefix(pattern, "../") || pattern == "." || pattern == ".." {
		if s == nil {
			return false
		}
		pattern = filepath.ToSlash(filepath.Join(s.Cwd, pattern))
		path = filepath.ToSlash(dir)
		if !strings.Contains(pattern, "...") {
			return pattern == path
		}
	}
	re := regexp.QuoteMeta(pattern)
	re = strings.ReplaceAll(re, `\.\.\.`, `.*`)
	if strings.HasSuffix(re, `/.*`) {
		re = strings.TrimSuffix(re, `/.*`) + `(/.*)?`
	}
	ok, _ := regexp.MatchString("^"+re+"$", path)
	return ok
}
