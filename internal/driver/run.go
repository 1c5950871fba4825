package driver

import (
	"errors"
	"fmt"
	"sync"

	"github.com/autotrace/autotrace/internal/parallel"
	"github.com/autotrace/autotrace/rewrite"
)

// Result is what a run would do to one file.
type Result struct {
	File     *File
	New      []byte
	Spans    []rewrite.Span
	Warnings rewrite.ErrorList
}

// Changed reports whether the file's contents would change.
func (r *Result) Changed() bool { return string(r.New) != string(r.File.Src) }

// Gen loads the packages and instruments every file, returning one Result
// per file; it writes nothing. Problems in any file (syntax errors, wrong
// directives) are returned together, sorted, with positions relative to the
// working directory.
func Gen(opts Options) ([]*Result, error) {
	return each(opts, true, func(f *File) (*Result, error) {
		var out *rewrite.Output
		var err error
		if f.gen != nil {
			out, err = f.gen.out, f.gen.err
		} else {
			out, err = rewrite.Gen(f.Input)
		}
		if err != nil {
			return nil, err
		}
		return &Result{File: f, New: out.Src, Spans: out.Spans, Warnings: out.Warnings}, nil
	})
}

// Strip loads the packages and removes instrumentation from every file.
func Strip(opts Options) ([]*Result, error) {
	return each(opts, false, func(f *File) (*Result, error) {
		out, err := rewrite.Strip(f.Path, f.Src)
		if err != nil {
			return nil, err
		}
		return &Result{File: f, New: out.Src, Warnings: out.Warnings}, nil
	})
}

func each(opts Options, typed bool, do func(*File) (*Result, error)) ([]*Result, error) {
	files, err := load(opts, typed)
	if err != nil {
		return nil, err
	}
	// Files are rewritten on all CPUs, and the results taken in order.
	type outcome struct {
		r   *Result
		err error
	}
	outcomes := make([]outcome, len(files))
	var mu sync.Mutex
	done := 0
	parallel.For(len(files), 0, func(i int) {
		r, err := do(files[i])
		outcomes[i] = outcome{r, err}
		if opts.Progress != nil {
			mu.Lock()
			opts.Progress(done, len(files))
			done++
			mu.Unlock()
		}
	})
	var results []*Result
	var problems rewrite.ErrorList
	for i, f := range files {
		r, err := outcomes[i].r, outcomes[i].err
		var list rewrite.ErrorList
		switch {
		case errors.As(err, &list):
			problems = append(problems, list...)
		case err != nil:
			return nil, fmt.Errorf("%s: %v", f.Rel, err)
		default:
			results = append(results, r)
		}
	}
	if len(problems) > 0 {
		return nil, Relative(opts.Dir, problems)
	}
	return results, nil
}

// Relative rewrites the file names of errs relative to dir and sorts them.
func Relative(dir string, errs rewrite.ErrorList) rewrite.ErrorList {
	if dir == "" {
		dir = cwd()
	}
	for _, e := range errs {
		e.Pos.Filename = rel(dir, e.Pos.Filename)
	}
	errs.Sort()
	return errs
}
