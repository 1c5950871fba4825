package driver

import (
	"path"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/autotrace/autotrace/rewrite"
)

// runtimeModule is the module the runtime package belongs to.
var runtimeModule = path.Dir(rewrite.RuntimePath)

// runtimeExtra is what gen's go list also names so that its one run
// answers RequireRuntime's question (can the main module build the
// runtime?) as well, saving a second go command a run: the runtime's path,
// when the go.mod governing dir requires autotrace by name, so that
// listing it never has the go command look for a module (not with
// -mod=mod either), and every pattern names directories under dir, so
// none of them matches the runtime, which lives in another module. Nil
// otherwise: then RequireRuntime asks the go command itself, as always.
func runtimeExtra(dir string, patterns []string) []string {
	for _, p := range patterns {
		if p != "." && !strings.HasPrefix(p, "./") || !within(dir, filepath.Join(dir, filepath.FromSlash(p))) {
			return nil
		}
	}
	_, modPath, gomod := findModule(dir)
	if modPath == "" || modPath == runtimeModule || !requires(gomod, runtimeModule) {
		return nil
	}
	return []string{rewrite.RuntimePath}
}

// takeRuntime removes the runtime's package, listed because of
// runtimeExtra, from list, and reports whether go list found it without a
// problem; ambiguous is true when it lies under dir, where a pattern may
// have named it too (a vendor directory, say): then list cannot be told
// apart from what the patterns alone give.
func takeRuntime(dir string, list []*listed) (rest []*listed, found, ambiguous bool) {
	for i, l := range list {
		if l.ImportPath != rewrite.RuntimePath {
			continue
		}
		if within(dir, l.Dir) {
			return list, false, true
		}
		rest = append(append(rest, list[:i]...), list[i+1:]...)
		return rest, !l.Err, false
	}
	return list, false, false
}

// within reports whether path is dir or lies under it (both clean and
// absolute, or path relative to dir).
func within(dir, path string) bool {
	r, err := filepath.Rel(dir, path)
	return err == nil && r != ".." && !strings.HasPrefix(r, ".."+string(filepath.Separator))
}

// requires reports whether the go.mod text gomod has a require directive
// for module mod (alone or in a block), whatever its version.
func requires(gomod []byte, mod string) bool {
	block := false
	for _, line := range strings.Split(string(gomod), "\n") {
		line, _, _ = strings.Cut(line, "//")
		fields := strings.Fields(line)
		if len(fields) == 0 {
			continue
		}
		switch {
		case block && fields[0] == ")":
			block = false
			continue
		case !block && fields[0] == "require":
			if len(fields) == 2 && fields[1] == "(" {
				block = true
				continue
			}
			fields = fields[1:]
		case !block:
			continue
		}
		if len(fields) > 0 && unquote(fields[0]) == mod {
			return true
		}
	}
	return false
}

// unquote is s without Go quotes, if it has them.
func unquote(s string) string {
	if u, err := strconv.Unquote(s); err == nil {
		return u
	}
	return s
}
