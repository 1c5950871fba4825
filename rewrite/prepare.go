package rewrite

import (
	"fmt"
	"go/ast"
	"go/token"
	"go/types"
	"strings"
)

// Source is one of a package's own files as its author wrote it: one of
// the files the Go runtime numbers init functions and package-level
// literals across (see Counters).
type Source struct {
	Filename string
	Src      []byte
	File     *ast.File // Src parsed with parser.ParseComments into Prepare.Fset
}

// Checked is one type check of a package: the files the type checker was
// given, in order (the package's Sources, and any others the compiler is
// given: cgo's translations, tests), the package it made (nil when it made
// none) and its Info, which must have the maps of NewTypesInfo.
type Checked struct {
	Files []*ast.File
	Pkg   *types.Package
	Info  *types.Info
}

// Prepare is a package to prepare for rewriting, the counterpart of
// go/analysis's Pass: its own files, in the compiler's order, and how to
// run the work that is file by file. Its methods derive, once for the
// whole package, everything Gen reads of each file (facts, package names,
// go statements, signatures, numbering) and return one Input per Source,
// in order, so that no loader assembles an Input by hand.
type Prepare struct {
	Fset    *token.FileSet
	Sources []Source
	All     bool // instrument every function declaration not marked skip
	// Rules name functions of this package to instrument (see Rule);
	// RuleErrors reports those it does not have.
	Rules []Rule

	// ForEach runs do(0) … do(n-1), calls independent of each other; nil
	// runs them in order. The rewriter starts no goroutine of its own: a
	// driver that wants the per-file work of Syntax on several CPUs passes
	// its own.
	ForEach func(n int, do func(i int))
}

// forEach is p.ForEach, or a loop.
func (p Prepare) forEach(n int, do func(i int)) {
	if p.ForEach != nil {
		p.ForEach(n, do)
		return
	}
	for i := range n {
		do(i)
	}
}

// Typed prepares the package from a type check of it. A Source among
// c.Files gets the facts of the whole checked package (PackageFacts), its
// go statements (GoCalls) and signatures (Signatures); one that is not
// (a file cgo translated) gets facts from syntax.
func (p Prepare) Typed(c Checked) ([]Input, error) {
	if missing := TypesInfoMissing(c.Info); len(missing) > 0 {
		return nil, fmt.Errorf("type information without %s", strings.Join(missing, ", "))
	}
	units := newUnits(c.Files)
	checked := map[*ast.File]int{}
	for i, f := range c.Files {
		checked[f] = i
	}
	// Facts for the whole package at once: keeping a context or request
	// crosses files (see PackageFacts).
	facts := packageFacts(units, c.Info)
	names := map[string]bool{}
	if c.Pkg != nil {
		for _, n := range c.Pkg.Scope().Names() {
			names[n] = true
		}
	}
	return p.inputs(names, func(i int, in *Input) {
		// Gen parses the file again, as it always has for a type-checked
		// one: the syntax a type checker was given need not be parsed the
		// way Gen parses (go/packages parses with parser.AllErrors).
		f := p.Sources[i].File
		in.File, in.Fset = nil, nil
		j, ok := checked[f]
		if !ok {
			return
		}
		in.Facts = facts[j]
		if u := units[j]; c.Pkg != nil {
			in.GoCalls = goCalls(f, u.imps, c.Info, c.Pkg)
			in.Signatures = signatures(u.fns, c.Info)
		}
	}), nil
}

// Syntax prepares the package of import path path without type-checking
// it, as SyntaxPackage does (imports describes the packages it imports),
// or returns why that cannot be known without types. Its Sources must be
// all the files the compiler is given.
func (p Prepare) Syntax(path string, imports func(path string) (Import, bool)) ([]Input, string) {
	files := make([]*ast.File, len(p.Sources))
	for i, s := range p.Sources {
		files[i] = s.File
	}
	syn, why := syntaxPackage(p.Fset, path, files, imports, p.forEach)
	if why != "" {
		return nil, why
	}
	return p.inputs(ScopeNames(files), func(i int, in *Input) {
		in.Facts, in.GoCalls = syn.Facts[i], syn.GoCalls[i]
	}), ""
}

// inputs is one Input per Source, numbered in order, with names as
// PackageNames and what facts says of each.
func (p Prepare) inputs(names map[string]bool, facts func(i int, in *Input)) []Input {
	out := make([]Input, len(p.Sources))
	var counters Counters
	for i, s := range p.Sources {
		out[i] = Input{
			Filename:     s.Filename,
			Src:          s.Src,
			PackageNames: names,
			Counters:     counters,
			All:          p.All,
			Rules:        p.Rules,
			File:         s.File,
			Fset:         p.Fset,
		}
		counters = counters.Count(s.File)
		facts(i, &out[i])
	}
	return out
}

// RuleErrors reports, at each rule's position, the rules that name a
// function the package of import path path does not declare with a body
// among its Sources.
func (p Prepare) RuleErrors(path string) ErrorList {
	have := map[string]bool{} // declared functions: true with a body
	for _, s := range p.Sources {
		for _, d := range s.File.Decls {
			if fd, ok := d.(*ast.FuncDecl); ok {
				name := declName(fd)
				have[name] = have[name] || fd.Body != nil
			}
		}
	}
	var errs ErrorList
	for _, r := range p.Rules {
		body, ok := have[r.Func]
		switch {
		case !ok:
			errs = append(errs, &Error{r.Pos, fmt.Sprintf("package %s has no function or method %s", path, r.Func)})
		case !body:
			errs = append(errs, &Error{r.Pos, fmt.Sprintf("%s.%s has no body (assembly or linkname): it cannot be instrumented", path, r.Func)})
		}
	}
	errs.Sort()
	return errs
}
