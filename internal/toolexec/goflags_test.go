package toolexec

import (
	"slices"
	"strings"
	"testing"
)

func TestGoBuildFlags(t *testing.T) {
	tests := []struct {
		cmdline string // split at spaces; '_' stands for a space inside an argument
		want    string
	}{
		{"build ./...", ""},
		{"build -gcflags=all=-N_-l -toolexec=autotrace_-all -o prog .", "-gcflags=all=-N_-l"},
		{"build -o prog -gcflags all=-N_-l .", "-gcflags=all=-N_-l"},
		{"test -race -run TestX -count 1 ./... -tags=netgo,osusergo", "-race -tags=netgo,osusergo"},
		{"test ./... -coverpkg=./... -args -race", "-coverpkg=./..."},
		{"run -trimpath . -race", "-trimpath"},
		{"install --asmflags=-S -buildmode pie -mod=vendor -pgo=off ./cmd/x", "--asmflags=-S -buildmode=pie -mod=vendor -pgo=off"},
		{"build -C dir -ldflags -s -v .", ""},
	}
	for _, tt := range tests {
		var args []string
		for _, a := range strings.Fields(tt.cmdline) {
			args = append(args, strings.ReplaceAll(a, "_", " "))
		}
		got := goBuildFlags(args)
		var want []string
		for _, a := range strings.Fields(tt.want) {
			want = append(want, strings.ReplaceAll(a, "_", " "))
		}
		if !slices.Equal(got, want) {
			t.Errorf("go %s: got %q, want %q", tt.cmdline, got, want)
		}
	}
}
