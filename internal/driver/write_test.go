package driver

import (
	"os"
	"path/filepath"
	"testing"
)

func TestWriteKeepsModeAndIsAllOrNothing(t *testing.T) {
	dir := t.TempDir()
	a := filepath.Join(dir, "a.go")
	if err := os.WriteFile(a, []byte("old a"), 0o640); err != nil {
		t.Fatal(err)
	}
	ok := &Result{File: &File{Path: a, Src: []byte("old a")}, New: []byte("new a")}

	// A second file that cannot be written: the first must stay old and no
	// temporary file may be left behind.
	missing := filepath.Join(dir, "gone", "b.go")
	bad := &Result{File: &File{Path: missing, Src: []byte("old b")}, New: []byte("new b")}
	if err := Write([]*Result{ok, bad}); err == nil {
		t.Fatal("Write succeeded with an unwritable file")
	}
	if got, _ := os.ReadFile(a); string(got) != "old a" {
		t.Errorf("a.go = %q after a failed run, want it untouched", got)
	}
	if entries, _ := os.ReadDir(dir); len(entries) != 1 {
		t.Errorf("left behind: %v", entries)
	}

	if err := Write([]*Result{ok}); err != nil {
		t.Fatal(err)
	}
	got, _ := os.ReadFile(a)
	info, _ := os.Stat(a)
	if string(got) != "new a" || info.Mode().Perm() != 0o640 {
		t.Errorf("a.go = %q mode %v, want %q mode 0640", got, info.Mode().Perm(), "new a")
	}
}
