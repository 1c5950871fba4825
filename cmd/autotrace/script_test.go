package main

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/autotrace/autotrace/tracefile"
	"github.com/rogpeppe/go-internal/testscript"
)

func TestMain(m *testing.M) {
	testscript.Main(m, map[string]func(){
		"autotrace": func() { os.Exit(run(os.Args[1:], os.Stdout, os.Stderr)) },
	})
}

// TestScripts runs the whole-CLI flows in testdata/script: go generate, go
// build, check and diff exit codes, strip, and the recorded traces of
// instrumented programs.
func TestScripts(t *testing.T) {
	root, err := filepath.Abs("../..")
	if err != nil {
		t.Fatal(err)
	}
	testscript.Run(t, testscript.Params{
		Dir:                 filepath.Join(root, "testdata", "script"),
		RequireExplicitExec: true,
		Setup:               scriptSetup(t, root),
		Cmds: map[string]func(*testscript.TestScript, bool, []string){
			"spans":         cmdSpans,
			"accounted":     cmdAccounted,
			"use-autotrace": cmdUseAutotrace,
			"as-nobody":     cmdAsNobody,
		},
	})
}

// scriptSetup gives a script's module autotrace from this checkout
// (AUTOTRACE_ROOT, for use-autotrace) and the machine's module and build
// caches, so that scripts run offline and share compiled packages.
func scriptSetup(t *testing.T, root string) func(*testscript.Env) error {
	return func(env *testscript.Env) error {
		env.Setenv("AUTOTRACE_ROOT", root)
		for _, k := range []string{"GOCACHE", "GOMODCACHE", "GOPATH", "GOPROXY", "GOFLAGS", "GONOSUMDB", "GOTOOLCHAIN"} {
			if v := goEnv(t, k); v != "" {
				env.Setenv(k, v)
			}
		}
		env.Setenv("GOROOT", runtime.GOROOT())
		env.Setenv("PATH", filepath.Join(runtime.GOROOT(), "bin")+string(os.PathListSeparator)+env.Getenv("PATH"))
		env.Setenv("HOME", env.WorkDir)
		// The programs the scripts build record in this format
		// (scripts/test.sh runs them in JSON Lines as well).
		if v := os.Getenv("AUTOTRACE_FORMAT"); v != "" {
			env.Setenv("AUTOTRACE_FORMAT", v)
		}
		return nil
	}
}

// goEnvCache holds go env's answers; scripts set up in parallel.
var goEnvCache = struct {
	sync.Mutex
	m map[string]string
}{m: map[string]string{}}

func goEnv(t *testing.T, key string) string {
	goEnvCache.Lock()
	defer goEnvCache.Unlock()
	if v, ok := goEnvCache.m[key]; ok {
		return v
	}
	out, err := execOutput("go", "env", key)
	if err != nil {
		t.Fatalf("go env %s: %v", key, err)
	}
	v := strings.TrimSpace(out)
	goEnvCache.m[key] = v
	return v
}

// traceSpan is the part of a recorded span line the scripts check.
type traceSpan struct {
	TraceID  string         `json:"trace_id"`
	SpanID   string         `json:"span_id"`
	ParentID string         `json:"parent_id"`
	Name     string         `json:"name"`
	Status   string         `json:"status"`
	Error    string         `json:"error"`
	Attrs    map[string]any `json:"attrs"`
}

// cmdSpans checks a recorded trace file:
//
//	spans FILE EXPECTATION...
//
// Each expectation is NAME followed by comma-separated conditions, all of
// which at least one span of that name must meet: parent=NAME (the parent's
// name, "-" for a root), status=S, error=SUBSTRING, count=N (the number of
// spans with that name), trace=NAME (same trace as a span named NAME),
// remote (the parent is not in the file), attr=KEY:JSON (the attribute KEY
// is the JSON value, typed: 3 is a number, "3" a string), noattr=KEY. With
// !, no span of that name may exist.
func cmdSpans(ts *testscript.TestScript, neg bool, args []string) {
	if len(args) < 2 {
		ts.Fatalf("usage: spans FILE NAME[,cond...]...")
	}
	f, err := os.Open(ts.MkAbs(args[0]))
	ts.Check(err)
	defer f.Close()
	var spans []traceSpan
	byID := map[string]*traceSpan{}
	view, st := tracefile.JSONLines(f) // binary or JSON Lines
	sc := bufio.NewScanner(view)
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	for line := 1; sc.Scan(); line++ {
		if strings.HasPrefix(sc.Text(), `{"process"`) {
			continue
		}
		var s traceSpan
		dec := json.NewDecoder(bytes.NewReader(sc.Bytes()))
		dec.UseNumber() // attr= compares numbers exactly
		if err := dec.Decode(&s); err != nil {
			ts.Fatalf("%s:%d: %v", args[0], line, err)
		}
		spans = append(spans, s)
	}
	ts.Check(sc.Err())
	if st.Torn+st.Unreadable > 0 {
		ts.Fatalf("%s: %d torn chunks, %d unreadable records", args[0], st.Torn, st.Unreadable)
	}
	for i := range spans {
		byID[spans[i].SpanID] = &spans[i]
	}
	for _, exp := range args[1:] {
		parts := strings.Split(exp, ",")
		name, conds := parts[0], parts[1:]
		var named []*traceSpan
		for i := range spans {
			if spans[i].Name == name {
				named = append(named, &spans[i])
			}
		}
		if neg {
			if len(named) > 0 {
				ts.Fatalf("found %d spans named %s", len(named), name)
			}
			continue
		}
		if len(named) == 0 {
			ts.Fatalf("no span named %s; have: %s", name, spanNames(spans))
		}
		ok := false
		var why string
		for _, s := range named {
			if why = meets(s, conds, byID, spans, len(named)); why == "" {
				ok = true
				break
			}
		}
		if !ok {
			ts.Fatalf("no span %s meets %s: %s", name, strings.Join(conds, ","), why)
		}
	}
}

// cmdAccounted checks that a trace file accounts for every span a run
// ended:
//
//	accounted FILE N
//
// the spans in the file (a fold record's calls one each) plus the spans its process records say were
// dropped are exactly N, and there is a process record.
func cmdAccounted(ts *testscript.TestScript, neg bool, args []string) {
	if len(args) != 2 || neg {
		ts.Fatalf("usage: accounted FILE N")
	}
	want, err := strconv.Atoi(args[1])
	ts.Check(err)
	f, err := os.Open(ts.MkAbs(args[0]))
	ts.Check(err)
	defer f.Close()
	spans, dropped, processes := 0, 0, 0
	view, st := tracefile.JSONLines(f) // binary or JSON Lines
	sc := bufio.NewScanner(view)
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	for sc.Scan() {
		var rec struct {
			Name    string          `json:"name"`
			Cost    json.RawMessage `json:"cost"`
			Process *struct {
				Dropped int `json:"dropped"`
			} `json:"process"`
			Fold *struct {
				Calls int `json:"calls"`
			} `json:"fold"`
		}
		ts.Check(json.Unmarshal(sc.Bytes(), &rec))
		if rec.Cost != nil || rec.Name == "autotrace.flush" {
			continue // the runtime's cost record, or its stall: not the program's spans
		}
		if rec.Fold != nil {
			spans += rec.Fold.Calls // folded calls (AUTOTRACE_FOLD): each an ended span, counted exactly
			continue
		}
		if rec.Process != nil {
			processes++
			dropped += rec.Process.Dropped
			continue
		}
		spans++
	}
	ts.Check(sc.Err())
	if st.Torn+st.Unreadable > 0 {
		ts.Fatalf("%s: %d torn chunks, %d unreadable records", args[0], st.Torn, st.Unreadable)
	}
	if processes == 0 {
		ts.Fatalf("%s: no process record (the runtime was not shut down)", args[0])
	}
	if spans+dropped != want {
		ts.Fatalf("%s: %d spans + %d dropped = %d, want %d", args[0], spans, dropped, spans+dropped, want)
	}
	ts.Logf("%s: %d spans written (folded calls included), %d dropped", args[0], spans, dropped)
}

func meets(s *traceSpan, conds []string, byID map[string]*traceSpan, all []traceSpan, count int) string {
	for _, c := range conds {
		key, val, _ := strings.Cut(c, "=")
		switch key {
		case "parent":
			p := byID[s.ParentID]
			switch {
			case val == "-" && s.ParentID != "":
				return fmt.Sprintf("has parent %s", s.ParentID)
			case val != "-" && (p == nil || p.Name != val):
				got := "none"
				if p != nil {
					got = p.Name
				}
				return fmt.Sprintf("parent is %s", got)
			}
		case "remote":
			if s.ParentID == "" || byID[s.ParentID] != nil {
				return "parent is not remote"
			}
		case "status":
			if s.Status != val {
				return "status is " + s.Status
			}
		case "error":
			if !strings.Contains(s.Error, val) {
				return fmt.Sprintf("error is %q", s.Error)
			}
		case "attr":
			k, want, _ := strings.Cut(val, ":")
			v, ok := s.Attrs[k]
			var b bytes.Buffer
			enc := json.NewEncoder(&b)
			enc.SetEscapeHTML(false)
			enc.Encode(v)
			got := strings.TrimSpace(b.String())
			if !ok || got != want {
				return fmt.Sprintf("attribute %s is %s (present: %v)", k, got, ok)
			}
		case "noattr":
			if v, ok := s.Attrs[val]; ok {
				return fmt.Sprintf("has attribute %s = %v", val, v)
			}
		case "count":
			if strconv.Itoa(count) != val {
				return fmt.Sprintf("count is %d", count)
			}
		case "trace":
			found := false
			for _, o := range all {
				if o.Name == val && o.TraceID == s.TraceID {
					found = true
				}
			}
			if !found {
				return "no span " + val + " in the same trace"
			}
		default:
			return "unknown condition " + c
		}
	}
	return ""
}

func spanNames(spans []traceSpan) string {
	seen := map[string]bool{}
	var names []string
	for _, s := range spans {
		if !seen[s.Name] {
			seen[s.Name] = true
			names = append(names, s.Name)
		}
	}
	return strings.Join(names, " ")
}

// cmdUseAutotrace makes the module in the current directory require
// autotrace from this checkout, with autotrace's own requirements and
// checksums, as go get would from the proxy (the scripts run offline).
func cmdUseAutotrace(ts *testscript.TestScript, neg bool, args []string) {
	root := ts.Getenv("AUTOTRACE_ROOT")
	mod, err := os.ReadFile(filepath.Join(root, "go.mod"))
	ts.Check(err)
	var b strings.Builder
	b.WriteString("\nrequire github.com/autotrace/autotrace v0.0.0\n\nreplace github.com/autotrace/autotrace => " + root + "\n")
	in := false
	for _, line := range strings.Split(string(mod), "\n") {
		switch {
		case line == "require (":
			in = true
		case line == ")":
			in = false
		case in:
			b.WriteString("require " + strings.TrimSpace(strings.TrimSuffix(line, "// indirect")) + " // indirect\n")
		}
	}
	appendFile(ts, "go.mod", b.String())
	// autotrace needs go 1.25.0, which is later than the language version 1.25.
	ts.Check(ts.Exec("go", "mod", "edit", "-go=1.25.0"))
	sum, err := os.ReadFile(filepath.Join(root, "go.sum"))
	ts.Check(err)
	appendFile(ts, "go.sum", string(sum))
}

func appendFile(ts *testscript.TestScript, name, text string) {
	f, err := os.OpenFile(ts.MkAbs(name), os.O_APPEND|os.O_CREATE|os.O_WRONLY, 0o644)
	ts.Check(err)
	_, err = f.WriteString(text)
	ts.Check(err)
	ts.Check(f.Close())
}
