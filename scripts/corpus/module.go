package main

import (
	"bufio"
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"time"
)

// result is one module's row of the table.
type result struct {
	module         string
	files, funcs   int
	base           int
	gen, tool, rec string // pass counts, "n/a", or "-" when not run
	spans          int
	roundTrip      string
	shortTests     bool // no spans, and no test binary ran past the first flush
	elapsed        time.Duration
	problems       []string
}

func (r *result) ok() bool { return len(r.problems) == 0 }

func (r *result) fail(format string, args ...any) {
	r.problems = append(r.problems, fmt.Sprintf(format, args...))
}

// flushInterval is the runtime's default periodic flush, in seconds (with
// a margin): a test binary must run this long for its spans to be written.
const flushInterval = 1.5

// checkModule runs every check on one module@version in a directory of its
// own under tmp.
func checkModule(mod string, cfg *config) *result {
	start := time.Now()
	path, _, _ := strings.Cut(mod, "@")
	r := &result{module: mod, gen: "-", tool: "-", rec: "-", roundTrip: "-"}
	defer func() { r.elapsed = time.Since(start) }()

	d, err := download(mod)
	if err != nil {
		r.fail("%v", err)
		return r
	}
	dir := filepath.Join(cfg.tmp, strings.NewReplacer("/", "_", "@", "_").Replace(mod))
	if err := copyTree(d.Dir, dir); err != nil {
		r.fail("copy: %v", err)
		return r
	}
	if !cfg.keep {
		defer os.RemoveAll(dir)
	}
	if err := prepare(dir, d, cfg.root); err != nil {
		r.fail("prepare: %v", err)
		return r
	}
	orig, err := takeSnapshot(dir)
	if err != nil {
		r.fail("%v", err)
		return r
	}

	base := goTest(dir, nil)
	r.base = len(base.pass)
	if len(base.pass) == 0 {
		r.fail("baseline: no test passed: %v\n%s", base.err, strings.Join(base.other, "\n"))
		return r
	}

	// (2) toolexec, on the original sources.
	if cfg.toolexec {
		t := goTest(dir, nil, "-toolexec="+cfg.autotrace+" -all")
		r.tool = r.compare("toolexec", base, t, nil)
	} else {
		r.tool = "n/a"
	}

	// gen -all, then (1) the tests and (3) the tests recording.
	if out, err := run(dir, nil, cmdTimeout, cfg.autotrace, "gen", "-all", "./..."); err != nil {
		r.fail("gen -all: %v\n%s", err, out)
		return r
	}
	gen, err := takeSnapshot(dir)
	if err != nil {
		r.fail("%v", err)
		return r
	}
	r.files, r.funcs = gen.instrumented(orig)
	if err := checkFastPath(dir, gen, cfg); err != nil {
		r.fail("%v", err)
		return r
	}

	g := goTest(dir, nil)
	r.gen = r.compare("gen", base, g, nil)

	trace := filepath.Join(cfg.tmp, "trace.bin")
	os.Remove(trace)
	rec := goTest(dir, []string{"AUTOTRACE_OUT=" + trace})
	r.rec = r.compare("recording", base, rec, cfg.known[path])
	r.spans = countSpans(cfg.autotrace, trace)
	os.Remove(trace)
	switch {
	case r.spans > 0:
	case rec.longest < flushInterval:
		// Test binaries exit with os.Exit and never shut the runtime down,
		// so only the periodic flush writes spans; these all ended first.
		r.shortTests = true
	default:
		r.fail("recording: no spans in AUTOTRACE_OUT, though a test binary ran %.1fs", rec.longest)
	}

	// Round trip: a second gen changes nothing, strip restores every file.
	r.roundTrip = "ok"
	if out, err := run(dir, nil, cmdTimeout, cfg.autotrace, "gen", "-all", "./..."); err != nil {
		r.fail("second gen -all: %v\n%s", err, out)
		r.roundTrip = "FAIL"
	} else if again, err := takeSnapshot(dir); err != nil || len(again.diff(gen)) > 0 {
		r.fail("second gen -all changed: %v %v", again.diff(gen), err)
		r.roundTrip = "FAIL"
	}
	if out, err := run(dir, nil, cmdTimeout, cfg.autotrace, "strip", "./..."); err != nil {
		r.fail("strip: %v\n%s", err, out)
		r.roundTrip = "FAIL"
	} else if back, err := takeSnapshot(dir); err != nil || len(back.diff(orig)) > 0 {
		r.fail("strip did not restore: %v %v", back.diff(orig), err)
		r.roundTrip = "FAIL"
	}
	return r
}

// compare records every test that passed in base and not in run, and
// returns run's pass count for the table.
func (r *result) compare(what string, base, run *testRun, allowed map[string]string) string {
	ok := map[string]bool{}
	for t := range allowed {
		ok[t] = true
	}
	missing := lost(base, run, ok)
	for i, t := range missing {
		if i == 10 {
			r.fail("%s: ... and %d more", what, len(missing)-10)
			break
		}
		detail := strings.Join(run.output[t], "")
		if pkg, _, _ := strings.Cut(t, " "); detail == "" {
			detail = strings.Join(run.output[pkg+" "], "") // a crash, say
		}
		if detail == "" && len(run.other) > 0 {
			detail = strings.Join(firstN(run.other, 20), "\n")
		}
		r.fail("%s: %s passed in the baseline, not here:\n%s", what, t, indent(detail))
	}
	s := fmt.Sprint(len(run.pass))
	if len(missing) > 0 {
		s += " FAIL"
	}
	return s
}

func firstN(s []string, n int) []string {
	if len(s) > n {
		return s[:n]
	}
	return s
}

func indent(s string) string {
	lines := strings.Split(strings.TrimRight(s, "\n"), "\n")
	return "\t" + strings.Join(firstN(lines, 30), "\n\t")
}

// countSpans counts the spans of a trace file, reading its JSON Lines
// view (autotrace cat) as a stream: a module's recording run can write
// gigabytes.
func countSpans(autotrace, path string) int {
	if _, err := os.Stat(path); err != nil {
		return 0
	}
	cmd := exec.Command(autotrace, "cat", path) // binary or JSON Lines, as JSON Lines
	out, err := cmd.StdoutPipe()
	if err != nil || cmd.Start() != nil {
		return 0
	}
	defer cmd.Wait()
	r := bufio.NewReaderSize(out, 1<<20)
	n, lineStart := 0, true
	for {
		chunk, err := r.ReadSlice('\n')
		if lineStart && bytes.HasPrefix(chunk, []byte(`{"trace_id"`)) {
			n++
		}
		lineStart = err == nil // a line longer than the buffer continues
		if err != nil && err != bufio.ErrBufferFull {
			return n
		}
	}
}
