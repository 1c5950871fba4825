package driver

import (
	"go/ast"
	"go/parser"
	"go/token"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"sync/atomic"
)

// parsed is one file read and parsed, once, by whoever needs it first.
type parsed struct {
	once sync.Once
	src  []byte
	file *ast.File
	err  error
}

// fileParser parses files into one FileSet, each at most once. While go list
// runs (mostly on one CPU), it parses the files the patterns probably name
// on the others, so that little is left to parse when the list comes.
type fileParser struct {
	fset  *token.FileSet
	mu    sync.Mutex
	files map[string]*parsed
	stop  atomic.Bool
	wg    sync.WaitGroup
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

// speculate starts parsing, in the background, the non-test Go files of
// the directories that patterns relative to dir (".", "./x", "./x/...")
// name, as go list would find them: not in testdata, vendor, or
// directories whose names start with . or _, nor in other modules. Other
// patterns are left alone. done stops it.
func (fp *fileParser) speculate(dir string, patterns []string) {
	var paths []string
	for _, pat := range patterns {
		rec := false
		if p, ok := strings.CutSuffix(pat, "/..."); ok {
			pat, rec = p, true
		}
		if pat != "." && pat != ".." && !strings.HasPrefix(pat, "./") && !strings.HasPrefix(pat, "../") {
			continue
		}
		root := filepath.Join(dir, filepath.FromSlash(pat))
		filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
			if err != nil {
				return nil
			}
			if d.IsDir() {
				if path == root {
					return nil
				}
				name := d.Name()
				if !rec || name == "testdata" || name == "vendor" || strings.HasPrefix(name, ".") || strings.HasPrefix(name, "_") {
					return filepath.SkipDir
				}
				if _, err := os.Stat(filepath.Join(path, "go.mod")); err == nil {
					return filepath.SkipDir
				}
				return nil
			}
			if strings.HasSuffix(path, ".go") && !strings.HasSuffix(path, "_test.go") {
				paths = append(paths, path)
			}
			return nil
		})
	}
	var next atomic.Int64
	for w := 0; w < max(runtime.GOMAXPROCS(0)-1, 1); w++ {
		fp.wg.Add(1)
		go func() {
			defer fp.wg.Done()
			for !fp.stop.Load() {
				i := int(next.Add(1)) - 1
				if i >= len(paths) {
					return
				}
				fp.get(paths[i])
			}
		}()
	}
}

// done stops speculating and waits for the parses under way.
func (fp *fileParser) done() {
	fp.stop.Store(true)
	fp.wg.Wait()
}
