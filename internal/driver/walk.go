package driver

import (
	"bytes"
	"fmt"
	"go/ast"
	"go/build"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"

	"github.com/autotrace/autotrace/rewrite"
)

// moduleTemplate prints one line per module go list -m names: its path,
// directory, version, error, whether it is the main module, its
// replacement's path and version, then the go command's build context
// (as go/build.Context's fields), so that one cheap go command (it loads no
// package) tells how the go command would match files.
const moduleTemplate = `{{$err := ""}}{{with .Error}}{{$err = .Err}}{{end}}` +
	`{{$rpath := ""}}{{$rversion := ""}}{{with .Replace}}{{$rpath = .Path}}{{$rversion = .Version}}{{end}}` +
	`{{printf "%q %q %q %q %v %q %q" .Path .Dir .Version $err .Main $rpath $rversion}}` +
	`{{with context}} {{printf "%q %q %q %q %v %v" .GOOS .GOARCH .GOROOT .Compiler .CgoEnabled .UseAllFiles}}` +
	` {{printf "%q %q %q" (join .BuildTags ",") (join .ToolTags ",") (join .ReleaseTags ",")}}{{end}}`

// listedModule is one line of moduleTemplate's output.
type listedModule struct {
	Path, Dir, Version, Err string
	Main                    bool
	ReplacePath             string
	ReplaceVersion          string
	ctx                     build.Context
}

// walkList is goList for the common case without its cost: where gen's
// patterns name directories of the main module, it asks the go command
// only for its build context and module facts (go list -m, which loads no
// package and takes a tenth of the time of go list -find, which resolves
// every import of every package down the standard library), and walks the
// directories itself the way go list does, matching files with that
// context. It gives up (ok false, and the caller runs go list) on anything
// go list might see differently or report as a problem: another Go version
// than this binary's go/build, a directory it would list that this walk
// would not (test files only), files cgo, SWIG, C or embed directives
// touch, symbolic links, build constraints that do not parse, two package
// names in one directory, an ignore directive in go.mod. runtimeFound is
// runtimeExtra's answer: true only when the runtime's module is in the
// build list, in a directory (replaced there, or downloaded with its sum in
// go.sum) whose runtime package has files.
func walkList(dir string, env, flags, patterns []string, fp *fileParser) (list []*listed, goroot string, runtimeFound, ok bool) {
	root, modPath, gomod := findModule(dir)
	if modPath == "" || !localPatterns(dir, patterns) || hasDirective(gomod, "ignore") {
		return nil, "", false, false
	}
	mods := []string{modPath}
	wantRuntime := modPath != runtimeModule && requires(gomod, runtimeModule)
	if wantRuntime {
		mods = append(mods, runtimeModule)
	}
	got, ok := goListModules(dir, env, flags, mods)
	if !ok || len(got) != len(mods) {
		return nil, "", false, false
	}
	main := got[0]
	if main.Path != modPath || !main.Main || main.Dir != root || main.Err != "" || !sameGoBuild(main.ctx) {
		return nil, "", false, false
	}
	ctx := main.ctx
	seen := map[string]bool{}
	for _, pat := range patterns {
		start, rec := filepath.Join(dir, filepath.FromSlash(strings.TrimSuffix(pat, "/..."))), strings.HasSuffix(pat, "/...")
		if pat == "./..." {
			start, rec = dir, true
		}
		if strings.Contains(strings.TrimSuffix(pat, "/..."), "...") || !plainDirs(root, start) {
			return nil, "", false, false
		}
		if !rec {
			l, ok := walkDir(&ctx, root, modPath, start, fp)
			if !ok || l == nil {
				return nil, "", false, false // go list reports a directory without Go files
			}
			if !seen[start] {
				seen[start] = true
				list = append(list, l)
			}
			continue
		}
		failed := false
		filepath.WalkDir(start, func(path string, d fs.DirEntry, err error) error {
			if err != nil || d.Type()&fs.ModeSymlink != 0 {
				failed = true
				return filepath.SkipAll
			}
			if !d.IsDir() {
				return nil
			}
			if path != start {
				name := d.Name()
				if name == "testdata" || strings.HasPrefix(name, ".") || strings.HasPrefix(name, "_") {
					return filepath.SkipDir
				}
				if _, err := os.Stat(filepath.Join(path, "go.mod")); err == nil {
					return filepath.SkipDir
				}
				if name == "vendor" {
					return filepath.SkipDir // ./... does not match vendored packages
				}
			}
			l, ok := walkDir(&ctx, root, modPath, path, fp)
			if !ok {
				failed = true
				return filepath.SkipAll
			}
			if l != nil && !seen[path] {
				seen[path] = true
				list = append(list, l)
			}
			return nil
		})
		if failed {
			return nil, "", false, false
		}
	}
	if len(list) == 0 {
		return nil, "", false, false
	}
	if wantRuntime {
		runtimeFound = runtimeBuilds(&ctx, got[1], root)
	}
	return list, ctx.GOROOT, runtimeFound, true
}

// walkDir is the package in directory d as go list -find would list it,
// nil if it has no Go files; ok is false when go list might say otherwise.
func walkDir(ctx *build.Context, root, modPath, d string, fp *fileParser) (l *listed, ok bool) {
	entries, err := os.ReadDir(d)
	if err != nil {
		return nil, false
	}
	var files []string
	tests := false
	folded := map[string]bool{}
	if strings.ContainsAny(d, "\r\n") {
		return nil, false
	}
	for _, e := range entries {
		n := e.Name()
		if e.Type()&fs.ModeSymlink != 0 || folded[strings.ToLower(n)] || !e.IsDir() && (!validImportPath(n) || strings.HasPrefix(n, "-")) {
			return nil, false // go list refuses names that are not safe arguments, or differ only in case
		}
		folded[strings.ToLower(n)] = true
		if e.IsDir() {
			continue
		}
		if foreignSource(n) {
			return nil, false
		}
		if !strings.HasSuffix(n, ".go") {
			continue
		}
		match, err := ctx.MatchFile(d, n)
		if err != nil {
			return nil, false
		}
		switch {
		case !match:
		case strings.HasSuffix(n, "_test.go"):
			tests = true
		default:
			files = append(files, filepath.Join(d, n))
		}
	}
	if len(files) == 0 {
		return nil, !tests // go list lists a package of tests only
	}
	rel, err := filepath.Rel(root, d)
	if err != nil || !validImportPath(filepath.ToSlash(rel)) {
		return nil, false
	}
	l = &listed{ImportPath: modPath, Dir: d, GoFiles: files}
	if rel != "." {
		l.ImportPath += "/" + filepath.ToSlash(rel)
	}
	for _, path := range files {
		_, f, err := fp.get(path)
		if err != nil || f.Name.Name == "documentation" || l.Name != "" && f.Name.Name != l.Name || checkedDirective(f) {
			return nil, false
		}
		l.Name = f.Name.Name
		for _, imp := range f.Imports {
			if imp.Path.Value == `"C"` {
				return nil, false
			}
		}
	}
	return l, true
}

// runtimeBuilds reports whether the module m (the runtime's, as go list -m
// says) provides a runtime package go list -find would find: in a
// directory, with go.sum holding its sum unless it is a directory
// replacement, and with Go files.
func runtimeBuilds(ctx *build.Context, m listedModule, root string) bool {
	if m.Err != "" || m.Dir == "" {
		return false
	}
	if dirReplaced := m.ReplacePath != "" && m.ReplaceVersion == ""; !dirReplaced {
		path, version := m.Path, m.Version
		if m.ReplacePath != "" {
			path, version = m.ReplacePath, m.ReplaceVersion
		}
		sum, err := os.ReadFile(filepath.Join(root, "go.sum"))
		if err != nil || version == "" || !bytes.Contains(append([]byte("\n"), sum...), []byte("\n"+path+" "+version+" h1:")) {
			return false
		}
	}
	d := filepath.Join(m.Dir, filepath.FromSlash(strings.TrimPrefix(rewrite.RuntimePath, runtimeModule+"/")))
	entries, err := os.ReadDir(d)
	if err != nil {
		return false
	}
	for _, e := range entries {
		n := e.Name()
		if !e.IsDir() && strings.HasSuffix(n, ".go") && !strings.HasSuffix(n, "_test.go") {
			if match, err := ctx.MatchFile(d, n); err == nil && match {
				return true
			}
		}
	}
	return false
}

// plainDirs reports whether the directories from root down to start (under
// it) are ones go list walks into as part of root's module: no name
// starting with . or _, no testdata or vendor, no go.mod but root's.
func plainDirs(root, start string) bool {
	rel, err := filepath.Rel(root, start)
	if err != nil || !within(root, start) {
		return false
	}
	if rel == "." {
		return true
	}
	d := root
	for _, elem := range strings.Split(rel, string(filepath.Separator)) {
		d = filepath.Join(d, elem)
		if elem == "testdata" || elem == "vendor" || strings.HasPrefix(elem, ".") || strings.HasPrefix(elem, "_") {
			return false
		}
		if _, err := os.Stat(filepath.Join(d, "go.mod")); err == nil {
			return false
		}
	}
	return true
}

// goListModules runs go list -m with moduleTemplate for mods.
func goListModules(dir string, env, flags, mods []string) ([]listedModule, bool) {
	args := append([]string{"list", "-m", "-e", "-f", moduleTemplate}, flags...)
	cmd := exec.Command("go", append(append(args, "--"), mods...)...)
	cmd.Dir = dir
	cmd.Env = append(env, "PWD="+dir)
	out, err := cmd.Output()
	if err != nil {
		return nil, false
	}
	var got []listedModule
	for _, line := range strings.Split(strings.TrimSuffix(string(out), "\n"), "\n") {
		m, err := parseModuleLine(line)
		if err != nil {
			return nil, false
		}
		got = append(got, m)
	}
	return got, true
}

// parseModuleLine parses one line of moduleTemplate's output.
func parseModuleLine(line string) (listedModule, error) {
	var f []string
	for rest := line; rest != ""; rest = strings.TrimPrefix(rest, " ") {
		if rest[0] == '"' {
			q, err := strconv.QuotedPrefix(rest)
			if err != nil {
				return listedModule{}, err
			}
			s, _ := strconv.Unquote(q)
			f, rest = append(f, s), rest[len(q):]
			continue
		}
		word, after, _ := strings.Cut(rest, " ")
		f, rest = append(f, word), after
	}
	if len(f) != 16 {
		return listedModule{}, fmt.Errorf("go list -m: bad line %q", line)
	}
	m := listedModule{Path: f[0], Dir: f[1], Version: f[2], Err: f[3], Main: f[4] == "true", ReplacePath: f[5], ReplaceVersion: f[6]}
	m.ctx = build.Default
	m.ctx.GOOS, m.ctx.GOARCH, m.ctx.GOROOT, m.ctx.Compiler = f[7], f[8], f[9], f[10]
	m.ctx.CgoEnabled, m.ctx.UseAllFiles = f[11] == "true", f[12] == "true"
	m.ctx.BuildTags, m.ctx.ToolTags, m.ctx.ReleaseTags = splitTags(f[13]), splitTags(f[14]), splitTags(f[15])
	return m, nil
}

func splitTags(s string) []string {
	if s == "" {
		return nil
	}
	return strings.Split(s, ",")
}

// sameGoBuild reports whether ctx, the go command's, is one this binary's
// go/build matches files for as the go command does: the same Go release
// (file name suffixes and constraint syntax are the release's), the gc
// compiler, files not all used.
func sameGoBuild(ctx build.Context) bool {
	return slices.Equal(ctx.ReleaseTags, build.Default.ReleaseTags) && ctx.Compiler == "gc" && !ctx.UseAllFiles && ctx.GOROOT != ""
}

// localPatterns reports whether every pattern names directories under dir
// (".", "./x", "./x/...").
func localPatterns(dir string, patterns []string) bool {
	for _, p := range patterns {
		if p != "." && !strings.HasPrefix(p, "./") || !within(dir, filepath.Join(dir, filepath.FromSlash(p))) {
			return false
		}
	}
	return true
}

// foreignSource reports whether a file name is one go/build sorts as
// non-Go source (C, C++, assembly for cgo, Fortran, SWIG, objects): go
// list reports packages with them as cgo or as problems.
func foreignSource(name string) bool {
	switch filepath.Ext(name) {
	case ".c", ".cc", ".cpp", ".cxx", ".m", ".h", ".hh", ".hpp", ".hxx", ".f", ".F", ".for", ".f90", ".S", ".sx", ".swig", ".swigcxx", ".syso":
		return true
	}
	return false
}

// validImportPath reports whether rel, a slash-separated directory path,
// spells import path elements go list accepts without question.
func validImportPath(rel string) bool {
	if rel == "." {
		return true
	}
	for _, r := range rel {
		if !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || strings.ContainsRune("-._~/", r)) {
			return false
		}
	}
	return true
}

// hasDirective reports whether the go.mod text gomod has the directive
// verb, alone or as a block.
func hasDirective(gomod []byte, verb string) bool {
	for _, line := range strings.Split(string(gomod), "\n") {
		fields := strings.Fields(line)
		if len(fields) > 0 && (fields[0] == verb || strings.HasPrefix(fields[0], verb+"(")) {
			return true
		}
	}
	return false
}

// checkedDirective reports whether f has a //go:embed, //go:debug or
// //go:binary-only-package directive, which go list checks (the files an
// embed names, where a debug setting may be) or refuses.
func checkedDirective(f *ast.File) bool {
	for _, g := range f.Comments {
		for _, c := range g.List {
			if strings.HasPrefix(c.Text, "//go:embed") || strings.HasPrefix(c.Text, "//go:debug") || strings.HasPrefix(c.Text, "//go:binary-only-package") {
				return true
			}
		}
	}
	return false
}
