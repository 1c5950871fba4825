package driver

import (
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"testing"

	"github.com/autotrace/autotrace/internal/toolexec"
)

// walkList says what go list -find says, where it says anything: every
// case is compared with the go command's own answer, on a module built to
// hold what go list skips, matches by build context or reports.
func TestWalkListMatchesGoList(t *testing.T) {
	if _, err := exec.LookPath("go"); err != nil {
		t.Skip("no go command")
	}
	plain := map[string]string{
		"go.mod":                    "module example.com/m\n\ngo 1.25\n",
		"a.go":                      "package m\n",
		"a_linux.go":                "package m\n",
		"a_windows.go":              "package m\n",
		"tagged.go":                 "//go:build special\n\npackage m\n",
		"notspecial.go":             "//go:build !special\n\npackage m\n",
		"ignored.go":                "//go:build ignore\n\npackage main\n",
		"_under.go":                 "package m\n",
		".hidden.go":                "package m\n",
		"a_test.go":                 "package m_test\n",
		"asm_amd64.s":               "",
		"README.md":                 "text\n",
		"sub/x.go":                  "package sub\n\n// The //go:embed in this comment is no directive.\n",
		"sub/deeper/y.go":           "package deeper\n",
		"sub/testdata/t.go":         "package t\n",
		"_skip/u.go":                "package u\n",
		".dot/d.go":                 "package d\n",
		"vendor/example.com/v/v.go": "package v\n",
		"nested/go.mod":             "module example.com/nested\n",
		"nested/n.go":               "package n\n",
		"empty/README":              "nothing\n",
		"onlywindows/w_windows.go":  "package onlywindows\n",
	}
	with := func(extra map[string]string) map[string]string {
		out := map[string]string{}
		for k, v := range plain {
			out[k] = v
		}
		for k, v := range extra {
			out[k] = v
		}
		return out
	}
	for _, tt := range []struct {
		name     string
		files    map[string]string
		patterns []string
		env      []string // KEY=VALUE for the go command
		walks    bool     // walkList answers (else it leaves it to go list)
	}{
		{"all", plain, []string{"./..."}, nil, true},
		{"tags", plain, []string{"./..."}, []string{"GOFLAGS=-tags=special"}, true},
		{"windows", plain, []string{"./..."}, []string{"GOOS=windows"}, true},
		{"dirs", plain, []string{".", "./sub", "./sub/..."}, nil, true},
		{"subtree", plain, []string{"./sub/..."}, nil, true},
		{"nested module", plain, []string{"./nested"}, nil, false},
		{"testdata named", plain, []string{"./sub/testdata"}, nil, false},
		{"tests only", with(map[string]string{"tests/x_test.go": "package tests\n"}), []string{"./..."}, nil, false},
		{"embed", with(map[string]string{"sub/e.go": "package sub\n\nimport _ \"embed\"\n\n//go:embed x.go\nvar s string\n"}), []string{"./..."}, nil, false},
		{"cgo", with(map[string]string{"sub/c.go": "package sub\n\nimport \"C\"\n"}), []string{"./..."}, nil, false},
		{"C file", with(map[string]string{"sub/c.c": "int x;\n"}), []string{"./..."}, nil, false},
		{"two packages", with(map[string]string{"sub/other.go": "package other\n"}), []string{"./..."}, nil, false},
		{"bad constraint", with(map[string]string{"sub/bad.go": "//go:build (\n\npackage sub\n"}), []string{"./..."}, nil, false},
		{"ignore directive", with(map[string]string{"go.mod": "module example.com/m\n\ngo 1.25\n\nignore ./sub\n"}), []string{"./..."}, nil, false},
		{"binary-only", with(map[string]string{"sub/b.go": "//go:binary-only-package\n\npackage sub\n"}), []string{"./..."}, nil, false},
		{"case collision", with(map[string]string{"sub/X.go": "package sub\n"}), []string{"./..."}, nil, false},
	} {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			writeFiles(t, dir, tt.files)
			t.Setenv("GOFLAGS", "")
			for _, kv := range tt.env {
				k, v, _ := strings.Cut(kv, "=")
				t.Setenv(k, v)
			}
			env := toolexec.NestedEnv()
			walked, goroot, _, ok := walkList(dir, env, nil, tt.patterns, newFileParser())
			if ok != tt.walks {
				t.Fatalf("walkList answers: %v, want %v", ok, tt.walks)
			}
			if !ok {
				return
			}
			listedByGo, gorootByGo, ok := goList(dir, env, nil, tt.patterns)
			if !ok {
				t.Fatal("go list failed")
			}
			if goroot != gorootByGo {
				t.Errorf("GOROOT %s, go list says %s", goroot, gorootByGo)
			}
			if testing.Verbose() {
				t.Logf("%q", describe(walked))
			}
			if got, want := describe(walked), describe(listedByGo); !slices.Equal(got, want) {
				t.Errorf("walkList:\n%q\ngo list:\n%q", got, want)
			}
		})
	}
}

// The runtime is found when the module requires autotrace and the
// directory it is replaced by has the runtime package; RequireRuntime asks
// the go command otherwise.
func TestWalkListRuntime(t *testing.T) {
	if _, err := exec.LookPath("go"); err != nil {
		t.Skip("no go command")
	}
	for _, tt := range []struct {
		name  string
		files map[string]string
		found bool
	}{
		{"replaced", map[string]string{"fake/runtime/r.go": "package autotrace\n"}, true},
		{"no runtime package", map[string]string{"fake/other/o.go": "package other\n"}, false},
		{"runtime tests only", map[string]string{"fake/runtime/r_test.go": "package autotrace\n"}, false},
		{"runtime for another system", map[string]string{"fake/runtime/r_plan9.go": "package autotrace\n"}, false},
	} {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			files := map[string]string{
				"m/go.mod":    "module example.com/m\n\ngo 1.25\n\nrequire github.com/autotrace/autotrace v0.0.0\n\nreplace github.com/autotrace/autotrace => ../fake\n",
				"m/m.go":      "package m\n",
				"fake/go.mod": "module github.com/autotrace/autotrace\n\ngo 1.25\n",
			}
			for k, v := range tt.files {
				files[k] = v
			}
			writeFiles(t, dir, files)
			t.Setenv("GOFLAGS", "")
			_, _, found, ok := walkList(filepath.Join(dir, "m"), toolexec.NestedEnv(), nil, []string{"./..."}, newFileParser())
			if !ok || found != tt.found {
				t.Errorf("walkList: ok %v, runtime found %v; want true, %v", ok, found, tt.found)
			}
		})
	}
}

func writeFiles(t *testing.T, dir string, files map[string]string) {
	t.Helper()
	for name, src := range files {
		p := filepath.Join(dir, name)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(src), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

// describe is each package as a line, sorted.
func describe(list []*listed) []string {
	var out []string
	for _, l := range list {
		line := l.ImportPath + " " + l.Name + " " + l.Dir
		for _, f := range l.GoFiles {
			line += " " + filepath.Base(f)
		}
		if l.Err || l.Cgo {
			line += " (error or cgo)"
		}
		out = append(out, line)
	}
	sort.Strings(out)
	return out
}
