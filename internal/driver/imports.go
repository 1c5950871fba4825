package driver

import (
	"bytes"
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"sort"
	"strings"
	"sync"

	"github.com/autotrace/autotrace/rewrite"
)

// importer is what rewrite.Prepare.Syntax learns of an import: the listed
// packages and, once fetched, other packages their files import, from
// their files (not those with cgo, whose compiled files are not seen); the
// standard library (in goroot) by its path, as none of its aliases stands
// for the types facts are about (a test checks it). Anything else is
// unknown, and recorded as missed.
type importer struct {
	goroot string

	versionOnce sync.Once
	version     string // of the GOROOT: its VERSION file's first line

	mu     sync.Mutex
	known  map[string]rewrite.Import
	std    map[string]*rewrite.Import // nil: not in the standard library
	missed map[string]bool
	tried  map[string]bool // fetched, known or not
}

func newImporter(pkgs []*fastPackage, goroot string) *importer {
	im := &importer{goroot: goroot, known: map[string]rewrite.Import{}, std: map[string]*rewrite.Import{}, missed: map[string]bool{}, tried: map[string]bool{}}
	for _, p := range pkgs {
		if !p.Cgo {
			im.known[p.ImportPath] = fromFiles(p.Name, p.files)
		}
	}
	return im
}

// lookup is the imports function of rewrite.Prepare.Syntax.
func (im *importer) lookup(path string) (rewrite.Import, bool) {
	im.mu.Lock()
	defer im.mu.Unlock()
	if imp, ok := im.known[path]; ok {
		return imp, true
	}
	std, seen := im.std[path]
	if !seen {
		if dir := filepath.Join(im.goroot, "src", filepath.FromSlash(path)); im.goroot != "" &&
			!strings.Contains(strings.Split(path, "/")[0], ".") && isDir(dir) {
			std = &rewrite.Import{Name: StdName(path), Alias: im.stdAlias(path, dir), Std: true}
		}
		im.std[path] = std
	}
	if std != nil {
		return *std, true
	}
	if !im.tried[path] {
		im.missed[path] = true
	}
	return rewrite.Import{}, false
}

// stdAlias is the Alias function of the standard library package path in
// dir: from stdAliasTable when the GOROOT is the one it lists, else from
// the sources.
func (im *importer) stdAlias(path, dir string) func(string) bool {
	im.versionOnce.Do(func() {
		if data, err := os.ReadFile(filepath.Join(im.goroot, "VERSION")); err == nil {
			im.version, _, _ = strings.Cut(string(data), "\n")
		}
	})
	if im.version != stdAliasVersion {
		return stdAliases(dir)
	}
	names := stdAliasTable[path]
	return func(name string) bool { return slices.Contains(names, name) }
}

// stdAliasTable lists the exported aliases of the standard library of Go
// stdAliasVersion, by package (TestStdAliasesAndNames checks it), so that
// with that GOROOT no source need be read to know them.
const stdAliasVersion = "go1.26.8"

var stdAliasTable = map[string][]string{
	"debug/buildinfo":        {"BuildInfo"},
	"encoding/json":          {"Marshaler", "Options", "RawMessage", "Unmarshaler"},
	"encoding/json/jsontext": {"Options"},
	"encoding/json/v2":       {"Marshalers", "Options", "Unmarshalers"},
	"html/template":          {"FuncMap"},
	"os":                     {"DirEntry", "FileInfo", "FileMode", "PathError"},
	"syscall":                {"Dircookie", "Filetype"},
}

// fetchMissed lists and parses the packages lookup missed (as the listed
// packages were, with the same build flags) and reports whether it learnt
// anything.
func (im *importer) fetchMissed(dir string, env, flags []string) bool {
	im.mu.Lock()
	var paths []string
	for p := range im.missed {
		paths = append(paths, p)
		im.tried[p] = true
	}
	im.missed = map[string]bool{}
	im.mu.Unlock()
	if len(paths) == 0 {
		return false
	}
	sort.Strings(paths)
	list, _, ok := goList(dir, env, flags, paths)
	if !ok {
		if os.Getenv(typedEnv) == "why" {
			fmt.Fprintf(os.Stderr, "autotrace: go list of %s failed\n", strings.Join(paths, " "))
		}
		return false
	}
	im.mu.Lock()
	defer im.mu.Unlock()
	for _, l := range list {
		if !l.Err && !l.Cgo {
			im.known[l.ImportPath] = rewrite.Import{Name: l.Name, Alias: fileAliases(l.GoFiles)}
		}
	}
	return true
}

// fromFiles is what a package's files tell of it.
func fromFiles(name string, files []*ast.File) rewrite.Import {
	a := aliases(files)
	return rewrite.Import{Name: name, Alias: func(n string) bool { return a[n] }}
}

// fileAliases is the Alias function of the package made of files, which
// it reads when first asked, and parses only those that spell the name
// asked about (a declaration must).
func fileAliases(files []string) func(string) bool {
	var (
		mu      sync.Mutex
		srcs    [][]byte
		parsed  = map[int]*ast.File{}
		answers = map[string]bool{}
		failed  bool
	)
	return func(name string) bool {
		mu.Lock()
		defer mu.Unlock()
		if a, ok := answers[name]; ok {
			return a
		}
		if srcs == nil && !failed {
			for _, path := range files {
				data, err := os.ReadFile(path)
				if err != nil {
					failed = true
					break
				}
				srcs = append(srcs, data)
			}
		}
		answer := failed
		for i := 0; !answer && i < len(srcs); i++ {
			if !bytes.Contains(srcs[i], []byte(name)) {
				continue
			}
			f := parsed[i]
			if f == nil {
				var err error
				if f, err = parser.ParseFile(token.NewFileSet(), files[i], srcs[i], parser.SkipObjectResolution); err != nil {
					answer = true
					break
				}
				parsed[i] = f
			}
			answer = aliases([]*ast.File{f})[name]
		}
		answers[name] = answer
		return answer
	}
}

// stdAliases is the Alias function of the standard library package in dir:
// whether its files seem to declare the name as an alias (they are
// gofmt-clean: a test checks that every alias is seen). It reads them when
// first asked.
func stdAliases(dir string) func(string) bool {
	var once sync.Once
	var files [][]byte // nil: unreadable, so every name may be one
	return func(name string) bool {
		once.Do(func() {
			entries, err := os.ReadDir(dir)
			if err != nil {
				return
			}
			files = [][]byte{}
			for _, e := range entries {
				if n := e.Name(); strings.HasSuffix(n, ".go") && !strings.HasSuffix(n, "_test.go") {
					data, err := os.ReadFile(filepath.Join(dir, n))
					if err != nil {
						files = nil
						return
					}
					files = append(files, data)
				}
			}
		})
		if files == nil {
			return true
		}
		for _, data := range files {
			if declaresAlias(data, name) {
				return true
			}
		}
		return false
	}
}

// declaresAlias reports whether gofmt'd Go source seems to declare name as
// an alias, alone or in a group: name = T, name[P any] = T, type name = T
// (a line starting with it, after white space or "type ", then "=").
func declaresAlias(src []byte, name string) bool {
	for from := 0; ; {
		i := bytes.Index(src[from:], []byte(name))
		if i < 0 {
			return false
		}
		i += from
		from = i + len(name)
		// Before: the start of the line, white space, maybe "type ".
		j := i
		for j > 0 && (src[j-1] == ' ' || src[j-1] == '\t') {
			j--
		}
		if bytes.HasSuffix(src[:j], []byte("type")) {
			j -= len("type")
			for j > 0 && (src[j-1] == ' ' || src[j-1] == '\t') {
				j--
			}
		}
		if j > 0 && src[j-1] != '\n' {
			continue
		}
		// After: maybe type parameters, then "=" but not "==".
		k := from
		if k < len(src) && (src[k] == '_' || src[k] >= '0' && src[k] <= '9' || src[k] >= 'a' && src[k] <= 'z' || src[k] >= 'A' && src[k] <= 'Z') {
			continue // a longer name
		}
		for k < len(src) && src[k] == ' ' {
			k++
		}
		if k < len(src) && src[k] == '[' {
			for k < len(src) && src[k] != ']' && src[k] != '\n' {
				k++
			}
			k++
			for k < len(src) && src[k] == ' ' {
				k++
			}
		}
		if k+1 < len(src) && src[k] == '=' && src[k+1] != '=' {
			return true
		}
	}
}

// aliases is the set of package-level alias names files declare.
func aliases(files []*ast.File) map[string]bool {
	out := map[string]bool{}
	for _, f := range files {
		for _, d := range f.Decls {
			if g, ok := d.(*ast.GenDecl); ok && g.Tok == token.TYPE {
				for _, s := range g.Specs {
					if ts := s.(*ast.TypeSpec); ts.Assign.IsValid() {
						out[ts.Name.Name] = true
					}
				}
			}
		}
	}
	return out
}

var versionElem = regexp.MustCompile(`^v[0-9]+$`)

// StdName is the package name of the standard library package path: its
// last element, or for a major version (math/rand/v2) the one before.
func StdName(path string) string {
	elems := strings.Split(path, "/")
	name := elems[len(elems)-1]
	if versionElem.MatchString(name) && len(elems) > 1 {
		name = elems[len(elems)-2]
	}
	return name
}

func isDir(path string) bool {
	info, err := os.Stat(path)
	return err == nil && info.IsDir()
}
