package driver

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
)

// TestWriteRefusesWhatItMayNotWrite: a read-only file, or a file in a
// read-only directory, makes Write fail naming the user's file, and no
// file of the run changes, as gofmt -w refuses. Root may write anything,
// so as root the checks run in a child process as user nobody.
func TestWriteRefusesWhatItMayNotWrite(t *testing.T) {
	dir := os.Getenv("AUTOTRACE_WRITE_TEST_DIR")
	if dir == "" {
		dir = writeFixture(t)
		if os.Geteuid() == 0 {
			runAsNobody(t, dir)
			return
		}
	}
	for _, tt := range []struct {
		files []string // relative to dir; the last is the one refused
		want  string
	}{
		{[]string{"rw.go", "ro.go"}, "ro.go: permission denied"},
		{[]string{"rw.go", "rodir/rw.go"}, "rodir/rw.go: cannot write a new version beside it in " + filepath.Join(dir, "rodir") + ": permission denied"},
	} {
		var results []*Result
		for _, f := range tt.files {
			path := filepath.Join(dir, f)
			src, err := os.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			results = append(results, &Result{File: &File{Path: path, Rel: f, Src: src}, New: []byte("package changed\n")})
		}
		err := Write(results)
		if err == nil || err.Error() != tt.want {
			t.Errorf("Write(%v) = %v, want %q", tt.files, err, tt.want)
		}
		for _, f := range tt.files {
			if src, _ := os.ReadFile(filepath.Join(dir, f)); string(src) != "package p\n" {
				t.Errorf("%s changed to %q", f, src)
			}
		}
		entries, _ := os.ReadDir(dir)
		for _, e := range entries {
			if strings.Contains(e.Name(), ".autotrace-") {
				t.Errorf("temporary file left: %s", e.Name())
			}
		}
	}
}

// writeFixture makes dir with rw.go (writable), ro.go (mode 0444) and
// rodir/rw.go (a writable file in a directory of mode 0555), all
// accessible to any user.
func writeFixture(t *testing.T) string {
	dir, err := os.MkdirTemp("", "autotrace-write-")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		os.Chmod(filepath.Join(dir, "rodir"), 0o755)
		os.RemoveAll(dir)
	})
	for name, mode := range map[string]os.FileMode{"rw.go": 0o666, "ro.go": 0o444} {
		if err := os.WriteFile(filepath.Join(dir, name), []byte("package p\n"), mode); err != nil {
			t.Fatal(err)
		}
		os.Chmod(filepath.Join(dir, name), mode)
	}
	if err := os.Mkdir(filepath.Join(dir, "rodir"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "rodir", "rw.go"), []byte("package p\n"), 0o666); err != nil {
		t.Fatal(err)
	}
	os.Chmod(filepath.Join(dir, "rodir", "rw.go"), 0o666)
	os.Chmod(filepath.Join(dir, "rodir"), 0o555)
	os.Chmod(dir, 0o777)
	return dir
}

// runAsNobody runs this test again in a copy of the test binary as user
// nobody (65534), on the fixture in dir.
func runAsNobody(t *testing.T, dir string) {
	self, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	bin := filepath.Join(dir, "driver.test")
	data, err := os.ReadFile(self)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(bin, data, 0o755); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(bin, "-test.run=^TestWriteRefusesWhatItMayNotWrite$", "-test.v")
	cmd.Env = append(os.Environ(), "AUTOTRACE_WRITE_TEST_DIR="+dir)
	cmd.SysProcAttr = &syscall.SysProcAttr{Credential: &syscall.Credential{Uid: 65534, Gid: 65534}}
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("as nobody: %v\n%s", err, out)
	}
	if !strings.Contains(string(out), "--- PASS: TestWriteRefusesWhatItMayNotWrite") {
		t.Fatalf("as nobody, the test did not run:\n%s", out)
	}
}
