package autotrace

import (
	"os/exec"
	"strings"
	"testing"
	"unsafe"
)

// TestStandardLibraryOnly keeps the runtime free of dependencies: every
// package it imports, directly or not, is in the standard library, except
// the project's own hotspot aggregator and JSON string writer (shared with
// tracefile), which are held to the same rule. Nor does it reach net/http: every
// instrumented program links the runtime, and a cold build of one that
// does not speak HTTP would compile net/http and crypto/tls for nothing
// (the autohttp package has the HTTP helpers).
func TestStandardLibraryOnly(t *testing.T) {
	out, err := exec.Command("go", "list", "-deps", "-f", "{{.Standard}} {{.ImportPath}}", ".").Output()
	if err != nil {
		t.Fatalf("go list: %v", err)
	}
	for _, l := range strings.Split(strings.TrimSpace(string(out)), "\n") {
		std, p, _ := strings.Cut(l, " ")
		switch {
		case p == "github.com/autotrace/autotrace/runtime", p == "github.com/autotrace/autotrace/internal/hotspot",
			p == "github.com/autotrace/autotrace/internal/jsontext":
		case std != "true":
			t.Errorf("runtime depends on non-standard package %s", p)
		case p == "net/http", p == "crypto/tls", p == "net":
			t.Errorf("runtime depends on %s", p)
		}
	}
}

// TestSpanSize keeps a span handle one word, its record pointer-free in
// 80 bytes, and the child context Start allocates in the 48-byte malloc
// size class (DESIGN §5: at most 48 bytes).
func TestSpanSize(t *testing.T) {
	if n := unsafe.Sizeof(Span{}); n != 8 {
		t.Errorf("a Span is %d bytes, want 8", n)
	}
	if n := unsafe.Sizeof(spanRec{}); n != 80 {
		t.Errorf("a spanRec is %d bytes, want 80", n)
	}
	if n := unsafe.Sizeof(spanCtx{}); n != 48 {
		t.Errorf("a spanCtx is %d bytes, want 48", n)
	}
}
