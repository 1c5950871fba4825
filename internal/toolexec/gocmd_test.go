package toolexec

import (
	"strings"
	"testing"
)

func TestGoCommand(t *testing.T) {
	tests := []struct {
		args []string
		want string // the go command's arguments joined by |, or the error
	}{
		{[]string{"build", "./..."}, "build|-toolexec=/bin/autotrace|./..."},
		{[]string{"-all", "test", "-run", "X", "."}, "test|-toolexec=/bin/autotrace -all|-run|X|."},
		{[]string{"-pkgs", "encoding/json,net/http", "run", "."}, "run|-toolexec=/bin/autotrace -pkgs encoding/json,net/http|."},
		{[]string{"-pkgs=a/b", "install", "."}, "install|-toolexec=/bin/autotrace -pkgs a/b|."},
		{[]string{"run", ".", "--", "-toolexec"}, "run|-toolexec=/bin/autotrace|.|--|-toolexec"},
		{[]string{"mod", "tidy"}, "error: go mod does not build code"},
		{[]string{}, "error: no go command"},
		{[]string{"-x", "build"}, "error: unknown flag -x"},
		{[]string{"build", "-toolexec=x", "."}, "error: -toolexec=x: autotrace go sets -toolexec itself"},
	}
	for _, tt := range tests {
		got, err := GoCommand("/bin/autotrace", tt.args)
		s := strings.Join(got, "|")
		if err != nil {
			s = "error: " + err.Error()
		}
		if !strings.HasPrefix(s, tt.want) {
			t.Errorf("GoCommand(%q) = %q, want %q", tt.args, s, tt.want)
		}
	}
	// A path with a space is quoted as the go command splits -toolexec.
	got, _ := GoCommand("/my tools/autotrace", []string{"build"})
	if got[1] != "-toolexec='/my tools/autotrace'" {
		t.Errorf("quoted: %q", got[1])
	}
}
