package tracefile

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"hash/crc32"
	"io"
)

var castagnoli = crc32.MakeTable(crc32.Castagnoli)

// VersionError is returned for a chunk of a major version this package
// does not read.
type VersionError struct {
	Offset       int64
	Major, Minor uint8
}

func (e *VersionError) Error() string {
	return fmt.Sprintf("offset %d: trace format version %d.%d; this autotrace reads version %d.x: use a newer autotrace", e.Offset, e.Major, e.Minor, major)
}

// Reader decodes a binary trace file, chunk by chunk.
type Reader struct {
	src    io.Reader
	buf    []byte // buf[off:] is read but not consumed
	off    int
	eof    bool
	srcErr error
	pos    int64 // file offset of buf[0]

	// Torn counts runs of bytes skipped because they were not a whole
	// chunk with a matching checksum: a chunk torn by a killed writer, or
	// garbage.
	Torn int
	// Unreadable counts records of whole chunks that could not be decoded:
	// a span referring to a site its process defined in a torn chunk, or a
	// malformed record (the rest of its chunk is skipped).
	Unreadable int

	// Cost, when set, is called with each cost record, in file order
	// among the spans that Next returns: before the spans of its process
	// that follow it.
	Cost func(Cost)

	// Folds makes Next return fold records (format 1.2) as spans with
	// Calls above zero. Without it they are skipped, as a 1.1 reader
	// skips them: the calls they hold are then in no row.
	Folds bool

	// Want, when set, selects the spans Next returns by trace ID: those
	// of other traces are read past (their fields but not their site or
	// extras), neither returned nor counted. It is asked once per run of
	// spans of one trace.
	Want func(traceID [16]byte) bool

	wantID    [16]byte // the trace Want was last asked about
	wantAsked bool
	wanted    bool

	tables map[uint32]*tables
	chunk  chunkState
	span   Span
	proc   Process
}

// chunkState is the current chunk: its payload and what span records
// refer back to.
type chunkState struct {
	payload    []byte
	pid        uint32
	t          *tables
	prevTrace  [16]byte
	prevParent [8]byte
	prevStart  int64
	recent     [recentTraces][16]byte
	ntraces    int
}

// NewReader returns a Reader of the binary trace r.
func NewReader(r io.Reader) *Reader {
	return &Reader{src: r, tables: make(map[uint32]*tables)}
}

// need makes at least n unconsumed bytes available, reading as needed; it
// reports false when the input ends first.
func (r *Reader) need(n int) bool {
	for len(r.buf)-r.off < n {
		if r.eof {
			return false
		}
		if r.off > 0 && r.off >= len(r.buf)/2 {
			r.pos += int64(r.off)
			r.buf = append(r.buf[:0], r.buf[r.off:]...)
			r.off = 0
		}
		if cap(r.buf)-len(r.buf) < 64<<10 {
			r.buf = append(r.buf, make([]byte, max(n, 256<<10))...)[:len(r.buf)]
		}
		m, err := r.src.Read(r.buf[len(r.buf):cap(r.buf)])
		r.buf = r.buf[:len(r.buf)+m]
		if err != nil {
			r.eof = true
			if err != io.EOF {
				r.srcErr = err
			}
		}
	}
	return true
}

// Next returns the next record: a span (valid until the next call) or a
// process record. It returns io.EOF at the end of the input, and a
// *VersionError for a chunk of another major version.
func (r *Reader) Next() (*Span, *Process, error) {
	for {
		if len(r.chunk.payload) > 0 {
			sp, p, ok := r.record()
			if sp != nil || p != nil {
				return sp, p, nil
			}
			if !ok {
				r.Unreadable++
			}
			continue
		}
		if err := r.nextChunk(); err != nil {
			return nil, nil, err
		}
	}
}

// nextChunk moves to the next whole chunk, skipping and counting torn ones.
func (r *Reader) nextChunk() error {
	expected := true // a chunk should start here: a version mismatch is an error
	for {
		if !r.need(headerLen) {
			if len(r.buf)-r.off > 0 && expected {
				r.Torn++ // a header cut short at the end
				r.off = len(r.buf)
			}
			if r.srcErr != nil {
				return r.srcErr
			}
			return io.EOF
		}
		h := r.buf[r.off : r.off+headerLen]
		if string(h[:4]) == magic && h[4] != major && expected {
			return &VersionError{Offset: r.pos + int64(r.off), Major: h[4], Minor: h[5]}
		}
		if ok := r.chunkAt(); ok {
			return nil
		}
		// Not a whole chunk: skip to the next magic that starts one.
		if expected {
			r.Torn++
		}
		expected = false
		r.off++
		for {
			i := bytes.Index(r.buf[r.off:], []byte(magic))
			if i >= 0 {
				r.off += i
				break
			}
			r.off = max(r.off, len(r.buf)-len(magic)+1)
			if !r.need(len(magic)) {
				r.off = len(r.buf)
				break
			}
		}
	}
}

// chunkAt checks the chunk at r.off and, when it is whole, makes it
// current and consumes it.
func (r *Reader) chunkAt() bool {
	h := r.buf[r.off : r.off+headerLen]
	if string(h[:4]) != magic || h[4] != major {
		return false
	}
	n := binary.LittleEndian.Uint32(h[8:])
	if n > maxChunk || !r.need(headerLen+int(n)) {
		return false
	}
	h = r.buf[r.off : r.off+headerLen]
	payload := r.buf[r.off+headerLen : r.off+headerLen+int(n)]
	crc := crc32.Update(0, castagnoli, h[4:16])
	crc = crc32.Update(crc, castagnoli, payload)
	if crc != binary.LittleEndian.Uint32(h[16:]) {
		return false
	}
	pid := binary.LittleEndian.Uint32(h[12:])
	t := r.tables[pid]
	if t == nil || h[6]&flagFirst != 0 {
		t = newTables()
		r.tables[pid] = t
	}
	r.chunk = chunkState{payload: payload, pid: pid, t: t}
	r.off += headerLen + int(n)
	return true
}

var errMalformed = errors.New("malformed record")
