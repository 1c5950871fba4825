package autotrace

import (
	"os/exec"
	"strings"
	"testing"
)

// TestStandardLibraryOnly keeps the runtime free of dependencies: every
// package it imports, directly or not, is in the standard library, except
// the project's own hotspot aggregator.
func TestStandardLibraryOnly(t *testing.T) {
	out, err := exec.Command("go", "list", "-deps", "-f", "{{if not .Standard}}{{.ImportPath}}{{end}}", ".").Output()
	if err != nil {
		t.Fatalf("go list: %v", err)
	}
	for _, p := range strings.Fields(string(out)) {
		switch p {
		case "github.com/autotrace/autotrace/runtime", "github.com/autotrace/autotrace/internal/hotspot":
		default:
			t.Errorf("runtime depends on non-standard package %s", p)
		}
	}
}
