package main

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
)

// checkFastPath checks, in a module directory holding gen's output gen,
// that gen -all gives the same bytes when every package is type-checked
// (AUTOTRACE_TYPED=1) as when only those that need it are (the default):
// it strips, runs the typed gen and compares. The directory is left as gen
// left it.
func checkFastPath(dir string, gen snapshot, cfg *config) error {
	if out, err := run(dir, nil, cmdTimeout, cfg.autotrace, "strip", "./..."); err != nil {
		return fmt.Errorf("strip: %v\n%s", err, out)
	}
	if out, err := run(dir, []string{"AUTOTRACE_TYPED=1"}, cmdTimeout, cfg.autotrace, "gen", "-all", "./..."); err != nil {
		return fmt.Errorf("gen -all, every package typed: %v\n%s", err, out)
	}
	typed, err := takeSnapshot(dir)
	if err != nil {
		return err
	}
	if d := typed.diff(gen); len(d) > 0 {
		return fmt.Errorf("gen -all type-checking only what needs it differs from type-checking everything in %s", strings.Join(d, ", "))
	}
	return nil
}

// runFastPath runs checkFastPath on every module, without their tests, and
// says which of their packages the fast path type-checks.
func runFastPath(mods []string, cfg *config) int {
	failed := 0
	for _, m := range mods {
		d, err := download(m)
		check(err)
		dir := filepath.Join(cfg.tmp, strings.NewReplacer("/", "_", "@", "_").Replace(m))
		check(copyTree(d.Dir, dir))
		check(prepare(dir, d, cfg.root))
		out, err := run(dir, []string{"AUTOTRACE_TYPED=why"}, cmdTimeout, cfg.autotrace, "gen", "-all", "./...")
		if err != nil {
			fatal("%s: gen -all: %v\n%s", m, err, out)
		}
		gen, err := takeSnapshot(dir)
		check(err)
		if err := checkFastPath(dir, gen, cfg); err != nil {
			failed++
			fmt.Printf("%s: FAIL: %v\n", m, err)
		} else {
			fmt.Printf("%s: ok\n", m)
		}
		for _, line := range strings.Split(strings.TrimSpace(out), "\n") {
			if line != "" {
				fmt.Printf("\t%s\n", line)
			}
		}
		if !cfg.keep {
			os.RemoveAll(dir)
		}
	}
	if failed > 0 {
		return 1
	}
	return 0
}
