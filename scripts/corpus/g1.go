package main

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"
)

// g1Rounds is how many times each command is timed; the best time counts.
const g1Rounds = 3

// runG1 times autotrace gen -all ./... against gofmt -l on the same files
// (the packages' non-test Go files, as go list selects them), module by
// module, in one run, and prints the ratio of speeds: budget G1 wants gen
// at least a quarter as fast as gofmt.
func runG1(mods []string, cfg *config) int {
	var totalGen, totalFmt time.Duration
	totalFiles, totalBytes := 0, 0
	fmt.Println("| module | files | KB | gofmt -l | gen -all | gen speed / gofmt speed |")
	fmt.Println("|---|---:|---:|---:|---:|---:|")
	for _, m := range mods {
		d, err := download(m)
		check(err)
		dir := filepath.Join(cfg.tmp, strings.NewReplacer("/", "_", "@", "_").Replace(m))
		check(copyTree(d.Dir, dir))
		check(prepare(dir, d, cfg.root))
		out, err := goCmd(dir, nil, "list", "-f", `{{$d := .Dir}}{{range .GoFiles}}{{$d}}/{{.}}{{"\n"}}{{end}}`, "./...")
		if err != nil {
			fatal("%s: go list: %v\n%s", m, err, out)
		}
		files := strings.Fields(out)
		size := 0
		for _, f := range files {
			if info, err := os.Stat(f); err == nil {
				size += int(info.Size())
			}
		}
		fmtTime := best(func() error {
			_, err := run(dir, nil, cmdTimeout, "gofmt", append([]string{"-l"}, files...)...)
			return err
		}, nil)
		genTime := best(func() error {
			out, err := run(dir, nil, cmdTimeout, cfg.autotrace, "gen", "-all", "./...")
			if err != nil {
				return fmt.Errorf("%v\n%s", err, out)
			}
			return nil
		}, func() error {
			out, err := run(dir, nil, cmdTimeout, cfg.autotrace, "strip", "./...")
			if err != nil {
				return fmt.Errorf("%v\n%s", err, out)
			}
			return nil
		})
		fmt.Printf("| %s | %d | %d | %v | %v | %.2f |\n", m, len(files), size/1024,
			fmtTime.Round(time.Millisecond), genTime.Round(time.Millisecond), fmtTime.Seconds()/genTime.Seconds())
		totalGen += genTime
		totalFmt += fmtTime
		totalFiles += len(files)
		totalBytes += size
		if !cfg.keep {
			os.RemoveAll(dir)
		}
	}
	ratio := totalFmt.Seconds() / totalGen.Seconds()
	verdict := "meets"
	if ratio < 0.25 {
		verdict = "misses"
	}
	fmt.Printf("G1: %d files, %d KB: gofmt -l %v, gen -all %v (best of %d each): gen runs at %.2f of gofmt's speed; %s the budget of 0.25\n",
		totalFiles, totalBytes/1024, totalFmt.Round(time.Millisecond), totalGen.Round(time.Millisecond), g1Rounds, ratio, verdict)
	return 0
}

// best runs f g1Rounds times, with after (untimed) following each run, and
// returns the shortest time. A warm-up run comes first, so the build cache
// holds what type-checking needs.
func best(f, after func() error) time.Duration {
	var min time.Duration
	for i := -1; i < g1Rounds; i++ {
		start := time.Now()
		err := f()
		d := time.Since(start)
		check(err)
		if after != nil {
			check(after())
		}
		if i >= 0 && (min == 0 || d < min) {
			min = d
		}
	}
	return min
}
