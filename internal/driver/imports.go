package driver

import (
	"go/ast"
	"go/token"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"sync"

	"github.com/autotrace/autotrace/rewrite"
)

// importer is what rewrite.SyntaxPackage learns of an import: the listed
// packages and, once fetched, other packages their files import, from
// their files (not those with cgo, whose compiled files are not seen); the
// standard library (in goroot) by its path, as none of its aliases stands
// for the types facts are about (a test checks it). Anything else is
// unknown, and recorded as missed.
type importer struct {
	goroot string

	mu     sync.Mutex
	known  map[string]rewrite.Import
	std    map[string]bool
	missed map[string]bool
}

func newImporter(pkgs []*fastPackage, goroot string) *importer {
	im := &importer{goroot: goroot, known: map[string]rewrite.Import{}, std: map[string]bool{}, missed: map[string]bool{}}
	for _, p := range pkgs {
		if !p.Cgo {
			im.known[p.ImportPath] = rewrite.Import{Name: p.Name, Aliases: aliases(p.files)}
		}
	}
	return im
}

// lookup is the imports function of rewrite.SyntaxPackage.
func (im *importer) lookup(path string) (rewrite.Import, bool) {
	im.mu.Lock()
	defer im.mu.Unlock()
	if imp, ok := im.known[path]; ok {
		return imp, true
	}
	isStd, seen := im.std[path]
	if !seen {
		isStd = im.goroot != "" && !strings.Contains(strings.Split(path, "/")[0], ".") &&
			isDir(filepath.Join(im.goroot, "src", filepath.FromSlash(path)))
		im.std[path] = isStd
	}
	if isStd {
		return rewrite.Import{Name: StdName(path)}, true
	}
	im.missed[path] = true
	return rewrite.Import{}, false
}

// fetchMissed lists and parses the packages lookup missed (as the listed
// packages were, with the same build flags) and reports whether it learnt
// anything.
func (im *importer) fetchMissed(dir string, env, flags []string) bool {
	im.mu.Lock()
	var paths []string
	for p := range im.missed {
		paths = append(paths, p)
	}
	im.missed = map[string]bool{}
	im.mu.Unlock()
	if len(paths) == 0 {
		return false
	}
	sort.Strings(paths)
	list, _, ok := goList(dir, env, flags, paths)
	if !ok {
		return false
	}
	pkgs, _, ok := parsePackages(list)
	if !ok {
		return false
	}
	im.mu.Lock()
	defer im.mu.Unlock()
	for _, p := range pkgs {
		if !p.Cgo {
			im.known[p.ImportPath] = rewrite.Import{Name: p.Name, Aliases: aliases(p.files)}
		}
	}
	return true
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
