package main

import (
	"encoding/json"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
)

// download runs go mod download -json for mod (module@version) and returns
// what it reports.
type downloaded struct {
	Path, Version, Dir, GoMod, Error string
}

func download(mod string) (*downloaded, error) {
	out, err := goCmd("", nil, "mod", "download", "-json", mod)
	var d downloaded
	if jerr := json.Unmarshal([]byte(out), &d); jerr != nil {
		return nil, fmt.Errorf("go mod download %s: %v: %s", mod, err, out)
	}
	if d.Error != "" {
		return nil, fmt.Errorf("go mod download %s: %s", mod, d.Error)
	}
	if err != nil {
		return nil, fmt.Errorf("go mod download %s: %v", mod, err)
	}
	return &d, nil
}

// copyTree copies src to dst, making everything writable by its owner.
func copyTree(src, dst string) error {
	return filepath.WalkDir(src, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(src, path)
		target := filepath.Join(dst, rel)
		if d.IsDir() {
			if d.Name() == ".git" {
				return filepath.SkipDir
			}
			return os.MkdirAll(target, 0o755)
		}
		if !d.Type().IsRegular() {
			return nil
		}
		data, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		info, err := d.Info()
		if err != nil {
			return err
		}
		return os.WriteFile(target, data, info.Mode().Perm()|0o200)
	})
}

// prepare makes dir, a copy of the module, buildable as a user who ran go
// get on autotrace would have it: a go.mod (the proxy's synthesized one for
// modules without), go 1.25.0 at least (autotrace's own requirement),
// complete go.sum, and a requirement on autotrace replaced by the checkout.
func prepare(dir string, d *downloaded, root string) error {
	gomod := filepath.Join(dir, "go.mod")
	if _, err := os.Stat(gomod); err != nil {
		data, err := os.ReadFile(d.GoMod)
		if err != nil {
			return err
		}
		if err := os.WriteFile(gomod, data, 0o644); err != nil {
			return err
		}
	}
	// Raise the go version before tidying: tidy then writes the indirect
	// requirements a pruned module graph needs.
	if out, err := goCmd(dir, nil, "mod", "edit", "-json"); err != nil {
		return err
	} else {
		var m struct{ Go string }
		json.Unmarshal([]byte(out), &m)
		if goVersionLess(m.Go, "1.25.0") {
			if _, err := goCmd(dir, nil, "mod", "edit", "-go=1.25.0"); err != nil {
				return err
			}
		}
	}
	if _, err := goCmd(dir, nil, "list", "-deps", "-test", "./..."); err != nil {
		if out, err := goCmd(dir, nil, "mod", "tidy"); err != nil {
			return fmt.Errorf("go mod tidy: %v\n%s", err, out)
		}
	}
	return useAutotrace(dir, root)
}

// useAutotrace makes the module require autotrace from the checkout at
// root, with autotrace's own requirements and checksums, as go get would
// from the proxy (see cmd/autotrace/script_test.go's use-autotrace). It
// does not run go mod tidy: tidy drops the requirement until some file
// imports the runtime.
func useAutotrace(dir, root string) error {
	mod, err := os.ReadFile(filepath.Join(root, "go.mod"))
	if err != nil {
		return err
	}
	var b strings.Builder
	b.WriteString("\nrequire github.com/autotrace/autotrace v0.0.0\n\nreplace github.com/autotrace/autotrace => " + root + "\n")
	in := false
	for _, line := range strings.Split(string(mod), "\n") {
		switch {
		case line == "require (":
			in = true
		case line == ")":
			in = false
		case in:
			req := strings.TrimSpace(strings.TrimSuffix(line, "// indirect"))
			// A module the corpus module requires too (logrus: x/sys) gets
			// autotrace's version, newer than any corpus module's: two
			// requirements of one path are an error.
			if path, _, ok := strings.Cut(req, " "); ok {
				if _, err := goCmd(dir, nil, "mod", "edit", "-droprequire="+path); err != nil {
					return err
				}
			}
			b.WriteString("require " + req + " // indirect\n")
		}
	}
	if err := appendFile(filepath.Join(dir, "go.mod"), b.String()); err != nil {
		return err
	}
	sum, err := os.ReadFile(filepath.Join(root, "go.sum"))
	if err != nil {
		return err
	}
	return appendFile(filepath.Join(dir, "go.sum"), string(sum))
}

func appendFile(name, text string) error {
	f, err := os.OpenFile(name, os.O_APPEND|os.O_CREATE|os.O_WRONLY, 0o644)
	if err != nil {
		return err
	}
	_, err = f.WriteString(text)
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	return err
}

// goVersionLess compares go directive versions such as 1.13, 1.21.0.
func goVersionLess(a, b string) bool {
	as, bs := strings.Split(a, "."), strings.Split(b, ".")
	for i := 0; i < len(as) || i < len(bs); i++ {
		var x, y int
		if i < len(as) {
			fmt.Sscan(as[i], &x)
		}
		if i < len(bs) {
			fmt.Sscan(bs[i], &y)
		}
		if x != y {
			return x < y
		}
	}
	return false
}
