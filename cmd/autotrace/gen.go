package main

import (
	"errors"
	"flag"
	"fmt"
	"go/parser"
	"go/token"
	"io"
	"runtime/debug"

	"github.com/rogpeppe/go-internal/diff"

	"github.com/autotrace/autotrace/internal/driver"
	"github.com/autotrace/autotrace/rewrite"
)

// writeFlags are the flags of the commands that write: gen and strip.
type writeFlags struct {
	list bool // -l: list the files whose contents change
	diff bool // -d: print the diff instead of writing
}

// rewriteFlagSet defines the flags gen, check, diff and strip share: -all
// for those that instrument, -l and -d for those that write.
func rewriteFlagSet(name string, withAll bool) (*flag.FlagSet, *driver.Options, *writeFlags) {
	fs := flag.NewFlagSet("autotrace "+name, flag.ContinueOnError)
	opts := new(driver.Options)
	if withAll {
		fs.BoolVar(&opts.All, "all", false, "instrument every function and method with a body, except those marked //autotrace:skip")
	}
	fs.StringVar(&opts.Tags, "tags", "", "comma-separated build `tags`, as for go build")
	w := new(writeFlags)
	if name == "gen" || name == "strip" {
		fs.BoolVar(&w.list, "l", false, "list the files whose contents change")
		fs.BoolVar(&w.diff, "d", false, "print the unified diff of the changes and write nothing (a dry run)")
	}
	return fs, opts, w
}

// rewriteFlags parses the flags of gen, check, diff or strip; a usage
// error names the flag and prints the command's usage.
func rewriteFlags(name string, args []string, stderr io.Writer, withAll bool) (driver.Options, *writeFlags, error) {
	fs, opts, w := rewriteFlagSet(name, withAll)
	fs.SetOutput(stderr)
	fs.Usage = func() { printUsage(stderr, lookup(name)) }
	if err := fs.Parse(args); err != nil {
		return *opts, nil, err
	}
	opts.Patterns = fs.Args()
	opts.Progress = progress(stderr)
	// A run allocates mostly syntax trees that live until it ends: the
	// collector running less often saves a fifth of its time (G1).
	debug.SetGCPercent(400)
	return *opts, w, nil
}

// printProblems prints problems, vet-style, and returns the exit status for them.
func printProblems(stderr io.Writer, err error) int {
	var list rewrite.ErrorList
	if errors.As(err, &list) {
		for _, e := range list {
			fmt.Fprintln(stderr, e)
		}
	} else if joined, ok := err.(interface{ Unwrap() []error }); ok {
		for _, e := range joined.Unwrap() {
			fmt.Fprintln(stderr, "autotrace:", e)
		}
	} else {
		fmt.Fprintln(stderr, "autotrace:", err)
	}
	return exitUsage
}

func printWarnings(stderr io.Writer, results []*driver.Result) {
	var all rewrite.ErrorList
	for _, r := range results {
		all = append(all, r.Warnings...)
	}
	for _, w := range driver.Relative("", all) {
		fmt.Fprintf(stderr, "%s: warning: %s\n", w.Pos, w.Msg)
	}
}

// noteMissingMain says, once, what line to add when a run instruments
// packages but rewrites no main package: gen gives a main.main it
// rewrites a deferred autotrace.EndMain, which writes the last spans when
// main returns, and Go offers a package no other way to run code then.
func noteMissingMain(stderr io.Writer, results []*driver.Result) {
	spans := false
	for _, r := range results {
		if packageName(r.New) == "main" {
			return
		}
		spans = spans || len(r.Spans) > 0
	}
	if spans {
		fmt.Fprintln(stderr, "autotrace: note: no main package was rewritten; so that a short program writes its last spans when main returns, "+
			"run autotrace gen on its main package too, or add `defer autotrace.EndMain()` as the first line of its main.main "+
			"(import autotrace \"github.com/autotrace/autotrace/runtime\")")
	}
}

// packageName returns the name in src's package clause, or "".
func packageName(src []byte) string {
	f, err := parser.ParseFile(token.NewFileSet(), "", src, parser.PackageClauseOnly)
	if err != nil {
		return ""
	}
	return f.Name.Name
}

func cmdGen(args []string, stdout, stderr io.Writer) int {
	return rewriteInPlace("gen", driver.Gen, args, stdout, stderr)
}

func cmdStrip(args []string, stdout, stderr io.Writer) int {
	return rewriteInPlace("strip", driver.Strip, args, stdout, stderr)
}

// rewriteInPlace runs gen or strip and writes the results, listing the
// changed files with -l, or prints their diff with -d and writes nothing.
func rewriteInPlace(name string, rewriteAll func(driver.Options) ([]*driver.Result, error), args []string, stdout, stderr io.Writer) int {
	opts, w, err := rewriteFlags(name, args, stderr, name == "gen")
	if err != nil {
		return exitUsage
	}
	results, err := rewriteAll(opts)
	if err != nil {
		return printProblems(stderr, err)
	}
	printWarnings(stderr, results)
	if name == "gen" {
		if err := resolveRules(opts, results, stderr); err != nil {
			return printProblems(stderr, err)
		}
	}
	if w.diff {
		printDiffs(stdout, results)
		return exitOK
	}
	if name == "gen" {
		// Gen refuses to write code that would not build.
		if err := driver.RequireRuntime(opts, results); err != nil {
			return printProblems(stderr, err)
		}
	}
	if err := driver.Write(results); err != nil {
		return printProblems(stderr, err)
	}
	if name == "gen" {
		noteMissingMain(stderr, results)
	}
	if w.list {
		for _, r := range results {
			if r.Changed() {
				fmt.Fprintln(stdout, r.File.Rel)
			}
		}
	}
	return exitOK
}

func cmdCheck(args []string, stdout, stderr io.Writer) int {
	opts, _, err := rewriteFlags("check", args, stderr, true)
	if err != nil {
		return exitUsage
	}
	results, err := driver.Gen(opts)
	if err != nil {
		return printProblems(stderr, err)
	}
	printWarnings(stderr, results)
	noteMissingMain(stderr, results)
	if err := resolveRules(opts, results, stderr); err != nil {
		return printProblems(stderr, err)
	}
	var findings rewrite.ErrorList
	for _, r := range results {
		if !r.Changed() {
			continue
		}
		fs, err := rewrite.Compare(r.File.Path, r.File.Src, r.New)
		if err != nil {
			return printProblems(stderr, err)
		}
		findings = append(findings, fs...)
	}
	for _, f := range driver.Relative("", findings) {
		fmt.Fprintln(stdout, f)
	}
	if len(findings) > 0 {
		return exitDiff
	}
	return exitOK
}

func cmdDiff(args []string, stdout, stderr io.Writer) int {
	opts, _, err := rewriteFlags("diff", args, stderr, true)
	if err != nil {
		return exitUsage
	}
	results, err := driver.Gen(opts)
	if err != nil {
		return printProblems(stderr, err)
	}
	if printDiffs(stdout, results) {
		return exitDiff
	}
	return exitOK
}

// printDiffs prints the unified diff of every changed result and reports
// whether there was one.
func printDiffs(stdout io.Writer, results []*driver.Result) bool {
	changed := false
	for _, r := range results {
		if r.Changed() {
			stdout.Write(diff.Diff("a/"+r.File.Rel, r.File.Src, "b/"+r.File.Rel, r.New))
			changed = true
		}
	}
	return changed
}

// resolveRules checks the rules written in the files of results (see
// driver.Rules) and says, once, that they take effect only in a build:
// gen cannot rewrite another package.
func resolveRules(opts driver.Options, results []*driver.Result, stderr io.Writer) error {
	n, err := driver.Rules(opts, results)
	if err != nil {
		return err
	}
	if n > 0 {
		fmt.Fprintf(stderr, "autotrace: note: %d rules name functions of other packages; gen does not rewrite those, they take effect in builds under -toolexec=autotrace\n", n)
	}
	return nil
}
