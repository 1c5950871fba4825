package toolexec

import (
	"path/filepath"
	"regexp"
	"strings"
)

// selected reports whether autotrace instruments the package with import
// path path in directory dir: one named by -pkgs, or without -pkgs, one of
// the user's own, that is, not in GOROOT, the module cache or a vendor
// directory: the main module's packages (all of a workspace's), and
// those of modules replaced by local directories. The standard library is
// instrumented only when -pkgs names it.
//
// The choice depends on the directory alone, never on which module is
// the main one, because the go command's cache keys hold the package's
// directory (with -trimpath, its module and version, and always its
// sources) but not the main module: a package compiled instrumented in
// one build is then not taken from the cache into a build where it should
// not be, and the standard library compiled for one module serves all.
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
