package report

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"os"
	"strconv"
	"time"
)

var epoch = time.Now()

// nowNano returns monotonic nanoseconds since the package started.
func nowNano() int64 { return int64(time.Since(epoch)) }

// maxLine is the longest line read; longer lines are counted as malformed.
const maxLine = 4 << 20

var errTooLong = errors.New("line longer than " + strconv.Itoa(maxLine>>20) + " MiB")

// lineReader reads lines of bounded length without copying short ones.
type lineReader struct {
	br   *bufio.Reader
	long []byte
	n    int // number of the line last returned, from 1
}

func newLineReader(r io.Reader) *lineReader {
	return &lineReader{br: bufio.NewReaderSize(r, 256<<10)}
}

// next returns the next line without its newline, valid until the next call.
// It returns errTooLong (with the line number counted) for a line past
// maxLine, and io.EOF at the end.
func (r *lineReader) next() ([]byte, error) {
	line, err := r.br.ReadSlice('\n')
	if err == nil || (err == io.EOF && len(line) > 0) {
		r.n++
		return trimNL(line), nil
	}
	if err != bufio.ErrBufferFull {
		return nil, err
	}
	r.n++
	r.long = append(r.long[:0], line...)
	for {
		line, err = r.br.ReadSlice('\n')
		if len(r.long)+len(line) > maxLine {
			for err == bufio.ErrBufferFull { // skip the rest of the line
				_, err = r.br.ReadSlice('\n')
			}
			if err != nil && err != io.EOF {
				return nil, err
			}
			return nil, errTooLong
		}
		r.long = append(r.long, line...)
		switch err {
		case nil, io.EOF:
			return trimNL(r.long), nil
		case bufio.ErrBufferFull:
			continue
		}
		return nil, err
	}
}

func trimNL(b []byte) []byte {
	if n := len(b); n > 0 && b[n-1] == '\n' {
		b = b[:n-1]
		if n := len(b); n > 0 && b[n-1] == '\r' {
			b = b[:n-1]
		}
	}
	return b
}

// input is one trace file named on the command line.
type input struct {
	name string // as given, for messages
	path string // to open ("-" spooled to a temp file)
	size int64

	spans int64 // read in pass 1, before any filter
}

// progress reports bytes read on a terminal.
type progress struct {
	w          io.Writer // nil: quiet
	total      int64
	done       int64 // bytes of inputs already finished
	lastReport int64 // nanoseconds (monotonic via nowNano)
	shown      bool
}

// isTerminal reports whether w is a character device (a terminal).
func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	if !ok {
		return false
	}
	fi, err := f.Stat()
	return err == nil && fi.Mode()&os.ModeCharDevice != 0
}

// countingReader counts the bytes read through it.
type countingReader struct {
	r io.Reader
	n int64
}

func (c *countingReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.n += int64(n)
	return n, err
}

// update shows progress for pass (1 or 2) at read bytes into the current
// input, at most a few times a second.
func (p *progress) update(pass int, name string, read int64) {
	if p.w == nil {
		return
	}
	now := nowNano()
	if now-p.lastReport < 200e6 {
		return
	}
	p.lastReport = now
	pct := 0.0
	if p.total > 0 {
		pct = 100 * float64(p.done+read) / float64(p.total)
	}
	fmt.Fprintf(p.w, "\r\x1b[Kreport: pass %d/2 %s %.0f%% (%d MB of %d MB)", pass, name, pct, (p.done+read)>>20, p.total>>20)
	p.shown = true
}

// clear erases the progress line.
func (p *progress) clear() {
	if p.w != nil && p.shown {
		fmt.Fprint(p.w, "\r\x1b[K")
		p.shown = false
	}
}
