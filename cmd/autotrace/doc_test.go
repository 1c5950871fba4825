package main

import (
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/rogpeppe/go-internal/diff"
	"github.com/rogpeppe/go-internal/testscript"
)

// docPages are the pages TestDocs reads, relative to the repository root.
func docPages(t *testing.T, root string) []string {
	pages, err := filepath.Glob(filepath.Join(root, "docs", "*.md"))
	if err != nil {
		t.Fatal(err)
	}
	pages = append([]string{filepath.Join(root, "README.md")}, pages...)
	for i, p := range pages {
		pages[i], _ = filepath.Rel(root, p)
	}
	return pages
}

// TestDocs runs what README.md and docs/*.md show: every marked command
// block, in order, as a testscript with this test binary as autotrace;
// file= blocks are written, cmp= and contains= blocks compared with the
// files the commands leave, stdout blocks compared by shape with what the
// command printed. A sh or go block with no marker fails the test (the
// convention is in docblocks_test.go and docs/README.md).
func TestDocs(t *testing.T) {
	root, err := filepath.Abs("../..")
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	var problems []string
	n := 0
	for _, page := range docPages(t, root) {
		src, err := os.ReadFile(filepath.Join(root, page))
		if err != nil {
			t.Fatal(err)
		}
		scripts, errs := parseDocPage(page, string(src))
		problems = append(problems, errs...)
		for _, s := range scripts {
			name := strings.NewReplacer("/", "_", ".md", "").Replace(page) + "-" + s.name + ".txtar"
			if err := os.WriteFile(filepath.Join(dir, name), []byte(s.txtar()), 0o644); err != nil {
				t.Fatal(err)
			}
			n++
		}
	}
	if len(problems) > 0 {
		t.Fatalf("docs break the doctest convention (see docs/README.md, Writing docs):\n%s", strings.Join(problems, "\n"))
	}
	if n == 0 {
		t.Fatal("no doctest scripts in README.md or docs/")
	}
	testscript.Run(t, testscript.Params{
		Dir:                 dir,
		RequireExplicitExec: true,
		Setup:               scriptSetup(t, root),
		Cmds: map[string]func(*testscript.TestScript, bool, []string){
			"spans":         cmdSpans,
			"use-autotrace": cmdUseAutotrace,
			"doc-sh":        cmdDocSh,
			"doc-output":    cmdDocOutput,
			"doc-contains":  cmdDocContains,
		},
	})
}

// cmdDocSh runs one command of a sh block with bash, checks its exit
// status and adds what it printed to the block's output:
//
//	doc-sh -new                    a new block: its output starts empty
//	doc-sh PAGE:LINE STATUS COMMAND
func cmdDocSh(ts *testscript.TestScript, neg bool, args []string) {
	if len(args) == 1 && args[0] == "-new" {
		for _, stream := range []string{"stdout", "stderr"} {
			ts.Check(os.WriteFile(blockOutput(ts, stream), nil, 0o644))
		}
		return
	}
	if neg || len(args) != 3 {
		ts.Fatalf("usage: doc-sh -new | doc-sh PAGE:LINE STATUS COMMAND")
	}
	loc, want, command := args[0], args[1], args[2]
	err := ts.Exec("bash", "-c", "set -euo pipefail\n"+command)
	status := "0"
	if err != nil {
		var exit *exec.ExitError
		if !errors.As(err, &exit) {
			ts.Fatalf("%s: %s: %v", loc, command, err)
		}
		status = strconv.Itoa(exit.ExitCode())
	}
	for _, stream := range []string{"stdout", "stderr"} {
		f, err := os.OpenFile(blockOutput(ts, stream), os.O_APPEND|os.O_WRONLY, 0)
		ts.Check(err)
		_, err = f.WriteString(ts.ReadFile(stream))
		ts.Check(err)
		ts.Check(f.Close())
	}
	if status != want {
		ts.Fatalf("%s: %s: exit status %s, want %s (its output is above)", loc, command, status, want)
	}
}

// blockOutput is the file that collects what a sh block's commands print.
func blockOutput(ts *testscript.TestScript, stream string) string {
	return filepath.Join(ts.Getenv("WORK"), ".doctest", "block."+stream)
}

// cmdDocOutput compares what the commands of the last sh block printed on
// stdout or stderr with a block, by shape:
//
//	doc-output stdout|stderr BLOCKFILE PAGE:LINE
func cmdDocOutput(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) != 3 || (args[0] != "stdout" && args[0] != "stderr") {
		ts.Fatalf("usage: doc-output stdout|stderr BLOCKFILE PAGE:LINE")
	}
	stream, want, loc := args[0], ts.ReadFile(args[1]), args[2]
	got := ts.ReadFile(blockOutput(ts, stream))
	if outputShape(got) == outputShape(want) {
		return
	}
	hint := ""
	if strings.Contains(got, "no spans") || strings.Contains(got, "\n0 spans") {
		hint = "\nThe program recorded no spans: every span ended before main.main returns must be in the file, annotated main or not (DESIGN §5 Exit, issue #15)."
	}
	ts.Fatalf("%s: the command's %s no longer matches the block there (durations, ids, percentages, numbers of 3+ digits and spacing aside); update the page or fix the command:\n%s%s",
		loc, stream, diff.Diff("block", []byte(outputShape(want)), stream, []byte(outputShape(got))), hint)
}

// cmdDocContains checks that a file holds a block, verbatim:
//
//	doc-contains FILE BLOCKFILE PAGE:LINE
func cmdDocContains(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) != 3 {
		ts.Fatalf("usage: doc-contains FILE BLOCKFILE PAGE:LINE")
	}
	file, block := ts.ReadFile(args[0]), ts.ReadFile(args[1])
	if !strings.Contains(file, block) {
		ts.Fatalf("%s: %s does not contain the block there; it is:\n%s", args[2], args[0], file)
	}
}

// The parts of a command's output that change from run to run.
var (
	shapeHexID    = regexp.MustCompile(`\b[0-9a-f]{16,}\b`)
	shapeDuration = regexp.MustCompile(`-?\b(?:\d+(?:\.\d+)?(?:ns|µs|us|ms|h|m|s))+\b`)
	shapePercent  = regexp.MustCompile(`\b\d+(?:\.\d+)?%`)
	shapeLongNum  = regexp.MustCompile(`\b\d{3,}\b`)
	shapeSpaces   = regexp.MustCompile(`[ \t]+`)
)

// outputShape is out with what changes between runs replaced by
// placeholders: ids, durations, percentages, numbers of three or more digits
// (process ids, byte counts), and runs of spaces (column widths). Counts
// under 100, words and the order of lines are kept.
func outputShape(out string) string {
	var b strings.Builder
	for _, line := range strings.Split(strings.TrimRight(out, "\n"), "\n") {
		line = shapeHexID.ReplaceAllString(line, "<id>")
		line = shapeDuration.ReplaceAllString(line, "<dur>")
		line = shapePercent.ReplaceAllString(line, "<pct>")
		line = shapeLongNum.ReplaceAllString(line, "<n>")
		line = shapeSpaces.ReplaceAllString(line, " ")
		b.WriteString(strings.TrimSpace(line) + "\n")
	}
	return b.String()
}
