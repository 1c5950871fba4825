package toolexec

import (
	"strings"
	"testing"
)

func TestExitsThroughRuntime(t *testing.T) {
	tests := []struct {
		name, src, want string
		ok              bool
	}{
		{
			name: "plain",
			src:  "package main\n\nimport \"os\"\n\nfunc main() {\n\tm := 1\n\tos.Exit(m)\n}\n",
			want: "package main; import __autotrace \"github.com/autotrace/autotrace/runtime\"\n\nimport \"os\"\n\nfunc main() {\n\tm := 1\n\t__autotrace.Exit(m)\n}\n\nvar _ = os.Exit\n",
			ok:   true,
		},
		{
			name: "TestMain",
			src:  "package main\n\nfunc main() {\n\t_test.TestMain(m)\n\tos.Exit(int(reflect.ValueOf(m).Elem().FieldByName(\"exitCode\").Int()))\n}\n\nfunc other() { os.Exit(1) }\n",
			want: "package main; import __autotrace \"github.com/autotrace/autotrace/runtime\"\n\nfunc main() {\n\t_test.TestMain(m)\n\t__autotrace.Exit(int(reflect.ValueOf(m).Elem().FieldByName(\"exitCode\").Int()))\n}\n\nfunc other() { os.Exit(1) }\n\nvar _ = os.Exit\n",
			ok:   true,
		},
		{name: "no exit", src: "package main\n\nfunc main() {}\n"},
		{name: "syntax error", src: "package main\n\nfunc main() {\n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, ok := exitsThroughRuntime("_testmain.go", []byte(tt.src))
			if ok != tt.ok || string(got) != tt.want {
				t.Errorf("got %v\n%s\nwant %v\n%s", ok, got, tt.ok, tt.want)
			}
			body := strings.TrimSuffix(string(got), "\nvar _ = os.Exit\n")
			if ok && strings.Count(body, "\n") != strings.Count(tt.src, "\n") {
				t.Error("lines moved")
			}
		})
	}
}
