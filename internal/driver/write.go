package driver

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"

	"github.com/autotrace/autotrace/internal/parallel"
)

// Write saves every changed result. Each file is written to a temporary
// file beside it with the original's mode, and only when all of them are
// written are they renamed over the originals, so a failure part-way leaves
// every file either old or new, never half written. A file the user may
// not write (mode 0444, say) is refused before anything is written, as
// gofmt -w refuses it: replacing it by rename would go through its mode.
// Errors name the user's file, never the temporary one.
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
	var denied []error
	for _, r := range changed {
		if err := writable(r.File.Path); err != nil {
			denied = append(denied, fmt.Errorf("%s: %w", r.File.Rel, err))
		}
	}
	if len(denied) > 0 {
		return errors.Join(denied...)
	}
	// Temporary files are written several at a time: most of the time
	// goes to waiting for the disk.
	done := make([]pending, len(changed))
	parallel.For(len(changed), 8, func(i int) {
		tmp, err := writeTemp(changed[i].File.Path, changed[i].New)
		if err != nil {
			err = fmt.Errorf("%s: %w", changed[i].File.Rel, err)
		}
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
	for i, p := range done {
		if err := os.Rename(p.tmp, p.path); err != nil {
			os.Remove(p.tmp)
			errs = append(errs, fmt.Errorf("%s: %w", changed[i].File.Rel, bare(err)))
		}
	}
	return errors.Join(errs...)
}

// writable reports, as the error opening it for writing would, whether
// the user may write the file at path. It changes nothing.
func writable(path string) error {
	f, err := os.OpenFile(path, os.O_WRONLY, 0)
	if err != nil {
		return bare(err)
	}
	return f.Close()
}

// bare returns the cause of a file system error without the path it
// names, so messages name the user's file once.
func bare(err error) error {
	var pe *os.PathError
	var le *os.LinkError
	switch {
	case errors.As(err, &pe):
		return pe.Err
	case errors.As(err, &le):
		return le.Err
	}
	return err
}

func writeTemp(path string, data []byte) (string, error) {
	info, err := os.Stat(path)
	if err != nil {
		return "", err
	}
	f, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".autotrace-*")
	if err != nil {
		return "", fmt.Errorf("cannot write a new version beside it in %s: %w", filepath.Dir(path), bare(err))
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
		return "", bare(err)
	}
	return f.Name(), nil
}

func cwd() string {
	d, _ := os.Getwd()
	return d
}
