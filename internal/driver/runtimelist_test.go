package driver

import (
	"os"
	"path/filepath"
	"reflect"
	"testing"

	"github.com/autotrace/autotrace/rewrite"
)

func TestRequires(t *testing.T) {
	for _, tt := range []struct {
		gomod string
		want  bool
	}{
		{"module m\n\nrequire github.com/autotrace/autotrace v0.0.0\n", true},
		{"module m\n\nrequire (\n\tgolang.org/x/tools v0.1.0\n\tgithub.com/autotrace/autotrace v1.2.3 // indirect\n)\n", true},
		{"module m\n\nrequire \"github.com/autotrace/autotrace\" v0.0.0\n", true},
		{"module m\n\n// require github.com/autotrace/autotrace v0.0.0\n", false},
		{"module m\n\nreplace github.com/autotrace/autotrace => ../autotrace\n", false},
		{"module m\n\nrequire github.com/autotrace/autotrace2 v0.0.0\n", false},
		{"module m\n\nrequire (\n\tgolang.org/x/tools v0.1.0\n)\n\nexclude (\n\tgithub.com/autotrace/autotrace v0.0.1\n)\n", false},
		{"module github.com/autotrace/autotrace\n", false},
	} {
		if got := requires([]byte(tt.gomod), runtimeModule); got != tt.want {
			t.Errorf("requires(%q) = %v, want %v", tt.gomod, got, tt.want)
		}
	}
}

func TestRuntimeExtra(t *testing.T) {
	root := t.TempDir()
	write := func(name, text string) {
		p := filepath.Join(root, name)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write("uses/go.mod", "module example.com/uses\n\nrequire github.com/autotrace/autotrace v0.0.0\n")
	write("plain/go.mod", "module example.com/plain\n")
	write("self/go.mod", "module github.com/autotrace/autotrace\n\nrequire github.com/autotrace/autotrace v0.0.0\n")
	runtime := []string{rewrite.RuntimePath}
	for _, tt := range []struct {
		dir      string
		patterns []string
		want     []string
	}{
		{"uses", []string{"./..."}, runtime},
		{"uses", []string{".", "./x", "./x/..."}, runtime},
		{"uses/sub", []string{"."}, runtime}, // governed by uses/go.mod
		{"uses", []string{"../plain"}, nil},
		{"uses", []string{"./x/../../plain"}, nil},
		{"uses", []string{"all"}, nil},
		{"uses", []string{"example.com/uses/..."}, nil},
		{"plain", []string{"./..."}, nil},
		{"self", []string{"./..."}, nil},
	} {
		if got := runtimeExtra(filepath.Join(root, tt.dir), tt.patterns); !reflect.DeepEqual(got, tt.want) {
			t.Errorf("runtimeExtra(%s, %q) = %q, want %q", tt.dir, tt.patterns, got, tt.want)
		}
	}
}

func TestTakeRuntime(t *testing.T) {
	dir := "/w/m"
	pkg := &listed{ImportPath: "example.com/m", Dir: dir}
	for _, tt := range []struct {
		name             string
		list             []*listed
		rest             []*listed
		found, ambiguous bool
	}{
		{"found", []*listed{pkg, {ImportPath: rewrite.RuntimePath, Dir: "/mod/autotrace/runtime"}}, []*listed{pkg}, true, false},
		{"problem", []*listed{{ImportPath: rewrite.RuntimePath, Err: true}, pkg}, []*listed{pkg}, false, false},
		{"not listed", []*listed{pkg}, []*listed{pkg}, false, false},
		{"under dir", []*listed{pkg, {ImportPath: rewrite.RuntimePath, Dir: "/w/m/vendor/github.com/autotrace/autotrace/runtime"}}, nil, false, true},
	} {
		rest, found, ambiguous := takeRuntime(dir, tt.list)
		if found != tt.found || ambiguous != tt.ambiguous || !ambiguous && !reflect.DeepEqual(rest, tt.rest) {
			t.Errorf("%s: takeRuntime = %v, found %v, ambiguous %v; want %v, %v, %v", tt.name, rest, found, ambiguous, tt.rest, tt.found, tt.ambiguous)
		}
	}
}
