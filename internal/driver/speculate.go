package driver

import (
	"go/ast"
	"go/build"
	"go/parser"
	"go/token"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"

	"github.com/autotrace/autotrace/internal/parallel"
	"github.com/autotrace/autotrace/rewrite"
)

// parsed is one file read and parsed, once, by whoever needs it first.
type parsed struct {
	once sync.Once
	src  []byte
	file *ast.File
	err  error
}

// fileParser parses files into one FileSet, each at most once, whether
// the speculation or the fast path asks first.
type fileParser struct {
	fset  *token.FileSet
	mu    sync.Mutex
	files map[string]*parsed
}

func newFileParser() *fileParser {
	return &fileParser{fset: token.NewFileSet(), files: map[string]*parsed{}}
}

// get returns path read and parsed.
func (fp *fileParser) get(path string) ([]byte, *ast.File, error) {
	fp.mu.Lock()
	p := fp.files[path]
	if p == nil {
		p = &parsed{}
		fp.files[path] = p
	}
	fp.mu.Unlock()
	p.once.Do(func() {
		p.src, p.err = os.ReadFile(path)
		if p.err == nil {
			p.file, p.err = parser.ParseFile(fp.fset, path, p.src, parser.ParseComments|parser.SkipObjectResolution)
		}
	})
	return p.src, p.file, p.err
}

// speculation is the fast path's work done, in the background, on a guess
// of what go list will say while it runs (mostly on one CPU): the packages
// of the directories the patterns name, their files as go/build matches
// them, their import paths from go.mod, GOROOT from the go command's path.
// Its packages are parsed, classified and, where syntax suffices,
// rewritten. If go list then says exactly the same, all of it is used;
// otherwise only the parsed files are.
type speculation struct {
	done    chan struct{}
	goroot  string
	pkgs    []*fastPackage
	imports *importer
}

func speculate(opts Options, dir string, env, patterns []string, fp *fileParser) *speculation {
	s := &speculation{done: make(chan struct{})}
	go func() {
		defer close(s.done)
		list := guessList(dir, patterns, opts.Tags)
		if len(list) == 0 {
			return
		}
		s.goroot = guessGOROOT()
		pkgs, ok := parsePackages(list, fp)
		if !ok {
			return
		}
		for _, p := range pkgs {
			p.Name = p.files[0].Name.Name
			for _, f := range p.files {
				for _, imp := range f.Imports {
					p.Cgo = p.Cgo || imp.Path.Value == `"C"`
				}
			}
		}
		s.imports = newImporter(pkgs, s.goroot)
		parallel.For(len(pkgs), 0, func(i int) { classify(fp.fset, pkgs[i], s.imports, opts.All) })
		if again := needImports(pkgs, s.imports); len(again) > 0 && s.imports.fetchMissed(dir, env, buildFlags(opts)) {
			parallel.For(len(again), 0, func(i int) { classify(fp.fset, again[i], s.imports, opts.All) })
		}
		var files []*File
		for _, p := range pkgs {
			if p.why == "" {
				p.ready = syntaxFiles(dir, p)
				files = append(files, p.ready...)
			}
		}
		parallel.For(len(files), 0, func(i int) {
			out, err := rewrite.Gen(files[i].Input)
			files[i].gen = &generated{out, err}
		})
		s.pkgs = pkgs
	}()
	return s
}

// matches reports whether go list said what the speculation guessed: the
// same packages, names, directories and files, none with cgo, the same
// GOROOT.
func (s *speculation) matches(list []*listed, goroot string) bool {
	if s.pkgs == nil || goroot != s.goroot || len(list) != len(s.pkgs) {
		return false
	}
	sorted := slices.Clone(list)
	sort.Slice(sorted, func(i, j int) bool { return sorted[i].ImportPath < sorted[j].ImportPath })
	for i, l := range sorted {
		p := s.pkgs[i]
		if l.ImportPath != p.ImportPath || l.Name != p.Name || l.Dir != p.Dir || l.Cgo || p.Cgo || !slices.Equal(l.GoFiles, p.GoFiles) {
			return false
		}
	}
	return true
}

// guessList is what go list -find probably says of patterns relative to
// dir (".", "./x", "./x/..."): the directories as go list walks them (not
// testdata, vendor, names starting with . or _, nor other modules), with
// their non-test Go files that go/build matches with tags. Nil when the
// patterns are not all of that kind or there is no go.mod to name them.
func guessList(dir string, patterns []string, tags string) []*listed {
	root, modPath, _ := findModule(dir)
	if modPath == "" {
		return nil
	}
	ctx := build.Default
	if tags != "" {
		ctx.BuildTags = strings.Split(tags, ",")
	}
	seen := map[string]bool{}
	var out []*listed
	addDir := func(d string) {
		if seen[d] {
			return
		}
		seen[d] = true
		entries, err := os.ReadDir(d)
		if err != nil {
			return
		}
		var files []string
		for _, e := range entries {
			n := e.Name()
			if e.IsDir() || !strings.HasSuffix(n, ".go") || strings.HasSuffix(n, "_test.go") {
				continue
			}
			if ok, err := ctx.MatchFile(d, n); err == nil && ok {
				files = append(files, filepath.Join(d, n))
			}
		}
		if len(files) == 0 {
			return
		}
		rel, err := filepath.Rel(root, d)
		if err != nil || strings.HasPrefix(rel, "..") {
			return
		}
		path := modPath
		if rel != "." {
			path += "/" + filepath.ToSlash(rel)
		}
		out = append(out, &listed{ImportPath: path, Dir: d, GoFiles: files})
	}
	for _, pat := range patterns {
		rec := false
		if p, ok := strings.CutSuffix(pat, "/..."); ok {
			pat, rec = p, true
		}
		if pat != "." && pat != ".." && !strings.HasPrefix(pat, "./") && !strings.HasPrefix(pat, "../") {
			return nil
		}
		start := filepath.Join(dir, filepath.FromSlash(pat))
		if !rec {
			addDir(start)
			continue
		}
		filepath.WalkDir(start, func(path string, d fs.DirEntry, err error) error {
			if err != nil || !d.IsDir() {
				return nil
			}
			if path != start {
				name := d.Name()
				if name == "testdata" || name == "vendor" || strings.HasPrefix(name, ".") || strings.HasPrefix(name, "_") {
					return filepath.SkipDir
				}
				if _, err := os.Stat(filepath.Join(path, "go.mod")); err == nil {
					return filepath.SkipDir
				}
			}
			addDir(path)
			return nil
		})
	}
	return out
}

// findModule returns the directory holding the go.mod that governs dir,
// its module path ("" if none) and its text.
func findModule(dir string) (root, path string, gomod []byte) {
	for d := dir; ; d = filepath.Dir(d) {
		if data, err := os.ReadFile(filepath.Join(d, "go.mod")); err == nil {
			return d, modulePath(data), data
		}
		if filepath.Dir(d) == d {
			return "", "", nil
		}
	}
}

// modulePath is the path of the module statement of a go.mod file, or "".
func modulePath(gomod []byte) string {
	for _, line := range strings.Split(string(gomod), "\n") {
		line = strings.TrimSpace(line)
		if rest, ok := strings.CutPrefix(line, "module"); ok && (rest == "" || rest[0] == ' ' || rest[0] == '\t' || rest[0] == '"') {
			rest, _, _ = strings.Cut(rest, "//")
			rest = strings.TrimSpace(rest)
			if p, err := strconv.Unquote(rest); err == nil {
				return p
			}
			return rest
		}
	}
	return ""
}

// guessGOROOT is the GOROOT of the go command on PATH, if it is where a Go
// installation keeps it (bin/go).
func guessGOROOT() string {
	p, err := exec.LookPath("go")
	if err != nil {
		return ""
	}
	if p, err = filepath.EvalSymlinks(p); err != nil {
		return ""
	}
	return filepath.Dir(filepath.Dir(p))
}
