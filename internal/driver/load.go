package driver

import (
	"fmt"
	"go/ast"
	"go/token"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"sort"
	"strings"

	"golang.org/x/tools/go/packages"

	"github.com/autotrace/autotrace/internal/toolexec"
	"github.com/autotrace/autotrace/rewrite"
)

// Options select what to load and how to rewrite it.
type Options struct {
	Dir      string   // working directory; "" for the current one
	Patterns []string // go list patterns; none means "."
	Tags     string   // comma-separated build tags
	All      bool     // instrument every function

	// Progress, when set, is called after each file is rewritten.
	Progress func(done, total int)
}

// File is one Go file of a loaded package with what the rewriter needs.
type File struct {
	Path  string // absolute
	Rel   string // relative to Options.Dir, for messages
	Src   []byte
	Input rewrite.Input

	gen *generated // rewrite.Gen(Input), when already run (see speculation)

	// runtimeFound is true when the go list that found the file also found
	// the runtime package without a problem (see runtimeExtra), which
	// RequireRuntime then need not ask again.
	runtimeFound bool
}

// generated is what rewrite.Gen returned.
type generated struct {
	out *rewrite.Output
	err error
}

// load returns the files of the packages named by opts that autotrace may
// rewrite: not test files, not generated files, in package and file order.
// Any package that fails to load (or, when typed, to type-check) is an
// error, so that no file is touched on the strength of a partial view.
// Strip needs no types: it works even where the runtime is gone.
//
// Gen's loading (typed) type-checks only the packages whose output may
// depend on types (see loadFast); AUTOTRACE_TYPED=1 in the environment
// type-checks every package, the way every run used to.
func load(opts Options, typed bool) ([]*File, error) {
	dir := opts.Dir
	if dir == "" {
		var err error
		if dir, err = os.Getwd(); err != nil {
			return nil, err
		}
	}
	patterns := opts.Patterns
	if len(patterns) == 0 {
		patterns = []string{"."}
	}
	if typed && os.Getenv(typedEnv) != "1" {
		if files, ok, err := loadFast(opts, dir, patterns); ok {
			return files, err
		}
	}
	pkgs, err := loadPackages(opts, dir, patterns, typed)
	if err != nil {
		return nil, err
	}
	var files []*File
	for _, p := range pkgs {
		fs, err := packageFiles(dir, p, opts.All, typed)
		if err != nil {
			return nil, err
		}
		files = append(files, fs...)
	}
	return files, nil
}

// loadPackages loads the packages named by patterns with go/packages, in
// import path order; typed, it type-checks them from source (their
// dependencies from export data). Any package that fails to load or
// type-check is an error.
func loadPackages(opts Options, dir string, patterns []string, typed bool) ([]*packages.Package, error) {
	mode := packages.NeedName | packages.NeedFiles
	if typed {
		mode |= packages.NeedCompiledGoFiles | packages.NeedSyntax | packages.NeedTypes | packages.NeedTypesInfo
	}
	cfg := &packages.Config{
		Mode: mode,
		Dir:  dir,
		Env:  toolexec.NestedEnv(),
	}
	cfg.BuildFlags = buildFlags(opts)
	pkgs, err := packages.Load(cfg, patterns...)
	if err != nil {
		return nil, err
	}
	if len(pkgs) == 0 {
		// go/packages reports some go command failures (an untidy go.mod,
		// say) as no packages at all; ask go list for the reason.
		return nil, noPackages(cfg, patterns)
	}
	var errs []string
	packages.Visit(pkgs, nil, func(p *packages.Package) {
		errs = append(errs, packageErrors(dir, p)...)
	})
	if len(errs) > 0 {
		for _, e := range errs {
			if strings.Contains(e, "could not import "+rewrite.RuntimePath) {
				errs = append(errs, "(the module does not require autotrace's runtime: run go get "+rewrite.RuntimePath+")")
				break
			}
		}
		sort.Strings(errs)
		return nil, fmt.Errorf("%s", strings.Join(dedup(errs), "\n"))
	}
	sort.Slice(pkgs, func(i, j int) bool { return pkgs[i].PkgPath < pkgs[j].PkgPath })
	return pkgs, nil
}

func buildFlags(opts Options) []string {
	if opts.Tags != "" {
		return []string{"-tags=" + opts.Tags}
	}
	return nil
}

func packageFiles(dir string, p *packages.Package, all, typed bool) ([]*File, error) {
	syntax := map[string]*ast.File{}
	for _, f := range p.Syntax {
		syntax[p.Fset.File(f.Pos()).Name()] = f
	}
	// GoFiles are the files as written; for cgo files CompiledGoFiles holds
	// cgo's translation instead, whose types we cannot map back by order,
	// so those get syntax facts.
	prep := rewrite.Prepare{Fset: p.Fset, All: all}
	if prep.Fset == nil { // not loaded with syntax
		prep.Fset = token.NewFileSet()
	}
	for _, path := range p.GoFiles {
		src, err := os.ReadFile(path)
		if err != nil {
			return nil, err
		}
		f := syntax[path]
		if f == nil {
			if f, err = parseFile(prep.Fset, path, src); err != nil {
				return nil, syntaxError(dir, err)
			}
		}
		prep.Sources = append(prep.Sources, rewrite.Source{Filename: path, Src: src, File: f})
	}
	if !typed {
		return ownFiles(dir, prep.Sources, nil), nil // strip needs no Input
	}
	// go/packages makes the types.Info itself (NeedTypesInfo fills every
	// map it has): Typed checks it has what the rewriter reads.
	ins, err := prep.Typed(rewrite.Checked{Files: p.Syntax, Pkg: p.Types, Info: p.TypesInfo})
	if err != nil {
		return nil, fmt.Errorf("%s: %v", p.PkgPath, err)
	}
	return ownFiles(dir, prep.Sources, ins), nil
}

// ownFiles is a File for each of srcs, with its Input from ins (if any),
// but for test and generated files, which gen never rewrites (but the
// rewriter counts all the same: it numbers function literals
// package-wide).
func ownFiles(dir string, srcs []rewrite.Source, ins []rewrite.Input) []*File {
	var out []*File
	for i, s := range srcs {
		if strings.HasSuffix(s.Filename, "_test.go") || ast.IsGenerated(s.File) {
			continue
		}
		f := &File{Path: s.Filename, Rel: rel(dir, s.Filename), Src: s.Src}
		if ins != nil {
			f.Input = ins[i]
		}
		out = append(out, f)
	}
	return out
}

func noPackages(cfg *packages.Config, patterns []string) error {
	args := append([]string{"list"}, cfg.BuildFlags...)
	cmd := exec.Command("go", append(append(args, "--"), patterns...)...)
	cmd.Dir, cmd.Env = cfg.Dir, cfg.Env
	out, err := cmd.CombinedOutput()
	if err != nil {
		return fmt.Errorf("go list %s: %s", strings.Join(patterns, " "), strings.TrimSpace(string(out)))
	}
	return fmt.Errorf("no packages match %s", strings.Join(patterns, " "))
}

func rel(dir, path string) string {
	if r, err := filepath.Rel(dir, path); err == nil && !strings.HasPrefix(r, "..") {
		return r
	}
	return path
}

// packageErrors returns p's errors as file:line:col: message, relative
// to dir. A syntax error is said once, by go/parser, with its first error
// in the file: go/packages also has the compiler's message for it (from
// go list) and the type errors that follow from it, and go/parser's later
// errors in the file are mostly its consequences.
func packageErrors(dir string, p *packages.Package) []string {
	syntax := slices.ContainsFunc(p.Errors, func(e packages.Error) bool { return e.Kind == packages.ParseError })
	var out []string
	files := map[string]bool{}
	for _, e := range p.Errors {
		if syntax {
			if e.Kind != packages.ParseError {
				continue
			}
			file := e.Pos
			for range 2 { // file:line:col
				if i := strings.LastIndexByte(file, ':'); i > 0 {
					file = file[:i]
				}
			}
			if files[file] {
				continue
			}
			files[file] = true
		}
		out = append(out, relErr(dir, e))
	}
	return out
}

func relErr(dir string, e packages.Error) string {
	pos := e.Pos
	if pos != "" && filepath.IsAbs(pos) {
		pos = rel(dir, pos)
	}
	if pos == "" {
		return e.Msg
	}
	return pos + ": " + e.Msg
}

func dedup(s []string) []string {
	out := s[:0]
	for i, x := range s {
		if i == 0 || x != s[i-1] {
			out = append(out, x)
		}
	}
	return out
}
