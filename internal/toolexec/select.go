package toolexec

import (
	"path/filepath"
	"regexp"
	"strings"
)

// selected reports whether autotrace instruments the package with import
// path path in directory dir: one named by -pkgs, or without -pkgs, one of
// the main modules (not vendored, not a nested module). The standard
// library is instrumented only when -pkgs names it.
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
	for _, m := range s.Modules {
		if !within(dir, m.Dir) {
			continue
		}
		rel, _ := filepath.Rel(m.Dir, dir)
		if rel == "vendor" || strings.HasPrefix(rel, "vendor"+string(filepath.Separator)) {
			return false
		}
		return nearestGoMod(dir) == m.GoMod
	}
	return false
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
