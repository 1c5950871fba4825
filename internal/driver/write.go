package driver

import (
	"errors"
	"os"
	"path/filepath"

	"github.com/autotrace/autotrace/internal/parallel"
)

// Write saves every changed result. Each file is written to a temporary
// file beside it with the original's mode, and only when all of them are
// written are they renamed over the originals, so a failure part-way leaves
// every file either old or new, never half written.
func Write(results []*Result) error {
	type pending struct {
		tmp, path string
		err       error
	}
	var changed []*Result
	for _, r := range results {
		if r.Changed() {
			changed = append(changed, r)
		}
	}
	// Temporary files are written several at a time: most of the time
	// goes to waiting for the disk.
	done := make([]pending, len(changed))
	parallel.For(len(changed), 8, func(i int) {
		tmp, err := writeTemp(changed[i].File.Path, changed[i].New)
		done[i] = pending{tmp, changed[i].File.Path, err}
	})
	for _, p := range done {
		if p.err != nil {
			for _, p := range done {
				if p.err == nil {
					os.Remove(p.tmp)
				}
			}
			return p.err
		}
	}
	var errs []error
	for _, p := range done {
		if err := os.Rename(p.tmp, p.path); err != nil {
			os.Remove(p.tmp)
			errs = append(errs, err)
		}
	}
	return errors.Join(errs...)
}

func writeTemp(path string, data []byte) (string, error) {
	info, err := os.Stat(path)
	if err != nil {
		return "", err
	}
	f, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".autotrace-*")
	if err != nil {
		return "", err
	}
	_, err = f.Write(data)
	if err == nil {
		err = f.Sync()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Chmod(f.Name(), info.Mode().Perm())
	}
	if err != nil {
		os.Remove(f.Name())
		return "", err
	}
	return f.Name(), nil
}

func cwd() string {
	d, _ := os.Getwd()
	return d
}
