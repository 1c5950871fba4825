package tracefile

import (
	"bufio"
	"io"
)

// Stats counts what reading a binary trace skipped.
type Stats struct {
	Binary     bool // the input was in the binary format
	Torn       int  // torn chunks or garbage runs skipped
	Unreadable int  // records of whole chunks that could not be decoded
}

// JSONLines returns the JSON Lines view of the trace r, whichever format
// it is in: JSON Lines are passed through as they are, a binary trace is
// decoded. st is filled in as the view is read; it is complete at EOF.
func JSONLines(r io.Reader) (view io.Reader, st *Stats) {
	br := bufio.NewReaderSize(r, 256<<10)
	st = new(Stats)
	prefix, _ := br.Peek(len(magic))
	if !IsBinary(prefix) {
		return br, st
	}
	st.Binary = true
	v := &jsonView{dec: NewReader(br), st: st}
	v.dec.Folds = true
	v.dec.Cost = func(c Cost) { v.buf = AppendCostJSON(v.buf, c) }
	return v, st
}

// View is JSONLines for input that must be a trace: it returns Sniff's
// error, and no view, when r does not start one.
func View(r io.Reader) (view io.Reader, st *Stats, err error) {
	br := bufio.NewReaderSize(r, 256<<10)
	if err := Sniff(br); err != nil {
		return nil, nil, err
	}
	view, st = JSONLines(br)
	return view, st, nil
}

// jsonView is an io.Reader of a binary trace's JSON Lines.
type jsonView struct {
	dec *Reader
	st  *Stats
	buf []byte
	off int
	err error
}

func (v *jsonView) Read(p []byte) (int, error) {
	for v.off == len(v.buf) {
		if v.err != nil {
			return 0, v.err
		}
		v.buf, v.off = v.buf[:0], 0
		for len(v.buf) < 64<<10 {
			sp, proc, err := v.dec.Next()
			if err != nil {
				v.err = err
				break
			}
			if sp != nil && sp.Calls > 0 {
				v.buf = AppendFoldJSON(v.buf, sp)
			} else if sp != nil {
				v.buf = AppendSpanJSON(v.buf, sp)
			} else {
				v.buf = AppendProcessJSON(v.buf, proc)
			}
		}
		v.st.Torn, v.st.Unreadable = v.dec.Torn, v.dec.Unreadable
	}
	n := copy(p, v.buf[v.off:])
	v.off += n
	return n, nil
}

// Cat copies the JSON Lines view of the trace r to w (autotrace cat). It
// returns Sniff's error for input that is not a trace, having written
// nothing; an error reading r is returned as it is, never as one writing w.
func Cat(w io.Writer, r io.Reader) (*Stats, error) {
	view, st, err := View(r)
	if err != nil {
		return nil, err
	}
	// A plain reader, so that io.Copy does not hand the file to w's
	// ReadFrom (copy_file_range), which would blame w for r's errors.
	_, err = io.Copy(w, struct{ io.Reader }{view})
	return st, err
}
