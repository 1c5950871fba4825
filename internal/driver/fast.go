package driver

import (
	"fmt"
	"go/ast"
	"go/token"
	"os"
	"slices"
	"sort"
	"strconv"
	"strings"

	"github.com/autotrace/autotrace/internal/parallel"
	"github.com/autotrace/autotrace/internal/toolexec"
	"github.com/autotrace/autotrace/rewrite"
)

// typedEnv names the environment variable that turns loadFast off
// (AUTOTRACE_TYPED=1: type-check every package) or makes it say which
// packages it type-checks and why (AUTOTRACE_TYPED=why, on stderr).
const typedEnv = "AUTOTRACE_TYPED"

// fastPackage is one listed package with its parsed files.
type fastPackage struct {
	*listed
	srcs   [][]byte
	files  []*ast.File
	inputs []rewrite.Input // from rewrite.Prepare.Syntax, when syntax suffices
	why    string          // why it needs types; "" when syntax suffices
	ready  []*File         // its files, already rewritten (see speculation)
}

// loadFast is load for gen without type-checking what need not be:
// go list -find names the packages and their files (as the compiler sees
// them, build tags and all), every file is parsed, and only the packages
// for which rewrite.Prepare.Syntax (or cgo) says types may matter are loaded
// and type-checked with go/packages; the others get syntax facts, which
// for them are provably the same. Type-checking, with go list -export of
// every dependency, is most of what gen used to cost.
//
// It reports ok == false when it cannot stand in for the typed load: go
// list or a parse fails (the typed load then reports the problem as it
// always has), or every package needs types anyway. Packages that do not
// need types are not type-checked, so a type error in them is left to the
// compiler rather than stopping gen.
func loadFast(opts Options, dir string, patterns []string) (files []*File, ok bool, err error) {
	env := toolexec.NestedEnv()
	for _, kv := range env {
		if strings.HasPrefix(kv, "GOPACKAGESDRIVER=") && kv != "GOPACKAGESDRIVER=off" {
			return nil, false, nil // go/packages asks another driver
		}
	}
	fp := newFileParser()
	spec := speculate(opts, dir, env, patterns, fp)
	list, goroot, runtimeFound, ok := walkList(dir, env, buildFlags(opts), patterns, fp)
	if os.Getenv(typedEnv) == "why" {
		fmt.Fprintf(os.Stderr, "autotrace: packages found by walking the module with the go command's build context: %v\n", ok)
	}
	if !ok {
		list, goroot, runtimeFound, ok = listWithRuntime(dir, env, buildFlags(opts), patterns)
	}
	<-spec.done
	if !ok || slices.ContainsFunc(list, func(l *listed) bool { return l.Err }) {
		return nil, false, nil // the typed load reports the problem as it always has
	}
	fset := fp.fset
	var pkgs []*fastPackage
	var imports *importer
	matched := spec.matches(list, goroot)
	if os.Getenv(typedEnv) == "why" {
		fmt.Fprintf(os.Stderr, "autotrace: package list guessed right while go list ran: %v\n", matched)
	}
	if matched {
		pkgs, imports = spec.pkgs, spec.imports
	} else {
		if pkgs, ok = parsePackages(list, fp); !ok {
			return nil, false, nil
		}
		imports = newImporter(pkgs, goroot)
		parallel.For(len(pkgs), 0, func(i int) { classify(fset, pkgs[i], imports, opts.All) })
	}
	if again := needImports(pkgs, imports); len(again) > 0 && imports.fetchMissed(dir, env, buildFlags(opts)) {
		parallel.For(len(again), 0, func(i int) { classify(fset, again[i], imports, opts.All) })
	}
	var typedPaths []string
	for _, p := range pkgs {
		if p.ImportPath == "command-line-arguments" {
			return nil, false, nil // cannot be named again on its own
		}
		if p.why != "" {
			typedPaths = append(typedPaths, p.ImportPath)
			if os.Getenv(typedEnv) == "why" {
				fmt.Fprintf(os.Stderr, "autotrace: type-checking %s: %s\n", p.ImportPath, rel(dir, p.why))
			}
		}
	}
	if len(typedPaths) == len(pkgs) {
		return nil, false, nil
	}
	typed := map[string][]*File{}
	if len(typedPaths) > 0 {
		tpkgs, err := loadPackages(opts, dir, typedPaths, true)
		if err != nil {
			return nil, true, err
		}
		for _, p := range tpkgs {
			fs, err := packageFiles(dir, p, opts.All, true)
			if err != nil {
				return nil, true, err
			}
			typed[p.PkgPath] = fs
		}
	}
	for _, p := range pkgs {
		if p.why != "" {
			fs, found := typed[p.ImportPath]
			if !found {
				return nil, false, nil // not what go/packages named it: load it all typed
			}
			files = append(files, fs...)
			continue
		}
		if p.ready != nil {
			files = append(files, p.ready...)
		} else {
			files = append(files, syntaxFiles(dir, p)...)
		}
	}
	for _, f := range files {
		f.runtimeFound = runtimeFound
	}
	return files, true, nil
}

// listWithRuntime is goList of patterns, also asked, when runtimeExtra
// says it may be, whether the runtime is found (runtimeFound); list is
// what patterns alone give. When go list fails or its answer cannot be
// told apart from the runtime's, it asks again without the runtime.
func listWithRuntime(dir string, env, flags, patterns []string) (list []*listed, goroot string, runtimeFound, ok bool) {
	if extra := runtimeExtra(dir, patterns); extra != nil {
		list, goroot, ok = goList(dir, env, flags, append(slices.Clip(patterns), extra...))
		ambiguous := false
		if ok {
			list, runtimeFound, ambiguous = takeRuntime(dir, list)
		}
		if ok && !ambiguous {
			return list, goroot, runtimeFound, len(list) > 0
		}
	}
	list, goroot, ok = goList(dir, env, flags, patterns)
	return list, goroot, false, ok
}

// needImports returns the packages that need types, but not for cgo: maybe
// only because of imports nothing is known about (other modules'), which
// it notes as missed, to be read.
func needImports(pkgs []*fastPackage, imports *importer) []*fastPackage {
	var again []*fastPackage
	for _, p := range pkgs {
		if p.why == "" || p.Cgo {
			continue
		}
		again = append(again, p)
		for _, f := range p.files {
			for _, imp := range f.Imports {
				if path, err := strconv.Unquote(imp.Path.Value); err == nil {
					imports.lookup(path) // notes what is missing
				}
			}
		}
	}
	return again
}

// classify sets p.inputs or p.why; all is Options.All.
func classify(fset *token.FileSet, p *fastPackage, imports *importer, all bool) {
	p.inputs, p.why = nil, ""
	if p.Cgo {
		p.why = p.ImportPath + ": cgo"
		return
	}
	prep := rewrite.Prepare{Fset: fset, Sources: p.sources(), All: all, ForEach: forEachFile}
	p.inputs, p.why = prep.Syntax(p.ImportPath, imports.lookup)
}

// sources is p's files for rewrite.Prepare.
func (p *fastPackage) sources() []rewrite.Source {
	out := make([]rewrite.Source, len(p.GoFiles))
	for i, path := range p.GoFiles {
		out[i] = rewrite.Source{Filename: path, Src: p.srcs[i], File: p.files[i]}
	}
	return out
}

// forEachFile is the rewriter's per-file work on all CPUs.
func forEachFile(n int, do func(i int)) { parallel.For(n, 0, do) }

// syntaxFiles is packageFiles for a package that needs no types.
func syntaxFiles(dir string, p *fastPackage) []*File {
	return ownFiles(dir, p.sources(), p.inputs)
}

// parsePackages reads and parses every file of the listed packages with
// fp, on all CPUs, sorted by import path; ok is false if any file cannot
// be read or parsed.
func parsePackages(list []*listed, fp *fileParser) ([]*fastPackage, bool) {
	pkgs := make([]*fastPackage, len(list))
	type job struct{ p, i int }
	var jobs []job
	for i, l := range list {
		pkgs[i] = &fastPackage{listed: l, srcs: make([][]byte, len(l.GoFiles)), files: make([]*ast.File, len(l.GoFiles))}
		for j := range l.GoFiles {
			jobs = append(jobs, job{i, j})
		}
	}
	failed := make([]bool, len(jobs))
	parallel.For(len(jobs), 0, func(k int) {
		p, i := pkgs[jobs[k].p], jobs[k].i
		var err error
		p.srcs[i], p.files[i], err = fp.get(p.GoFiles[i])
		failed[k] = err != nil
	})
	if slices.Contains(failed, true) {
		return nil, false
	}
	sort.Slice(pkgs, func(i, j int) bool { return pkgs[i].ImportPath < pkgs[j].ImportPath })
	return pkgs, true
}
