package main

import (
	"bufio"
	"encoding/json"
	"sort"
	"strings"
	"time"
)

// testTimeout bounds one go test run of one module.
var testTimeout = 8 * time.Minute

// testRun is the outcome of one go test run: the tests that passed and
// failed, by "package TestName" (subtests included).
type testRun struct {
	pass, fail map[string]bool
	output     map[string][]string // test output, by test, for failures
	other      []string            // lines that are not JSON: build errors
	longest    float64             // seconds, the longest-running test binary
	err        error
}

// goTest runs the module's tests in dir with go test -vet=off -json ./...
// plus extra flags and environment.
func goTest(dir string, env []string, extra ...string) *testRun {
	args := append([]string{"test", "-vet=off", "-json", "-p", "2", "-count=1", "-timeout", "5m"}, extra...)
	args = append(args, "./...")
	out, err := run(dir, env, testTimeout, "go", args...)
	r := &testRun{pass: map[string]bool{}, fail: map[string]bool{}, output: map[string][]string{}, err: err}
	sc := bufio.NewScanner(strings.NewReader(out))
	sc.Buffer(make([]byte, 1<<20), 16<<20)
	for sc.Scan() {
		line := sc.Text()
		var ev struct {
			Action, Package, Test, Output string
			Elapsed                       float64
		}
		if !strings.HasPrefix(line, "{") || json.Unmarshal([]byte(line), &ev) != nil {
			r.other = append(r.other, line)
			continue
		}
		key := ev.Package + " " + ev.Test
		switch {
		case ev.Action == "output":
			if len(r.output[key]) < 200 {
				r.output[key] = append(r.output[key], ev.Output)
			}
		case ev.Test == "":
			r.longest = max(r.longest, ev.Elapsed)
			if ev.Action == "fail" {
				r.fail[key] = true // a package that failed, maybe to build
			}
		case ev.Action == "pass":
			r.pass[key] = true
		case ev.Action == "fail":
			r.fail[key] = true
		}
	}
	return r
}

// lost returns the tests that passed in base but not in r, minus allowed.
func lost(base, r *testRun, allowed map[string]bool) []string {
	var out []string
	for t := range base.pass {
		if !r.pass[t] && !allowed[t] {
			out = append(out, t)
		}
	}
	sort.Strings(out)
	return out
}
