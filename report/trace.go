package report

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"os"

	"github.com/autotrace/autotrace/internal/hotspot"
	"github.com/autotrace/autotrace/tracefile"
)

// Visitor receives what ReadTrace reads from a trace file. Nil fields are
// skipped.
type Visitor struct {
	Span    func(*hotspot.Span) // valid only during the call
	Process func(hotspot.Process)
	// Malformed is called for a line that is not a record (line numbers
	// start at 1). Reading goes on: callers count such lines, as report does.
	Malformed func(line int, err error)
	// Folds makes Span receive fold records too (hotspot.Span.Folded > 0:
	// calls the runtime folded, AUTOTRACE_FOLD); without it they are
	// skipped, as a reader of format 1.1 skips them.
	Folds bool
}

// ReadTrace reads the trace file at path and hands its spans and process
// records to v in file order. It is the one way other commands (compare)
// open a trace file, so that they read whatever format report reads. The
// error, when the file cannot be opened or read, names the file.
func ReadTrace(path string, v Visitor) error {
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	if fi, err := f.Stat(); err == nil && fi.IsDir() {
		return fmt.Errorf("%s is a directory", path)
	}
	br := bufio.NewReaderSize(f, 1<<20)
	if prefix, _ := br.Peek(4); tracefile.IsBinary(prefix) {
		dec := tracefile.NewReader(br)
		dec.Folds = v.Folds
		return readBinary(path, dec, v)
	}
	view, st, err := tracefile.View(br)
	if err != nil {
		return fmt.Errorf("%s: %w", path, err)
	}
	if err := readJSONLines(path, view, v); err != nil {
		return err
	}
	if v.Malformed != nil {
		for range st.Torn + st.Unreadable {
			v.Malformed(0, errTorn)
		}
	}
	return nil
}

var errTorn = errors.New("a torn chunk or an unreadable record of a binary trace")

// readBinary reads a binary trace natively, as report does (no JSON view in
// between): the same spans and process records, in file order.
func readBinary(name string, dec *tracefile.Reader, v Visitor) error {
	var sp hotspot.Span
	var names nameCache
	for {
		s, proc, err := dec.Next()
		switch {
		case errors.Is(err, io.EOF):
			if v.Malformed != nil {
				for range dec.Torn + dec.Unreadable {
					v.Malformed(0, errTorn)
				}
			}
			return nil
		case err != nil:
			return fmt.Errorf("%s: %w", name, err)
		case s != nil:
			if v.Span != nil {
				nativeSpan(&sp, s, &names)
				v.Span(&sp)
			}
		case proc != nil:
			if v.Process != nil {
				v.Process(*nativeProcess(proc))
			}
		}
	}
}

// readJSONLines reads the JSON Lines trace format from r.
func readJSONLines(name string, r io.Reader, v Visitor) error {
	lr := newLineReader(r)
	p := newParser()
	var rec record
	bad := func(err error) {
		if v.Malformed != nil {
			v.Malformed(lr.n, err)
		}
	}
	for {
		line, err := lr.next()
		switch err {
		case nil:
		case io.EOF:
			return nil
		case errTooLong:
			bad(err)
			continue
		default:
			return fmt.Errorf("%s:%d: %v", name, lr.n+1, err)
		}
		k, err := p.parse(line, &rec)
		if err != nil {
			bad(err)
			continue
		}
		switch k {
		case kindSpan:
			if v.Span != nil {
				v.Span(&rec.span)
			}
		case kindFold:
			if v.Span != nil && v.Folds {
				v.Span(&rec.span)
			}
		case kindProcess:
			proc, err := parseProcess(rec.process)
			if err != nil {
				bad(err)
				continue
			}
			if v.Process != nil {
				v.Process(proc)
			}
		}
	}
}
