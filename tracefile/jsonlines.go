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
	return &jsonView{dec: NewReader(br), st: st}, st
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
			if sp != nil {
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
