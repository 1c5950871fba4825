package toolexec

import (
	"os"
	"path/filepath"
	"reflect"
	"testing"
)

// TestLocalReplacements checks which directories count as locally
// replaced modules: relative and absolute directory replacements in the
// main module's go.mod, or in go.work and its modules' go.mod files; not
// module-version replacements, and never a main module itself.
func TestLocalReplacements(t *testing.T) {
	dir := t.TempDir()
	write := func(name, text string) string {
		p := filepath.Join(dir, name)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	abs := filepath.Join(dir, "abs")
	appMod := write("app/go.mod", "module example.com/app\n\ngo 1.25\n\nreplace (\n\texample.com/lib => ../lib\n\texample.com/abs => "+abs+"\n\texample.com/v => example.com/fork v1.2.3\n)\n")
	write("w/a/go.mod", "module example.com/a\n\ngo 1.25\n\nreplace example.com/b => ../b\n\nreplace example.com/c => ./third_party/c\n")
	write("w/b/go.mod", "module example.com/b\n\ngo 1.25\n")
	work := write("w/go.work", "go 1.25\n\nuse (\n\t./a\n\t./b\n)\n\nreplace example.com/d => ../d\n")
	for _, tc := range []struct {
		name          string
		gomod, gowork string
		want          []string
	}{
		{"module", appMod, "", []string{abs, filepath.Join(dir, "lib")}},
		{"workspace", "", work, []string{filepath.Join(dir, "d"), filepath.Join(dir, "w", "a", "third_party", "c")}},
		{"workspace off", appMod, "off", []string{abs, filepath.Join(dir, "lib")}},
		{"no module", os.DevNull, "", nil},
	} {
		got, _ := localReplacements(tc.gomod, tc.gowork)
		if !reflect.DeepEqual(got, tc.want) {
			t.Errorf("%s: localReplacements = %q, want %q", tc.name, got, tc.want)
		}
	}
}

// TestSelectedReplaced checks the default selection: a main module's
// package is instrumented, one in a locally replaced module is not, nor
// one in GOROOT, the module cache or vendor/; -pkgs overrides.
func TestSelectedReplaced(t *testing.T) {
	s := &session{Cwd: "/w/app", GOROOT: "/go", GOMODCACHE: "/m", Replaced: []string{"/w/lib"}}
	for _, tc := range []struct {
		pkgs      []string
		path, dir string
		want      bool
	}{
		{nil, "example.com/app", "/w/app", true},
		{nil, "example.com/app/x", "/w/app/x", true},
		{nil, "example.com/lib", "/w/lib", false},
		{nil, "example.com/lib/sub", "/w/lib/sub", false},
		{nil, "example.com/libx", "/w/libx", true},
		{nil, "fmt", "/go/src/fmt", false},
		{nil, "example.com/dep", "/m/example.com/dep@v1.0.0", false},
		{nil, "example.com/v", "/w/app/vendor/example.com/v", false},
		{[]string{"example.com/lib/..."}, "example.com/lib/sub", "/w/lib/sub", true},
		{[]string{"example.com/lib/..."}, "example.com/app", "/w/app", false},
	} {
		if got := selected(Options{Pkgs: tc.pkgs}, s, tc.path, tc.dir, tc.path == "fmt"); got != tc.want {
			t.Errorf("selected(%q, %s) = %v, want %v", tc.pkgs, tc.dir, got, tc.want)
		}
	}
}

// TestModuleFlags checks which of the go command's flags the session's
// look-up of the runtime shares: -mod and -modfile, in either form.
func TestModuleFlags(t *testing.T) {
	for _, tc := range []struct {
		args []string
		want []string
	}{
		{[]string{"build", "-mod=mod", "-o", "x", "."}, []string{"-mod=mod"}},
		{[]string{"test", "-mod", "vendor", "-race", "./..."}, []string{"-mod=vendor"}},
		{[]string{"build", "-modfile=alt.mod", "-trimpath", "."}, []string{"-modfile=alt.mod"}},
		{[]string{"build", "-toolexec", "autotrace", "."}, nil},
		{[]string{"run", ".", "-mod=mod"}, nil},
	} {
		if got := moduleFlags(tc.args); !reflect.DeepEqual(got, tc.want) {
			t.Errorf("moduleFlags(%q) = %q, want %q", tc.args, got, tc.want)
		}
	}
}
