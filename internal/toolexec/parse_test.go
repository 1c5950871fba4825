package toolexec

import (
	"reflect"
	"strings"
	"testing"
)

func TestParse(t *testing.T) {
	tool := "/usr/local/go/pkg/tool/linux_amd64/compile"
	for _, tc := range []struct {
		args []string
		opts Options
		ok   bool
	}{
		{[]string{tool, "-V=full"}, Options{}, true},
		{[]string{"-all", tool, "-V=full"}, Options{All: true}, true},
		{[]string{"-all", "-pkgs", "./...,example.com/x", tool}, Options{All: true, Pkgs: []string{"./...", "example.com/x"}}, true},
		{[]string{"-pkgs=a/b", tool}, Options{Pkgs: []string{"a/b"}}, true},
		{[]string{"gen", "./..."}, Options{}, false},
		{[]string{"-all"}, Options{}, false},
		{[]string{"-all", "gen"}, Options{}, false},
	} {
		opts, gotTool, _, ok := Parse(tc.args)
		if ok != tc.ok || !reflect.DeepEqual(opts, tc.opts) || ok && gotTool != tool {
			t.Errorf("Parse(%q) = %+v, %q, %v; want %+v, %v", tc.args, opts, gotTool, ok, tc.opts, tc.ok)
		}
	}
}

func TestTagVersion(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"compile version go1.26.8\n", "compile version go1.26.8 autotrace=v1:abc\n"},
		{"compile version devel go1.27-1234 Mon Jan 1 X:foo buildID=aaa/bbb\n",
			"compile version devel go1.27-1234 Mon Jan 1 X:foo autotrace=v1:abc buildID=aaa/bbb.autotrace-v1-abc\n"},
	} {
		got := string(tagVersion([]byte(tc.in), "v1:abc"))
		if got != tc.want {
			t.Errorf("tagVersion(%q) = %q, want %q", tc.in, got, tc.want)
		}
		// What the go command requires of the line (cmd/go/internal/work.toolID).
		f := strings.Fields(got)
		if f[0] != "compile" || f[1] != "version" || strings.Contains(f[2], "devel") && !strings.HasPrefix(f[len(f)-1], "buildID=") {
			t.Errorf("go would reject %q", got)
		}
	}
}

func TestMatchPattern(t *testing.T) {
	s := &session{Cwd: "/src/app"}
	for _, tc := range []struct {
		pattern, path, dir string
		want               bool
	}{
		{"example.com/app/...", "example.com/app", "", true},
		{"example.com/app/...", "example.com/app/x/y", "", true},
		{"example.com/app/...", "example.com/apps", "", false},
		{"example.com/app", "example.com/app/x", "", false},
		{"example.com/.../x", "example.com/a/b/x", "", true},
		{"./...", "", "/src/app/x", true},
		{"./...", "", "/src/other", false},
		{"./x", "", "/src/app/x", true},
		{"./x", "", "/src/app/x/y", false},
		{".", "", "/src/app", true},
	} {
		if got := matchPattern(tc.pattern, tc.path, tc.dir, s); got != tc.want {
			t.Errorf("matchPattern(%q, %q, %q) = %v, want %v", tc.pattern, tc.path, tc.dir, got, tc.want)
		}
	}
}

func TestParseCompile(t *testing.T) {
	args := strings.Fields("-o /w/go-build1/b001/_pkg_.a -trimpath /w/go-build1/b001=> -p main -lang=go1.25 -race -complete -buildid x/y -goversion go1.26.8 -c=2 -nolocalimports -importcfg /w/go-build1/b001/importcfg -pack /src/app/main.go /src/app/x.go")
	c := parseCompile(args)
	if c == nil {
		t.Fatal("not a compile")
	}
	if c.out != "/w/go-build1/b001/_pkg_.a" || c.pkgPath != "main" || c.lang != "go1.25" || c.importcfg != "/w/go-build1/b001/importcfg" || args[c.cfgIdx] != "-importcfg" {
		t.Errorf("parsed %+v", c)
	}
	if got := c.files(); !reflect.DeepEqual(got, []string{"/src/app/main.go", "/src/app/x.go"}) {
		t.Errorf("files = %q", got)
	}
	if !reflect.DeepEqual(c.flags, []string{"-race"}) {
		t.Errorf("flags = %q", c.flags)
	}
	if w := workRoot(c.out); w != "/w/go-build1" {
		t.Errorf("workRoot = %q", w)
	}
}

func TestSelected(t *testing.T) {
	s := &session{Cwd: "/src/app", GOROOT: "/go", GOMODCACHE: "/home/u/go/pkg/mod"}
	for _, tc := range []struct {
		opts      Options
		path, dir string
		std       bool
		want      bool
	}{
		{Options{}, "example.com/app", "/src/app", false, true},
		{Options{}, "example.com/app/x", "/src/app/x", false, true},
		{Options{}, "example.com/lib", "/src/lib", false, true}, // a local replacement
		{Options{}, "fmt", "/go/src/fmt", true, false},
		{Options{}, "github.com/x/y", "/home/u/go/pkg/mod/github.com/x/y@v1.0.0", false, false},
		{Options{}, "github.com/x/y", "/src/app/vendor/github.com/x/y", false, false},
		{Options{Pkgs: []string{"example.com/app"}}, "example.com/app/x", "/src/app/x", false, false},
		{Options{Pkgs: []string{"./x"}}, "example.com/app/x", "/src/app/x", false, true},
		{Options{Pkgs: []string{"fmt"}}, "fmt", "/go/src/fmt", true, true},
		{Options{Pkgs: []string{"github.com/x/..."}}, "github.com/x/y", "/home/u/go/pkg/mod/github.com/x/y@v1.0.0", false, true},
	} {
		if got := selected(tc.opts, s, tc.path, tc.dir, tc.std); got != tc.want {
			t.Errorf("selected(%+v, %s, %s) = %v, want %v", tc.opts, tc.path, tc.dir, got, tc.want)
		}
	}
}

// TestParseCC checks the one tool the go command names without a
// directory: the C compiler, asked for its identity with -###, which must
// pass through rather than be taken for an autotrace command.
func TestParseCC(t *testing.T) {
	for _, tc := range []struct {
		args []string
		tool string
		ok   bool
	}{
		{[]string{"gcc", "-###", "-x", "c", "-c", "-"}, "gcc", true},
		{[]string{"-all", "clang", "-###", "-x", "c", "-c", "-"}, "clang", true},
		{[]string{"gen", "-###"}, "gen", true},
		{[]string{"gcc", "--version"}, "", false},
		{[]string{"gen", "./..."}, "", false},
	} {
		_, tool, args, ok := Parse(tc.args)
		if ok != tc.ok || tool != tc.tool || ok && args[0] != "-###" {
			t.Errorf("Parse(%q) = %q, %q, %v; want %q, %v", tc.args, tool, args, ok, tc.tool, tc.ok)
		}
	}
}

// TestParseRulesFlag: -rules takes comma-separated set names, in either
// spelling, and they accumulate.
func TestParseRulesFlag(t *testing.T) {
	for _, args := range [][]string{
		{"-rules", "http-server,http-client", "-rules=database-sql", "/go/pkg/tool/compile", "-V=full"},
		{"--rules=http-server", "--rules", "http-client,database-sql", "/go/pkg/tool/compile", "-V=full"},
	} {
		opts, tool, rest, ok := Parse(args)
		if !ok || tool != "/go/pkg/tool/compile" || len(rest) != 1 {
			t.Fatalf("%q: ok %v, tool %q, args %q", args, ok, tool, rest)
		}
		if len(opts.Rules) != 3 || checkRuleSets(opts) != nil {
			t.Errorf("%q: rules %q, check %v", args, opts.Rules, checkRuleSets(opts))
		}
	}
	if err := checkRuleSets(Options{Rules: []string{"http-servr"}}); err == nil || !strings.Contains(err.Error(), `unknown rule set "http-servr"`) {
		t.Errorf("unknown set: %v", err)
	}
}
